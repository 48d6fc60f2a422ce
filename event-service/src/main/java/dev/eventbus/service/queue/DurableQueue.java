package dev.eventbus.service.queue;

import dev.eventbus.service.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk queue: one append-only log shared by all handlers, cut into segment files, plus one small ack file per
 * handler. An event is appended once with the list of handlers it is routed to; each handler consumes the log in order
 * (FIFO, one record in flight) and acknowledges records one by one. A segment (other than the active one) is deleted
 * as soon as every record in it has been acknowledged by all its handlers; a fully acknowledged active segment is
 * first rolled (see {@link SegmentReaper}), so a log that filled the disk leaves it once delivered. An append that
 * finds no room (full disk, {@code maxBytes}) frees what it can and otherwise fails with {@link StorageFullException}.
 *
 * <h2>Files</h2>
 * <pre>
 * DIR/LOCK                         exclusive lock while open (a second process gets an error, not a corrupt log)
 * DIR/log/00000000000000000000.log segment; the name is the log position of its first byte
 * DIR/log/gaps                     positions without a segment on purpose (deleted after delivery; see LogGaps)
 * DIR/acks/HANDLER.ack             the handler's ack offset (see AckFile)
 * DIR/segment.spare                one block in reserve for the next segment, so a full disk can still roll (SpareSegment)
 * DIR/quarantine/                  copies of damaged log bytes, with a report each (see Quarantine)
 * DIR/recovery/findings.json       recovery findings until acknowledged (see RecoveryJournal, kept by EventService)
 * </pre>
 * The bytes of segments and records are described in {@link RecordFormat}: a segment starts with a 32-byte header,
 * a record carries a magic number, its length, its seq (1, 2, 3… for the life of the directory) and CRCs over body
 * and header. Positions are global (segment base + offset in the file) and never reused, because the newest segment
 * is never deleted.
 *
 * <h2>Recovery</h2>
 * {@link LogRecovery} reads every segment: only a torn tail of the <em>last</em> segment (what a crash mid-write
 * leaves) is cut; damage anywhere else is skipped in place and quarantined, and every intact record after it is kept;
 * missing segments and ack offsets past the data are reported in {@link RecoveryReport#findings()}. Records routed to
 * a handler at or beyond its ack offset are queued again.
 *
 * <h2>Durability</h2>
 * {@link #append} writes the record (one positional write); a flusher thread forces the active segment: on demand
 * for {@link SyncPolicy#always()} (many appends share one fsync), every interval for {@code interval}.
 * {@link #awaitDurable} waits for the force. Handlers only see records that are on disk, so an ack offset never points
 * past the durable end of the log.
 *
 * <h2>Threads and locks</h2>
 * Appends are serialised by {@code appendLock}. Each handler queue has its own lock; the order is appendLock, then a
 * handler lock; {@code syncMonitor} is never held while taking another lock. Exactly one thread (the handler's worker)
 * may call {@link #next} and {@link #ack} for a given handler.
 */
public final class DurableQueue implements AutoCloseable {
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.log");
    private static final Logger log = LoggerFactory.getLogger(DurableQueue.class);

    /**
     * @param dir          data directory (created if missing)
     * @param handlers     handlers that will consume; records for other handlers found on disk become
     *                     {@link #detachedHandlers() detached}
     * @param segmentBytes roll to a new segment beyond this size
     * @param maxBytes     appends that would grow the segment files past this many bytes fail with
     *                     {@link StorageFullException}; 0: no limit but the disk's
     * @param files        how files are opened ({@link QueueFiles#DEFAULT}; tests pass one with a space budget)
     * @param retention    how long delivered records stay as history ({@link Retention#NONE}: deleted once delivered)
     */
    public record Options(Path dir, Set<String> handlers, SyncPolicy sync, long segmentBytes, long maxBytes,
                          QueueFiles files, Retention retention) {
        public Options {
            Objects.requireNonNull(dir, "dir");
            handlers = Collections.unmodifiableSet(new LinkedHashSet<>(handlers));
            Objects.requireNonNull(sync, "sync");
            if (segmentBytes < 1024) throw new IllegalArgumentException("segmentBytes must be >= 1024: " + segmentBytes);
            if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
            Objects.requireNonNull(files, "files");
            Objects.requireNonNull(retention, "retention");
        }

        public Options(Path dir, Set<String> handlers, SyncPolicy sync, long segmentBytes) {
            this(dir, handlers, sync, segmentBytes, 0, QueueFiles.DEFAULT, Retention.NONE);
        }

        public Options(Path dir, Set<String> handlers, SyncPolicy sync, long segmentBytes, long maxBytes, QueueFiles files) {
            this(dir, handlers, sync, segmentBytes, maxBytes, files, Retention.NONE);
        }

        /** With history kept for {@code retention}, no size limit but the disk's. */
        public Options(Path dir, Set<String> handlers, SyncPolicy sync, long segmentBytes, Retention retention) {
            this(dir, handlers, sync, segmentBytes, 0, QueueFiles.DEFAULT, retention);
        }
    }

    /** Called during recovery for every intact record, in log order. */
    @FunctionalInterface
    public interface RecordVisitor {
        void record(long position, long end, long seq, String eventId, String type, long acceptedAtMillis);
    }

    /**
     * What {@link #append} wrote.
     *
     * @param seq the record's sequence number (event_seq)
     * @param end the log position just after the record; pass it to {@link #awaitDurable}
     */
    public record Appended(long seq, long end) {}

    /** One appended record while some handler still has to deliver it. */
    static final class Entry {
        final long pos;
        final long end;
        final long seq;
        final long acceptedAtNanos;
        final AtomicInteger remaining;

        Entry(long pos, long end, long seq, long acceptedAtNanos, int handlers) {
            this.pos = pos;
            this.end = end;
            this.seq = seq;
            this.acceptedAtNanos = acceptedAtNanos;
            this.remaining = new AtomicInteger(handlers);
        }
    }

    static final class Segment {
        final long base;
        final Path path;
        /** Replaced only by {@link #reopen}, after an interrupt closed it. */
        volatile FileChannel ch;
        volatile long size;
        volatile long lastSeq;                              // of the last record in it (or the one before it)

        Segment(long base, Path path, FileChannel ch, long size) {
            this.base = base;
            this.path = path;
            this.ch = ch;
            this.size = size;
        }

        boolean hasRecords() { return size > RecordFormat.SEGMENT_HEADER; }

        /**
         * A FileChannel closes itself when a thread blocked in it is interrupted, and jnats interrupts its dispatcher
         * threads (which append) when a connection closes: without a new channel, one replaced intake connection
         * would stop every later append and fsync until a restart.
         */
        synchronized FileChannel reopen(FileChannel dead, QueueFiles files) throws IOException {
            if (ch == dead) ch = files.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return ch;
        }

        long end() { return base + size; }
    }

    private static final class HandlerQueue {
        final String name;
        final boolean configured;
        final ArrayDeque<Entry> deque = new ArrayDeque<>();
        final ReentrantLock lock = new ReentrantLock();
        final Condition ready = lock.newCondition();
        final AckFile ack;
        boolean ackFailing;                                 // only the handler's worker acks (see the class comment)

        HandlerQueue(String name, boolean configured, AckFile ack) {
            this.name = name;
            this.configured = configured;
            this.ack = ack;
        }
    }

    private final Options options;
    private final Path logDir;
    private final Path ackDir;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final Map<String, HandlerQueue> queues = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Entry> incomplete = new ConcurrentSkipListMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Object syncMonitor = new Object();
    private final Thread flusher;
    private final SegmentReaper reaper;
    private final SpareSegment spare;
    /** Bytes of all segment files: what {@code maxBytes} limits. */
    private final AtomicLong logBytes = new AtomicLong();
    private final AtomicLong ackWriteFailures = new AtomicLong();
    /** An append was refused for lack of room and none has succeeded since: free what can be freed, at once. */
    private volatile boolean storageFull;
    private volatile Segment active;
    private volatile long writtenEnd;
    private long nextSeq;                                   // guarded by appendLock
    private volatile long durableEnd;
    private final DurableWaiters waiters = new DurableWaiters(() -> durableEnd);
    private final java.util.concurrent.atomic.LongAdder syncs = new java.util.concurrent.atomic.LongAdder();
    /** Flusher-confined: waiters the last fsync answered, and how long it took (see gatherBatch). */
    private int lastBatch;
    private long lastSyncNanos;
    private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private volatile IOException syncFailure;
    /** An fsync failed: nothing is made durable (or taken) any more until a restart; see flushLoop. */
    private volatile boolean syncBroken;
    private volatile boolean closed;
    private volatile long wakeGeneration;
    private RecoveryReport recovery;
    private LogGaps gaps;
    private final HistoryIndex index = new HistoryIndex();
    private final History history;

    private DurableQueue(Options options, FileChannel lockChannel, FileLock fileLock) {
        this.options = options;
        this.logDir = options.dir().resolve("log");
        this.ackDir = options.dir().resolve("acks");
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.flusher = new Thread(this::flushLoop, "eventbus-queue-flusher");
        this.flusher.setDaemon(true);
        this.history = new History(index, () -> durableEnd, logDir);
        this.reaper = new SegmentReaper(options.retention(), index, this::diskBytes);
        this.spare = new SpareSegment(options.files(), options.dir());
    }

    /**
     * Opens (and recovers) the queue in {@code options.dir()}.
     *
     * @throws IllegalStateException when another process (or another queue in this JVM) has the directory open
     */
    public static DurableQueue open(Options options, RecordVisitor visitor) throws IOException {
        Files.createDirectories(options.dir());
        FileChannel lockChannel = FileChannel.open(options.dir().resolve("LOCK"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("data directory " + options.dir() + " is in use by another event-service");
        }
        DurableQueue q = new DurableQueue(options, lockChannel, lock);
        try {
            q.recover(visitor == null ? (p, e, seq, id, t, a) -> {} : visitor);
        } catch (IOException | RuntimeException e) {
            q.closeFiles();
            throw e;
        }
        q.flusher.start();
        return q;
    }

    public Options options() { return options; }

    public RecoveryReport recoveryReport() { return recovery; }

    // ------------------------------------------------------------------------------------------------ recovery

    private void recover(RecordVisitor visitor) throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(logDir);
        Files.createDirectories(ackDir);

        Map<String, AckFile> acks = new LinkedHashMap<>();
        for (String h : options.handlers()) acks.put(h, AckFile.open(options.files(), ackDir.resolve(h + ".ack")));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ackDir, "*.ack")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                name = name.substring(0, name.length() - 4);
                if (!acks.containsKey(name)) acks.put(name, AckFile.open(options.files(), p));
            }
        }
        Map<String, Long> ackOffsets = new LinkedHashMap<>();
        for (var e : acks.entrySet()) {
            queues.put(e.getKey(), new HandlerQueue(e.getKey(), options.handlers().contains(e.getKey()), e.getValue()));
            ackOffsets.put(e.getKey(), e.getValue().offset());
        }

        long nowMillis = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        // the history index places each recovered record in its segment: announce them first
        if (Files.isDirectory(logDir)) segmentFiles(logDir).keySet().forEach(index::segment);
        LogRecovery.Result r = LogRecovery.run(options.dir(), ackOffsets, true, options.files(),
                (pos, h, body) -> recovered(pos, h, body, visitor, nowMillis, nowNanos));
        gaps = r.gaps();
        for (LogRecovery.Kept k : r.segments()) {
            Segment s = new Segment(k.base(), k.path(), k.ch(), k.size());
            s.lastSeq = k.lastSeq();
            segments.put(k.base(), s);
        }
        nextSeq = r.nextSeq();
        index.lastSeqAtLeast(nextSeq - 1);
        if (segments.isEmpty() || segments.lastEntry().getValue().end() < r.nextBase()) {
            // no segment, or the end of the log is lost: start beyond every position already used
            segments.put(r.nextBase(), createSegment(r.nextBase(), nextSeq));
        }
        active = segments.lastEntry().getValue();
        writtenEnd = active.end();
        durableEnd = writtenEnd;
        for (Segment s : List.copyOf(segments.values())) maybeDelete(s);
        logBytes.set(segments.values().stream().mapToLong(s -> s.size).sum());
        spare.replenish();
        recovery = new RecoveryReport(segments.size(), r.records(), pending.get(), r.tornBytes(), r.findings(),
                Duration.ofNanos(System.nanoTime() - started));
        if (r.records() > 0 || r.tornBytes() > 0 || !r.findings().isEmpty()) {
            log.info("queue recovered from {}: {} segments, {} records, {} pending events, {} bytes of torn tail cut,"
                            + " {} findings, took {} ms", options.dir(), segments.size(), r.records(), pending.get(),
                    r.tornBytes(), r.findings().size(), recovery.took().toMillis());
        }
    }

    /** Queues one intact record found on disk for every handler that has not acknowledged it. */
    private void recovered(long pos, RecordFormat.Header h, RecordFormat.Body d, RecordVisitor visitor, long nowMillis,
                           long nowNanos) throws IOException {
        long end = pos + RecordFormat.RECORD_HEADER + h.bodyLength();
        index.record(h.seq(), pos, end, d.acceptedAtMillis());
        visitor.record(pos, end, h.seq(), d.eventId(), d.type(), d.acceptedAtMillis());
        List<HandlerQueue> owed = new ArrayList<>(d.handlers().size());
        for (String name : d.handlers()) {
            HandlerQueue hq = queues.get(name);
            if (hq == null) {
                hq = new HandlerQueue(name, false, AckFile.open(options.files(), ackDir.resolve(name + ".ack")));
                queues.put(name, hq);
            }
            if (pos >= hq.ack.offset()) owed.add(hq);
        }
        if (!owed.isEmpty()) {
            long acceptedAtNanos = nowNanos - TimeUnit.MILLISECONDS.toNanos(Math.max(0, nowMillis - d.acceptedAtMillis()));
            Entry entry = new Entry(pos, end, h.seq(), acceptedAtNanos, owed.size());
            incomplete.put(pos, entry);
            pending.incrementAndGet();
            for (HandlerQueue hq : owed) hq.deque.addLast(entry);
        }
    }

    static TreeMap<Long, Path> segmentFiles(Path logDir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(logDir)) {
            for (Path p : ds) {
                Matcher m = SEGMENT_NAME.matcher(p.getFileName().toString());
                if (m.matches()) files.put(Long.parseLong(m.group(1)), p);
            }
        }
        return files;
    }

    static String v1Message(Path dir, String segment) {
        return "data directory " + dir + " was written by an older event-service (log format v1, segment " + segment
                + "); this version reads only format v2. Let the old version deliver every event, then move the"
                + " directory away (or point queue.data_dir at a new one)";
    }

    // ------------------------------------------------------------------------------------------------ append

    /**
     * Appends one event routed to {@code handlers} (all of which must be configured).
     *
     * @return the record's seq and the log position just after it (for {@link #awaitDurable})
     * @throws StorageFullException when the disk is full or the log would grow past {@code maxBytes}, after freeing
     *                              what could be freed; the next append tries again
     */
    public Appended append(String eventId, String type, List<String> handlers, byte[] payload, long acceptedAtMillis)
            throws IOException {
        if (handlers.isEmpty()) throw new IllegalArgumentException("an event needs at least one handler");
        List<HandlerQueue> targets = new ArrayList<>(handlers.size());
        for (String h : handlers) {
            HandlerQueue hq = queues.get(h);
            if (hq == null || !hq.configured) throw new IllegalArgumentException("handler '" + h + "' is not configured");
            targets.add(hq);
        }
        ByteBuffer rec = RecordFormat.encode(acceptedAtMillis, handlers, eventId, type, payload);
        int len = rec.remaining();
        long acceptedAtNanos = System.nanoTime();
        long end;
        long seq;
        appendLock.lock();
        try {
            if (closed) throw new ClosedChannelException();
            if (syncBroken) {
                throw new IOException("an fsync of the event log failed (" + syncFailure + "): what is on disk is"
                        + " uncertain, so no event is taken until event-service is restarted (recovery then reads"
                        + " what the disk really holds)");
            }
            if (options.maxBytes() > 0 && !fits(len)) {
                storageFull(true);
                relieve();
                if (!fits(len)) {
                    throw new StorageFullException("the event log holds " + logBytes.get() + " bytes; "
                            + len + " more would pass queue.max_bytes (" + options.maxBytes() + ")");
                }
            }
            seq = nextSeq;
            RecordFormat.seal(rec, seq);
            Segment s;
            try {
                s = writeRecord(rec);
            } catch (IOException e) {
                if (!StorageFullException.isNoSpace(e)) throw e;
                storageFull(true);
                if (!relieve()) throw new StorageFullException("the disk is full: " + e.getMessage(), e);
                try {
                    s = writeRecord(rec.rewind());
                } catch (IOException again) {
                    if (!StorageFullException.isNoSpace(again)) throw again;
                    throw new StorageFullException("the disk is full: " + again.getMessage(), again);
                }
            }
            storageFull(false);
            long pos = s.base + s.size;
            end = pos + len;
            s.size += len;
            logBytes.addAndGet(len);
            nextSeq = seq + 1;                              // only now: a failed write leaves no gap in the seqs
            s.lastSeq = seq;
            writtenEnd = end;
            index.record(seq, pos, end, acceptedAtMillis);
            Entry entry = new Entry(pos, end, seq, acceptedAtNanos, targets.size());
            incomplete.put(pos, entry);
            pending.incrementAndGet();
            for (HandlerQueue hq : targets) {
                hq.lock.lock();
                try {
                    hq.deque.addLast(entry);
                } finally {
                    hq.lock.unlock();
                }
            }
        } finally {
            appendLock.unlock();
        }
        if (options.sync().isAlways()) LockSupport.unpark(flusher);
        return new Appended(seq, end);
    }

    /** Writes {@code rec} at the end of the log (rolling first when due); the caller updates the sizes. */
    private Segment writeRecord(ByteBuffer rec) throws IOException {
        Segment s = active;
        if (s.hasRecords() && s.size + rec.remaining() > options.segmentBytes()) s = roll(s);
        int start = rec.position();
        boolean interrupted = false;
        try {
            for (boolean retried = false; ; retried = true) {
                FileChannel ch = s.ch;
                long at = s.size;
                try {
                    while (rec.hasRemaining()) at += ch.write(rec, at);
                    return s;
                } catch (ClosedChannelException e) {
                    if (retried || closed) throw e;
                    interrupted |= Thread.interrupted();    // cleared for the retry, restored for the caller
                    s.reopen(ch, options.files()).truncate(s.size);   // part of the record may be written
                    rec.position(start);
                } catch (IOException e) {
                    try {
                        ch.truncate(s.size);        // leave no partial record behind the last good one (and free its space)
                    } catch (IOException ignored) {
                        // recovery drops a torn tail anyway
                    }
                    throw e;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** fsync of a segment, through a new channel if an interrupt closed the old one (see {@link Segment#reopen}). */
    private void force(Segment s) throws IOException {
        FileChannel ch = s.ch;
        try {
            ch.force(false);
        } catch (ClosedChannelException e) {
            if (closed || segments.get(s.base) != s) throw e;  // closing, or deleted after delivery
            boolean interrupted = Thread.interrupted();
            try {
                s.reopen(ch, options.files()).force(false); // the page cache is the file's, not the channel's
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
    }

    private boolean fits(int len) {
        long more = len;
        if (active.hasRecords() && active.size + len > options.segmentBytes()) more += RecordFormat.SEGMENT_HEADER;
        return logBytes.get() + more <= options.maxBytes();
    }

    private void storageFull(boolean full) {
        if (storageFull == full) return;
        storageFull = full;
        if (full) log.warn("event log: no room for more events; intake is refused until deliveries free space");
        else log.info("event log: room again, intake resumed");
    }

    /**
     * Frees what the reaper allows while intake is refused for room: closes a delivered active segment (it is then
     * deleted) and deletes delivered segments that retention would otherwise keep. Caller holds appendLock.
     *
     * @return true when something was freed
     */
    private boolean relieve() {
        long before = logBytes.get();
        Segment s = active;
        if (incomplete.ceilingKey(s.base) == null && reaper.rollDelivered(s, true)) {
            try {
                roll(s);
            } catch (IOException e) {
                log.warn("event log: could not close the delivered active segment to free its space: {}", e.toString());
            }
        }
        reapAll();
        spare.replenish();
        return logBytes.get() < before;
    }

    /** Offers every closed segment to the reaper again (a retention policy whose time has come calls this). */
    void reapAll() {
        for (Segment old : List.copyOf(segments.values())) maybeDelete(old);
    }

    /**
     * Closes the active segment once every record in it is delivered and the reaper wants its space back (it is then
     * deleted): without this, a log that filled the disk would stay there with nothing left to deliver.
     */
    private void maybeRollDelivered() {
        Segment s = active;
        if (!reaper.rollDelivered(s, storageFull) || incomplete.ceilingKey(s.base) != null) return;
        appendLock.lock();
        try {
            if (closed || s != active || incomplete.ceilingKey(s.base) != null) return;
            roll(s);
        } catch (IOException e) {
            log.warn("event log: could not close the delivered active segment: {}", e.toString());
        } finally {
            appendLock.unlock();
        }
    }

    private Segment roll(Segment old) throws IOException {
        force(old);
        long base = old.end();
        Segment s = createSegment(base, nextSeq);
        segments.put(base, s);
        active = s;
        advanceDurable(base);
        maybeDelete(old);                                   // everything in it may be delivered already
        spare.replenish();                                  // the roll used the spare: a full disk must find one again
        return s;
    }

    /**
     * Creates a segment file with its header on disk, so a segment on disk always names its first seq. Made from the
     * spare when there is one, so that it needs no new space on a full disk.
     */
    private Segment createSegment(long base, long firstSeq) throws IOException {
        Path p = logDir.resolve(String.format("%020d.log", base));
        FileChannel ch = spare.takeAs(p, RecordFormat.segmentHeader(base, firstSeq));
        if (ch == null) {
            ch = options.files().open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                writeFully(ch, RecordFormat.segmentHeader(base, firstSeq), 0);
                ch.force(true);
            } catch (IOException e) {
                ch.close();
                Files.deleteIfExists(p);
                throw e;
            }
        }
        forceDirectory(logDir);
        index.segment(base);
        Segment s = new Segment(base, p, ch, RecordFormat.SEGMENT_HEADER);
        s.lastSeq = firstSeq - 1;
        logBytes.addAndGet(s.size);
        return s;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) at += ch.write(b, at);
    }

    /**
     * Waits until the log is on disk up to {@code end}. Returns at once for the interval policy (whose whole point is
     * not to wait).
     *
     * @return false on timeout, after a storage error, or when the queue closed first
     */
    public boolean awaitDurable(long end, long timeout, TimeUnit unit) throws InterruptedException {
        if (!options.sync().isAlways() || durableEnd >= end) return true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (syncMonitor) {
            while (durableEnd < end) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) return false;
                TimeUnit.NANOSECONDS.timedWait(syncMonitor, left);
            }
        }
        return true;
    }

    /**
     * Calls {@code callback} once the log is on disk up to {@code end} (at once for the interval policy, whose whole
     * point is not to wait): the asynchronous form of {@link #awaitDurable}. The flusher completes every waiter a
     * force covers right after it, so concurrent appends share one fsync and no thread blocks per event.
     *
     * @param timeout after this long without a force covering {@code end} (or when the queue closes first), the
     *                callback gets false
     */
    public void whenDurable(long end, long timeout, TimeUnit unit, DurableCallback callback) {
        if (!options.sync().isAlways() || !waiters.add(end, System.nanoTime() + unit.toNanos(timeout), callback)) {
            callback.done(true);
            return;
        }
        if (closed) waiters.failAll();
    }

    /**
     * Answers, as not durable, every waiter whose deadline has passed. The flusher does this after each fsync; this is
     * for an fsync that hangs (a stalled disk), which would otherwise hold every answer until it returns.
     */
    public void expireOverdueWaiters() { waiters.complete(durableEnd, System.nanoTime()); }

    /** The fsync error that stopped the queue taking events (sticky until a restart), or null. */
    public IOException syncFailure() { return syncFailure; }

    private void flushLoop() {
        long intervalNanos = options.sync().interval().toNanos();
        while (!closed) {
            try {
                if (options.sync().isAlways()) {
                    while (!closed && writtenEnd <= durableEnd) LockSupport.parkNanos(this, 100_000_000L);
                    gatherBatch();
                } else {
                    long deadline = System.nanoTime() + intervalNanos;
                    for (long left = intervalNanos; !closed && left > 0; left = deadline - System.nanoTime()) {
                        LockSupport.parkNanos(this, left);
                    }
                }
                if (!closed) syncNow();
                lastBatch = waiters.complete(durableEnd, System.nanoTime());
            } catch (IOException e) {
                if (!syncBroken) {
                    log.error("fsync of the event log failed: intake is refused until event-service is restarted", e);
                }
                // Sticky, as PostgreSQL learned: after a failed fsync, Linux may mark the unwritten pages clean, so a
                // later fsync that succeeds proves nothing about them. Acknowledging past this point could lose events.
                syncFailure = e;
                syncBroken = true;
                waiters.complete(durableEnd, System.nanoTime());
                LockSupport.parkNanos(this, 100_000_000L);
            } catch (RuntimeException | Error e) {
                // a callback threw: the flusher must survive it, or every later accept would time out
                log.error("completing durable waiters failed", e);
            }
        }
    }

    /**
     * Adaptive group commit. The publishers answered after the last fsync usually send their next events within about
     * an fsync's time. Waiting until as many waiters are queued again lets one fsync cover them all, instead of the
     * first one or two while the rest wait a whole fsync more (measured: 5.6 events per fsync at 16 in flight without
     * this). Never waits longer than the last fsync took, and not at all when the last batch was a single event (one
     * in flight: nothing more is coming). Every append wakes the flusher, so the count is checked as events arrive.
     */
    private void gatherBatch() {
        int expect = lastBatch;
        if (expect <= 1) return;
        // capped: after one slow fsync (a stalled disk) the next batch must not wait as long again
        long until = System.nanoTime() + Math.min(lastSyncNanos, MAX_GATHER_NANOS);
        while (!closed && waiters.size() < expect) {
            long left = until - System.nanoTime();
            if (left <= 0) return;
            LockSupport.parkNanos(this, left);
        }
    }

    private void syncNow() throws IOException {
        Segment s;
        long target;
        appendLock.lock();
        try {
            s = active;
            target = writtenEnd;
        } finally {
            appendLock.unlock();
        }
        if (syncBroken) throw syncFailure;
        if (target <= durableEnd) return;
        long started = System.nanoTime();
        try {
            force(s);
            lastSyncNanos = System.nanoTime() - started;
        } catch (ClosedChannelException e) {
            // the queue is closing, or a roll forced this segment and it has been delivered and deleted since
            if (closed || durableEnd >= target) return;
            throw e;
        }
        syncs.increment();
        advanceDurable(target);
    }

    private void advanceDurable(long target) {
        synchronized (syncMonitor) {
            if (target <= durableEnd) return;
            durableEnd = target;
            syncMonitor.notifyAll();
        }
        for (HandlerQueue hq : queues.values()) {
            hq.lock.lock();
            try {
                if (!hq.deque.isEmpty()) hq.ready.signalAll();
            } finally {
                hq.lock.unlock();
            }
        }
        history.durableAdvanced();
    }

    // ------------------------------------------------------------------------------------------------ consume

    /**
     * The oldest record the handler has not acknowledged, once it is on disk; the same record again until it is
     * acknowledged.
     *
     * @return null on timeout or when the queue is closing
     */
    public QueuedEvent next(String handler, long timeout, TimeUnit unit) throws InterruptedException, IOException {
        HandlerQueue hq = queue(handler);
        Entry e = null;
        long left = unit.toNanos(timeout);
        long generation = wakeGeneration;
        hq.lock.lockInterruptibly();
        try {
            while (!closed && ((e = hq.deque.peekFirst()) == null || e.end > durableEnd)) {
                if (left <= 0 || wakeGeneration != generation) return null;
                left = hq.ready.awaitNanos(left);
            }
            if (closed) return null;
        } finally {
            hq.lock.unlock();
        }
        try {
            return read(e);
        } catch (CorruptRecordException ex) {
            log.error("handler {}: {}", handler, ex.getMessage());
            return new QueuedEvent(e, "", "", List.of(handler), 0, new byte[0], ex.getMessage());
        }
    }

    /**
     * Marks the handler's head record done (delivered or dead-lettered).
     *
     * @return the handler's remaining depth
     */
    public int ack(String handler, QueuedEvent event) {
        HandlerQueue hq = queue(handler);
        int depth;
        hq.lock.lock();
        try {
            if (hq.deque.peekFirst() != event.entry) {
                throw new IllegalStateException("ack of " + event + " for " + handler + " out of order");
            }
            hq.deque.removeFirst();
            depth = hq.deque.size();
        } finally {
            hq.lock.unlock();
        }
        writeAck(hq, event.entry.end);
        if (event.entry.remaining.decrementAndGet() == 0) {
            incomplete.remove(event.entry.pos);
            pending.decrementAndGet();
            maybeDeleteSegmentOf(event.entry.pos);
            if (event.entry.pos >= active.base) maybeRollDelivered();
        }
        return depth;
    }

    /**
     * A failed ack write costs only a re-delivery after a restart (the in-memory state has moved on), and ack files
     * are preallocated so a full disk does not fail them; if they fail anyway, say so once per streak, not per event.
     */
    private void writeAck(HandlerQueue hq, long end) {
        try {
            hq.ack.write(end);
            if (hq.ackFailing) {
                hq.ackFailing = false;
                log.info("the ack offset of handler {} is written again", hq.name);
            }
        } catch (IOException e) {
            ackWriteFailures.incrementAndGet();
            if (!hq.ackFailing) {
                hq.ackFailing = true;
                log.warn("could not write the ack offset of handler {} (events delivered until this works again are "
                        + "delivered again after a restart; counted in ackWriteFailures): {}", hq.name, e.toString());
            }
        }
    }

    /** Ack-file writes that failed since the queue was opened. */
    public long ackWriteFailures() { return ackWriteFailures.get(); }

    /** True from an append refused for lack of room until the next append succeeds. */
    public boolean storageFull() { return storageFull; }

    /** Makes every thread waiting in {@link #next} return (null, unless its record became available). */
    public void wakeAll() {
        wakeGeneration++;
        for (HandlerQueue hq : queues.values()) {
            hq.lock.lock();
            try {
                hq.ready.signalAll();
            } finally {
                hq.lock.unlock();
            }
        }
    }

    /** Events with at least one handler still to deliver: what {@code event_limit} counts. */
    public int pending() { return pending.get(); }

    /** Events waiting for this handler (including the one in flight). */
    public int pending(String handler) {
        HandlerQueue hq = queues.get(handler);
        if (hq == null) return 0;
        hq.lock.lock();
        try {
            return hq.deque.size();
        } finally {
            hq.lock.unlock();
        }
    }

    /** Handlers found in the log with undelivered records but not configured now. */
    public Set<String> detachedHandlers() {
        Set<String> out = new LinkedHashSet<>();
        for (HandlerQueue hq : queues.values()) if (!hq.configured && pending(hq.name) > 0) out.add(hq.name);
        return out;
    }

    /** Total bytes in the kept segments. */
    public long diskBytes() { return logBytes.get(); }

    public int segmentCount() { return segments.size(); }

    public long durableEnd() { return durableEnd; }

    /** fsyncs of the flusher so far: with group commit, far fewer than appends under load. */
    public long syncCount() { return syncs.sum(); }

    private HandlerQueue queue(String handler) {
        HandlerQueue hq = queues.get(handler);
        if (hq == null) throw new IllegalArgumentException("unknown handler '" + handler + "'");
        return hq;
    }

    private QueuedEvent read(Entry e) throws IOException {
        var seg = segments.floorEntry(e.pos);
        if (seg == null) throw new IOException("no segment holds log position " + e.pos);
        Segment s = seg.getValue();
        ByteBuffer rec = readFully(s.ch, e.pos - s.base, (int) (e.end - e.pos));
        RecordFormat.Header h = RecordFormat.parseHeader(rec, 0);
        ByteBuffer body = rec.slice(RecordFormat.RECORD_HEADER, rec.capacity() - RecordFormat.RECORD_HEADER);
        if (h == null || h.seq() != e.seq || !RecordFormat.bodyIntact(h, body)) {
            throw new CorruptRecordException("record at log position " + e.pos + " is corrupt on disk");
        }
        RecordFormat.Body d = RecordFormat.decode(body);
        return new QueuedEvent(e, d.eventId(), d.type(), d.handlers(), d.acceptedAtMillis(), d.payload(), null);
    }

    /**
     * Deletes a segment once every record in it has been acknowledged by all its handlers; never the active one.
     * Records are appended only to the active segment, so a closed segment without incomplete records stays that way:
     * no lock is needed, and one stalled handler pins only the segments holding its own undelivered records.
     */
    private void maybeDelete(Segment s) {
        maybeDelete(s, storageFull ? SegmentReaper.Why.PRESSURE : SegmentReaper.Why.DELIVERED);
    }

    /** @return true when the segment was deleted (by this call) */
    private boolean maybeDelete(Segment s, SegmentReaper.Why why) {
        // not `s == active` alone: during a roll the new segment is in `segments` before it becomes active, and a
        // retention sweep must not delete it (empty, nothing incomplete) in that window
        if (s == null || s.base >= active.base) return false;
        Long next = incomplete.ceilingKey(s.base);
        if (next != null && next < s.end()) return false;
        if (!reaper.mayDelete(s, why)) return false;
        if (!segments.remove(s.base, s)) return false;      // another thread got there first
        logBytes.addAndGet(-s.size);
        index.dropSegment(s.base);
        try {
            recordGap(s);
        } catch (IOException ex) {
            // deleting anyway frees the space; the cost is a false "missing segment" finding at the next start
            log.warn("could not note the deletion of segment {} in {}: {}", s.path.getFileName(), "log/gaps", ex.toString());
        }
        try {
            s.ch.close();
            Files.deleteIfExists(s.path);
        } catch (IOException ex) {
            log.warn("could not delete segment {}", s.path, ex);
        }
        return true;
    }

    /**
     * Deletes the delivered segments that retention no longer keeps, oldest first; call it every
     * {@link Retention#sweepInterval()}. Does nothing without retention (segments then go once delivered).
     */
    public void trimHistory() {
        if (closed || !options.retention().keepsHistory()) return;
        for (Segment s : List.copyOf(segments.values())) maybeDelete(s, SegmentReaper.Why.SWEEP);
    }

    /** Reads delivered and undelivered events back by seq or time (what retention keeps). */
    public History history() { return history; }

    /**
     * Notes a segment's range in log/gaps before it is deleted. On a full disk that line may find no room: the
     * segment's records are all delivered, so its file is emptied first (down to the header) to make some.
     */
    private void recordGap(Segment s) throws IOException {
        try {
            gaps.record(s.base, s.end(), s.lastSeq + 1);
        } catch (IOException e) {
            if (!StorageFullException.isNoSpace(e)) throw e;
            s.ch.truncate(RecordFormat.SEGMENT_HEADER);
            gaps.record(s.base, s.end(), s.lastSeq + 1);
        }
    }

    private void maybeDeleteSegmentOf(long pos) {
        var e = segments.floorEntry(pos);
        if (e != null) maybeDelete(e.getValue());
    }

    // ------------------------------------------------------------------------------------------------ close

    /** Forces what is written, closes the files and releases the directory lock. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        LockSupport.unpark(flusher);
        try {
            flusher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wakeAll();
        synchronized (syncMonitor) {
            syncMonitor.notifyAll();
        }
        appendLock.lock();
        try {
            if (writtenEnd > durableEnd) {
                active.ch.force(false);
                durableEnd = writtenEnd;
            }
        } finally {
            appendLock.unlock();
            waiters.complete(durableEnd, System.nanoTime());
            waiters.failAll();
            closeFiles();
        }
    }

    private void closeFiles() {
        for (HandlerQueue hq : queues.values()) {
            try {
                hq.ack.close();
            } catch (IOException e) {
                log.warn("closing {}", hq.ack.path(), e);
            }
        }
        for (Segment s : segments.values()) {
            try {
                s.ch.close();
            } catch (IOException e) {
                log.warn("closing {}", s.path, e);
            }
        }
        try {
            if (fileLock.isValid()) fileLock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("releasing the lock of {}", options.dir(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ format

    private static ByteBuffer readFully(FileChannel ch, long at, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            int r = ch.read(b, at + b.position());
            if (r < 0) throw new IOException("unexpected end of segment at " + (at + b.position()));
        }
        return b.flip();
    }

    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some platforms cannot open directories; the data itself is forced separately
        }
    }

    /** A record failed its CRC or could not be parsed. */
    public static final class CorruptRecordException extends IOException {
        public CorruptRecordException(String message) { super(message); }
    }
}
