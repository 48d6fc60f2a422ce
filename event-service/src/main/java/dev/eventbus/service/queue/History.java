package dev.eventbus.service.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Reads events back from the log: by seq or accept time, filtered by type or handler, a page at a time. Only what is
 * durable is read (a record not yet on disk could still vanish in a crash, and its seq be given to another event).
 * Reads never disturb appends or deliveries: they open the segment files on their own read-only channels, and a
 * segment deleted meanwhile is skipped (an open channel keeps reading a deleted file on POSIX systems).
 */
public final class History {
    /** Records scanned per page at most, matching or not: a filter that matches little still answers in bounded time. */
    static final int MAX_SCAN = 20_000;

    /**
     * One page.
     *
     * @param events   matching events, in seq order
     * @param nextSeq  where the next page starts ({@code from_seq}); the seq after the last record looked at
     * @param complete true when the range is exhausted: the end of the durable log or the range's end was reached
     * @param gap      true when the range starts before the oldest event still kept: some of it is gone (retention)
     * @param firstSeq the oldest seq still kept (-1: none)
     */
    public record Page(List<HistoryEvent> events, long nextSeq, boolean complete, boolean gap, long firstSeq) {}

    private final HistoryIndex index;
    private final LongSupplier durableEnd;
    private final Path logDir;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    History(HistoryIndex index, LongSupplier durableEnd, Path logDir) {
        this.index = index;
        this.durableEnd = durableEnd;
        this.logDir = logDir;
    }

    /** The oldest seq still in the log, or -1 when it holds no record. */
    public long firstSeq() { return index.firstSeq(); }

    /** The newest seq appended (possibly not yet durable); 0 before the first event. */
    public long lastSeq() { return index.lastSeq(); }

    /**
     * Runs {@code r} whenever more of the log becomes durable (on the queue's flusher thread: it must only hand the
     * work to another thread). A live reader polls {@link #read} from there.
     */
    public void onDurable(Runnable r) { listeners.add(r); }

    public void removeOnDurable(Runnable r) { listeners.remove(r); }

    void durableAdvanced() {
        for (Runnable r : listeners) r.run();
    }

    /** Reads up to {@code limit} matching events. */
    public Page read(HistoryQuery q, int limit) throws IOException {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1: " + limit);
        long first = index.firstSeq();
        HistoryIndex.Mark m = q.fromSeq() > 0 ? index.floorMark(q.fromSeq())
                : q.since() != null ? index.markBefore(q.since().toEpochMilli()) : index.floorMark(Long.MIN_VALUE);
        long startSeq = Math.max(q.fromSeq(), 1);
        // a start before the oldest record kept: something in the range was deleted (history starts at seq 1)
        long kept = first >= 0 ? first : index.lastSeq() + 1;
        boolean gap = q.fromSeq() > 0 ? kept > startSeq && startSeq <= index.lastSeq()
                : q.since() != null && kept > 1 && (first < 0 || index.firstAcceptedAtMillis() > q.since().toEpochMilli());
        List<HistoryEvent> out = new ArrayList<>();
        if (m == null) return new Page(out, startSeq, true, gap, first);
        long limitEnd = durableEnd.getAsLong();
        long next = startSeq;
        Map<Long, FileChannel> open = new HashMap<>();
        try {
            HistoryIndex.Span span = index.spanAt(m.pos());
            long pos = m.pos();
            long lastSeq = m.seq() - 1;
            int scanned = 0;
            while (span != null) {
                long end = Math.min(span.end, limitEnd);
                if (pos >= end) {
                    if (span.end > limitEnd) return new Page(out, next, true, gap, first);   // the durable end
                    span = index.next(span.base);
                    if (span == null) break;
                    HistoryIndex.Mark n = span.firstSeq < 0 ? null : index.floorMark(span.firstSeq);
                    pos = n != null ? n.pos() : span.end;          // an empty segment: on to the next
                    continue;
                }
                FileChannel ch = channel(open, span.base);
                Record r = ch == null ? null : readRecord(ch, pos - span.base, end - pos);
                if (r == null) {
                    // a segment deleted under us, or a record that does not verify: go on at the next known record
                    HistoryIndex.Mark n = index.markAfter(lastSeq, pos);
                    if (n == null) break;
                    pos = n.pos();
                    span = index.spanAt(pos);
                    continue;
                }
                pos += r.length;
                lastSeq = r.seq;
                boolean before = q.before(r.seq, r.body.acceptedAtMillis());
                if (!before && q.beyond(r.seq, r.body.acceptedAtMillis())) {
                    // past the range: the cursor must move past its end too, or a reader that stops at untilSeq (a
                    // replay with an end time) would ask for the same page forever
                    return new Page(out, q.untilSeq() > 0 ? Math.max(next, q.untilSeq() + 1) : Math.max(next, r.seq), true, gap, first);
                }
                next = Math.max(next, r.seq + 1);
                if (!before && q.matches(r.body.type(), r.body.handlers())) {
                    out.add(new HistoryEvent(r.seq, r.body.eventId(), r.body.type(), r.body.acceptedAtMillis(),
                            r.body.handlers(), r.body.payload()));
                    if (out.size() >= limit) return new Page(out, next, q.untilSeq() > 0 && next > q.untilSeq(), gap, first);
                }
                if (++scanned >= MAX_SCAN) return new Page(out, next, q.untilSeq() > 0 && next > q.untilSeq(), gap, first);
            }
            return new Page(out, next, true, gap, first);
        } finally {
            for (FileChannel ch : open.values()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }

    private record Record(long seq, int length, RecordFormat.Body body) {}

    private FileChannel channel(Map<Long, FileChannel> open, long base) throws IOException {
        FileChannel ch = open.get(base);
        if (ch != null) return ch;
        try {
            ch = FileChannel.open(logDir.resolve(String.format("%020d.log", base)), StandardOpenOption.READ);
        } catch (NoSuchFileException gone) {
            return null;
        }
        open.put(base, ch);
        return ch;
    }

    /** The record at {@code local} in a segment, or null when it does not verify. */
    private static Record readRecord(FileChannel ch, long local, long available) throws IOException {
        if (available < RecordFormat.RECORD_HEADER) return null;
        ByteBuffer head = read(ch, local, RecordFormat.RECORD_HEADER);
        if (head == null) return null;
        RecordFormat.Header h = RecordFormat.parseHeader(head, 0);
        if (h == null || RecordFormat.RECORD_HEADER + (long) h.bodyLength() > available) return null;
        ByteBuffer body = read(ch, local + RecordFormat.RECORD_HEADER, h.bodyLength());
        if (body == null || !RecordFormat.bodyIntact(h, body)) return null;
        try {
            return new Record(h.seq(), RecordFormat.RECORD_HEADER + h.bodyLength(), RecordFormat.decode(body));
        } catch (DurableQueue.CorruptRecordException e) {
            return null;
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) return null;
        }
        return b.flip();
    }
}
