package dev.eventbus.service.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A sparse in-memory index of the log for history reads: per segment its first and last seq, end and newest accept
 * time; and every {@value #EVERY}th record (plus the first of each segment, and the first after any gap) as a mark
 * {@code seq -> position}. A read starts at the nearest mark and scans at most {@value #EVERY} records to its start,
 * for about one byte of heap per event. Built by recovery and by appends (one writer at a time: recovery, then the
 * append lock); read by any thread.
 */
final class HistoryIndex {
    static final int EVERY = 64;

    /**
     * @param newestBefore the newest accept time of every record before this one (in seq order), so that a search by
     *                     time can skip everything before a mark whose value is older than the wanted time, even when
     *                     the wall clock stepped back between accepts
     */
    record Mark(long seq, long pos, long newestBefore) {}

    /** What the index knows of one segment. */
    static final class Span {
        final long base;
        volatile long firstSeq = -1;
        volatile long lastSeq = -1;
        /** Log position just after the last record. */
        volatile long end;
        volatile long newestAcceptedAtMillis;
        volatile long firstAcceptedAtMillis;

        Span(long base) {
            this.base = base;
            this.end = base;
        }
    }

    private final ConcurrentSkipListMap<Long, Span> spans = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Mark> marks = new ConcurrentSkipListMap<>();
    private long lastMarkSeq = Long.MIN_VALUE;
    private long lastEnd = -1;
    private long newest = Long.MIN_VALUE;
    private volatile long lastSeq = 0;

    /** A segment exists (possibly still empty). */
    void segment(long base) { spans.computeIfAbsent(base, Span::new); }

    /** A valid record, in log order, in the newest segment announced by {@link #segment} at or before it. */
    void record(long seq, long pos, long end, long acceptedAtMillis) {
        Map.Entry<Long, Span> e = spans.floorEntry(pos);
        if (e == null) throw new IllegalStateException("no segment announced for log position " + pos);
        Span s = e.getValue();
        boolean first = s.firstSeq < 0;
        if (first || pos != lastEnd || seq - lastMarkSeq >= EVERY) {
            marks.put(seq, new Mark(seq, pos, newest));
            lastMarkSeq = seq;
        }
        if (first) {
            s.firstAcceptedAtMillis = acceptedAtMillis;
            s.firstSeq = seq;
        }
        s.lastSeq = seq;
        s.end = end;
        if (acceptedAtMillis > s.newestAcceptedAtMillis) s.newestAcceptedAtMillis = acceptedAtMillis;
        if (acceptedAtMillis > newest) newest = acceptedAtMillis;
        lastEnd = end;
        lastSeq = seq;
    }

    /** The segment was deleted: its records are no longer history. */
    void dropSegment(long base) {
        Span s = spans.remove(base);
        if (s != null && s.firstSeq >= 0) marks.subMap(s.firstSeq, true, s.lastSeq, true).clear();
    }

    /** Accept time of the newest record in the segment; 0 when it has none. */
    long newestAcceptedAtMillis(long base) {
        Span s = spans.get(base);
        return s == null ? 0 : s.newestAcceptedAtMillis;
    }

    /** The oldest seq still in the log, or -1 when the log holds no record. */
    long firstSeq() {
        Span s = oldest();
        return s == null ? -1 : s.firstSeq;
    }

    /** Accept time of the oldest record still in the log, or 0. */
    long firstAcceptedAtMillis() {
        Span s = oldest();
        return s == null ? 0 : s.firstAcceptedAtMillis;
    }

    private Span oldest() {
        for (Span s : spans.values()) if (s.firstSeq >= 0) return s;
        return null;
    }

    /** After recovery: the seqs below the next one were used, even when no record of them is left. */
    void lastSeqAtLeast(long seq) {
        if (seq > lastSeq) lastSeq = seq;
    }

    /** The newest seq appended (durable or not yet); 0 before the first. */
    long lastSeq() { return lastSeq; }

    /** The nearest mark at or before {@code seq}, else the first mark; null when the log holds no record. */
    Mark floorMark(long seq) {
        Map.Entry<Long, Mark> e = marks.floorEntry(seq);
        if (e == null) e = marks.firstEntry();
        return e == null ? null : e.getValue();
    }

    /** The last mark before which every record was accepted before {@code millis}; else the first mark. */
    Mark markBefore(long millis) {
        Mark best = null;
        for (Mark m : marks.values()) {
            if (m.newestBefore() >= millis) break;
            best = m;
        }
        return best != null ? best : floorMark(Long.MIN_VALUE);
    }

    /** The first mark after a record that could not be read (to resynchronise on). */
    Mark markAfter(long seq, long pos) {
        for (Mark m : marks.tailMap(seq, false).values()) if (m.pos() > pos) return m;
        return null;
    }

    /** The segment holding {@code pos}, or null. */
    Span spanAt(long pos) {
        Map.Entry<Long, Span> e = spans.floorEntry(pos);
        return e == null ? null : e.getValue();
    }

    /** The segment after the one starting at {@code base}, or null. */
    Span next(long base) {
        Map.Entry<Long, Span> e = spans.higherEntry(base);
        return e == null ? null : e.getValue();
    }
}
