package dev.eventbus.service.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every segment of a data directory, in order, and decides what each byte is: an intact record (handed to the
 * sink), a torn tail, damage, or a missing range. Shared by {@link DurableQueue#open} ({@code repair}: cuts a torn
 * tail, copies damage to {@link Quarantine}, updates {@link LogGaps}) and {@code service verify} (no repair: opens
 * everything read-only and writes nothing, so it may look at the files of a running service).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Only the tail of the <em>last</em> segment can be cut, and only when it looks like an interrupted write
 *       (see {@link SegmentScanner}); a complete header is rewritten only when the file is shorter than one.</li>
 *   <li>Any other bytes without an intact record are damage: they stay in place, are skipped, and are copied to
 *       quarantine; every intact record after them is kept (the scanner resynchronises). Records keep their
 *       positions, so ack offsets stay valid.</li>
 *   <li>Log positions below the end without a segment file, and not listed in {@link LogGaps}, are a missing
 *       segment; an ack offset beyond the end of the last segment means the end of the log is missing. The next
 *       segment then starts beyond every ack offset: positions are never reused.</li>
 * </ul>
 */
final class LogRecovery {
    private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

    /** Receives every intact record, in log order. */
    @FunctionalInterface
    interface Sink {
        void record(long pos, RecordFormat.Header header, RecordFormat.Body body) throws IOException;
    }

    /** A segment file that stays in use. The channel is open (read-write when repairing) and now the caller's. */
    record Kept(long base, Path path, FileChannel ch, long size, long lastSeq) {}

    /**
     * @param nextBase    where a new segment must start when there is none, or when the last one ends below it
     * @param tornBytes   bytes of torn tail (cut when repairing)
     */
    record Result(List<Kept> segments, long records, long tornBytes, List<RecoveryFinding> findings, long nextSeq,
                  long nextBase, LogGaps gaps) {}

    private final Path dataDir;
    private final Path logDir;
    private final boolean repair;
    private final Quarantine quarantine;
    private final List<RecoveryFinding> findings = new ArrayList<>();
    private final List<Kept> kept = new ArrayList<>();
    private LogGaps gaps;
    private boolean gapsChanged;
    private final QueueFiles files;

    private LogRecovery(Path dataDir, boolean repair, QueueFiles files) {
        this.dataDir = dataDir;
        this.files = files;
        this.logDir = dataDir.resolve("log");
        this.repair = repair;
        this.quarantine = new Quarantine(dataDir);
    }

    /**
     * @param ackOffsets every handler's ack offset
     * @throws IllegalStateException for a data directory of the first log format
     */
    static Result run(Path dataDir, Map<String, Long> ackOffsets, boolean repair, Sink sink) throws IOException {
        return run(dataDir, ackOffsets, repair, QueueFiles.DEFAULT, sink);
    }

    /** @param files how the segments are opened (a space budget in tests: the active one is appended to later) */
    static Result run(Path dataDir, Map<String, Long> ackOffsets, boolean repair, QueueFiles files, Sink sink)
            throws IOException {
        LogRecovery r = new LogRecovery(dataDir, repair, files);
        try {
            return r.run(ackOffsets, sink);
        } catch (IOException | RuntimeException e) {
            for (Kept k : r.kept) k.ch().close();
            throw e;
        }
    }

    private Result run(Map<String, Long> ackOffsets, Sink sink) throws IOException {
        gaps = LogGaps.read(logDir.resolve("gaps"));
        List<Map.Entry<Long, Path>> files = new ArrayList<>(
                (Files.isDirectory(logDir) ? DurableQueue.segmentFiles(logDir) : new TreeMap<Long, Path>()).entrySet());
        long records = 0;
        long torn = 0;
        long seqBefore = 0;
        long lastFirstSeq = 0;
        long end = 0;
        for (int i = 0; i < files.size(); i++) {
            boolean last = i == files.size() - 1;
            long base = files.get(i).getKey();
            Path path = files.get(i).getValue();
            String name = path.getFileName().toString();
            FileChannel ch;
            try {
                ch = repair
                        ? this.files.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                        : FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                if (repair) throw e;
                gaps = LogGaps.read(logDir.resolve("gaps"));    // a running service delivered and deleted it meanwhile
                continue;
            }
            long seqBeforeGap = seqBefore;
            seqBefore = Math.max(seqBefore, gaps.nextSeqBefore(base) - 1);
            SegmentScanner.Result r;
            try {
                r = SegmentScanner.scan(ch, ch.size(), base, seqBefore, (off, h, body) -> sink.record(base + off, h, body));
                if (r.headerState() == SegmentScanner.HeaderState.V1) {
                    throw new IllegalStateException(DurableQueue.v1Message(dataDir, name));
                }
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            records += r.records();
            if (base > end) missing(end, base, seqBeforeGap, r.header() != null ? r.header().firstSeq() : -1);
            for (SegmentScanner.Damage d : r.damage()) {
                damage(RecoveryFinding.Kind.DAMAGED_RECORDS, ch, name, d.offset(), d.length(), d.seqBefore(),
                        d.lostRecords(), "the intact records after it are kept");
            }
            long size = r.size();
            SegmentScanner.Tail t = r.tail();
            // a 0-byte last segment is a crash inside createSegment, before its header reached the disk: without a
            // header written now, the first record appended to it would read as damage at the next start
            boolean emptyLast = last && r.size() == 0;
            if ((t != null && t.torn() && last) || emptyLast) {
                // the interrupted last write of a crash: never acknowledged, so cutting it loses nothing
                size = r.headerState() == SegmentScanner.HeaderState.SHORT ? 0 : t.offset();
                torn += r.size() - size;
                if (repair) {
                    if (!emptyLast) log.warn("log {}: {} bytes of a torn write at offset {} cut (an interrupted write)", name, r.size() - size, size);
                    ch.truncate(size);
                    if (size == 0) {
                        ByteBuffer h = RecordFormat.segmentHeader(base, seqBefore + 1);
                        while (h.hasRemaining()) ch.write(h, h.position());
                    }
                    ch.force(true);
                }
                if (size == 0) size = RecordFormat.SEGMENT_HEADER;
            } else if (t != null && last) {
                damage(RecoveryFinding.Kind.CORRUPT_TAIL, ch, name, t.offset(), t.length(), t.seqBefore(), t.lostRecords(),
                        "nothing intact follows it: it stays in place and new records are appended after it");
            } else if (t != null) {
                long lost = t.lostRecords();
                long nextBase = files.get(i + 1).getKey();
                long nextFirst = nextBase == base + size ? firstSeqOf(files.get(i + 1).getValue(), nextBase) : -1;
                if (nextFirst > 0) lost = Math.max(lost, nextFirst - 1 - t.seqBefore());
                damage(RecoveryFinding.Kind.DAMAGED_RECORDS, ch, name, t.offset(), t.length(), t.seqBefore(), lost,
                        "it runs to the end of the segment; the following segments are read as usual");
            }
            long lastSeq = Math.max(r.lastSeq(), r.header() == null ? 0 : r.header().firstSeq() - 1);
            if (t != null) lastSeq = Math.max(lastSeq, t.maxSeq());
            seqBefore = Math.max(seqBefore, lastSeq);
            lastFirstSeq = r.header() == null ? 0 : r.header().firstSeq();
            kept.add(new Kept(base, path, ch, size, seqBefore));
            end = base + size;
        }

        long covered = Math.max(end, gaps.end());           // what the log is known to have reached
        long maxAck = 0;
        for (var a : ackOffsets.entrySet()) {
            long ack = a.getValue();
            maxAck = Math.max(maxAck, ack);
            if (ack > covered) {
                long lost = ack - covered;
                String msg = "handler " + a.getKey() + " acknowledged the log up to position " + ack + " but it ends at "
                        + covered + ": at least its last " + lost + " bytes are missing; new events start after position " + ack;
                findings.add(new RecoveryFinding(RecoveryFinding.Kind.ACK_PAST_END, null, a.getKey(), ack, lost, -1, null, msg));
                note(msg);
            }
        }
        if (maxAck > covered) {
            // the lost end held at most this many records: skipping their seqs keeps every seq unique
            long floor = Math.max(seqBefore, gaps.nextSeq() - 1) + 1 + (maxAck - covered + RecordFormat.MIN_RECORD - 1) / RecordFormat.MIN_RECORD;
            gaps.add(covered, maxAck, floor);               // reported once: the next start knows this range
            gapsChanged = true;
        }
        if (repair && gapsChanged) gaps.rewrite();
        long nextSeq = Math.max(seqBefore + 1, Math.max(lastFirstSeq, gaps.nextSeq()));
        return new Result(List.copyOf(kept), records, torn, List.copyOf(findings), nextSeq, Math.max(covered, maxAck), gaps);
    }

    /** The first seq a segment's header names, or -1 when the header does not verify (or the file is gone). */
    private static long firstSeqOf(Path segment, long base) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read the whole header
            }
            RecordFormat.SegmentHeader h = RecordFormat.parseSegmentHeader(b.flip());
            return h == null || h.base() != base ? -1 : h.firstSeq();
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /** Reports log positions {@code [from, to)} that have no segment file unless {@link LogGaps} lists them. */
    private void missing(long from, long to, long seqBefore, long nextFirstSeq) {
        List<LogGaps.Range> uncovered = gaps.uncovered(from, to);
        // the seqs in between count the lost records only when no deleted segment shares the hole
        long lost = uncovered.size() == 1 && uncovered.get(0).to() - uncovered.get(0).from() == to - from
                && nextFirstSeq > 0 ? Math.max(0, nextFirstSeq - 1 - seqBefore) : -1;
        for (LogGaps.Range m : uncovered) {
            String msg = "log positions " + m.from() + " to " + m.to() + " (" + (m.to() - m.from())
                    + " bytes) have no segment file and were not deleted by event-service: a segment file is missing"
                    + " (expected " + String.format("%020d.log", m.from()) + ")"
                    + (lost < 0 ? "" : "; " + lost + " records lost after seq " + seqBefore);
            findings.add(new RecoveryFinding(RecoveryFinding.Kind.MISSING_SEGMENT, null, null, m.from(), m.to() - m.from(),
                    lost, null, msg));
            note(msg);
            gaps.add(m.from(), m.to(), 0);
            gapsChanged = true;
        }
    }

    /** Logs a finding when recovering; {@code service verify} prints its findings itself. */
    private void note(String msg) {
        if (repair) log.error("log: {}", msg);
    }

    private void damage(RecoveryFinding.Kind kind, FileChannel ch, String segment, long offset, long length,
                        long seqBefore, long lost, String what) throws IOException {
        String q = null;
        String qNote;
        if (repair) {
            try {
                q = quarantine.keep(ch, segment, offset, length, kind, seqBefore, lost,
                        "damaged bytes of segment " + segment + " at offset " + offset);
                qNote = "copied to quarantine/" + q;
            } catch (IOException e) {
                qNote = "could not be copied to quarantine (" + e.getMessage() + ")";
            }
        } else {
            q = quarantine.existing(segment, offset);
            qNote = q == null ? "not quarantined yet" : "quarantined as quarantine/" + q;
        }
        String msg = "segment " + segment + ": " + length + " damaged bytes at offset " + offset + " skipped ("
                + (lost < 0 ? "an unknown number of" : String.valueOf(lost)) + " records lost after seq " + seqBefore
                + "); " + what + "; " + qNote;
        findings.add(new RecoveryFinding(kind, segment, null, offset, length, lost, q, msg));
        note(msg);
    }
}
