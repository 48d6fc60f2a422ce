package dev.eventbus.service.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one segment file from start to end and sorts its bytes into intact records, damaged ranges and a tail. Never
 * writes: recovery and {@code service verify} (which may look at the files of a running service) share it.
 *
 * <p>A record counts only when its magic, header CRC and body CRC verify, its body parses, and its seq is above the
 * one before it. At a byte range that fails, the scanner resynchronises: it tries every later offset until a record
 * counts again, so damage costs only the bytes it hit. What fails with no intact record after it, up to the end of
 * the file, is the tail; it is "torn" (an interrupted write, expected after a crash) when it is a partial header, a
 * record whose header verifies but whose body runs past the end of the file, or only zero bytes.
 */
final class SegmentScanner {
    private static final int CHUNK = 64 * 1024;

    /** Receives every intact record in file order. */
    @FunctionalInterface
    interface Visitor {
        void record(long offset, RecordFormat.Header header, RecordFormat.Body body) throws IOException;
    }

    enum HeaderState { OK, DAMAGED, SHORT, V1 }

    /**
     * Bytes that hold no intact record, with intact records after them in the same segment.
     *
     * @param seqBefore seq of the last intact record before the range (or the one expected before the segment)
     * @param seqAfter  seq of the first intact record after it
     */
    record Damage(long offset, long length, long seqBefore, long seqAfter) {
        /** Records the range held: the seqs missing between its neighbours. */
        long lostRecords() { return Math.max(0, seqAfter - seqBefore - 1); }
    }

    /**
     * The bytes from the end of the last intact record to the end of the file.
     *
     * @param seqBefore the seq of the last intact record before it
     * @param maxSeq    the highest seq among record headers that still verify inside a damaged tail (their bodies
     *                  do not), or -1: how far the seqs went, so none is given out twice
     */
    record Tail(long offset, long length, boolean torn, long seqBefore, long maxSeq) {
        /** Records the tail held, as far as their surviving headers tell; -1 when none does. */
        long lostRecords() { return maxSeq < 0 ? -1 : maxSeq - seqBefore; }
    }

    /**
     * @param header    the segment header, or null unless {@code headerState} is OK
     * @param validEnd  file offset just after the last intact record (at least the header size)
     * @param firstSeq  seq of the first intact record, or -1
     * @param lastSeq   seq of the last intact record, or -1
     * @param tail      null when the file ends with an intact record
     */
    record Result(HeaderState headerState, RecordFormat.SegmentHeader header, long size, long validEnd, long records,
                  long firstSeq, long lastSeq, List<Damage> damage, Tail tail) {}

    private final FileChannel ch;
    private final long size;

    private SegmentScanner(FileChannel ch, long size) {
        this.ch = ch;
        this.size = size;
    }

    /**
     * @param size      bytes of the file to look at (a running service may append beyond)
     * @param base      the segment's base position, from its file name
     * @param seqBefore seq of the last intact record in earlier segments (0 for none): a record at or below it is
     *                  not genuine
     */
    static Result scan(FileChannel ch, long size, long base, long seqBefore, Visitor visitor) throws IOException {
        return new SegmentScanner(ch, size).run(base, seqBefore, visitor);
    }

    private Result run(long base, long seqBefore, Visitor visitor) throws IOException {
        ByteBuffer head = read(0, (int) Math.min(size, RecordFormat.SEGMENT_HEADER));
        RecordFormat.SegmentHeader header = RecordFormat.parseSegmentHeader(head);
        HeaderState state;
        if (size < RecordFormat.SEGMENT_HEADER) {
            state = RecordFormat.looksLikeV1(head, size) ? HeaderState.V1 : HeaderState.SHORT;
            if (state == HeaderState.SHORT) {
                return new Result(state, null, size, RecordFormat.SEGMENT_HEADER, 0, -1, -1, List.of(),
                        size == 0 ? null : new Tail(0, size, true, seqBefore, -1));
            }
            return new Result(state, null, size, 0, 0, -1, -1, List.of(), null);
        }
        if (header == null || header.base() != base) {
            state = RecordFormat.looksLikeV1(read(0, (int) Math.min(size, 64 * 1024)), size) ? HeaderState.V1 : HeaderState.DAMAGED;
            if (state == HeaderState.V1) return new Result(state, null, size, 0, 0, -1, -1, List.of(), null);
            header = null;
        } else {
            state = HeaderState.OK;
            seqBefore = Math.max(seqBefore, header.firstSeq() - 1);
        }

        List<Damage> damage = new ArrayList<>();
        long records = 0;
        long firstSeq = -1;
        long prevSeq = seqBefore;
        long validEnd = RecordFormat.SEGMENT_HEADER;
        long off = RecordFormat.SEGMENT_HEADER;
        long badFrom = state == HeaderState.OK ? -1 : 0;        // a damaged header is damage from byte 0
        Tail tail = null;
        while (off < size) {
            Candidate c = candidate(off, prevSeq);
            if (c == null) {
                if (badFrom < 0) badFrom = off;
                long next = resync(off + 1, prevSeq);
                if (next < 0) {
                    boolean torn = badFrom == off && torn(off);
                    tail = new Tail(badFrom, size - badFrom, torn, prevSeq, torn ? -1 : maxHeaderSeq(badFrom, prevSeq));
                    break;
                }
                off = next;
                continue;
            }
            if (badFrom >= 0) {
                damage.add(new Damage(badFrom, off - badFrom, prevSeq, c.header.seq()));
                badFrom = -1;
            }
            visitor.record(off, c.header, c.body);
            records++;
            if (firstSeq < 0) firstSeq = c.header.seq();
            prevSeq = c.header.seq();
            off += RecordFormat.RECORD_HEADER + c.header.bodyLength();
            validEnd = off;
        }
        if (tail == null && badFrom >= 0) tail = new Tail(badFrom, size - badFrom, false, prevSeq, -1);   // a bare header
        return new Result(state, header, size, validEnd, records, firstSeq, records == 0 ? -1 : prevSeq,
                List.copyOf(damage), tail);
    }

    private record Candidate(RecordFormat.Header header, RecordFormat.Body body) {}

    /** The record at {@code off} if it is intact and follows {@code prevSeq}; else null. */
    private Candidate candidate(long off, long prevSeq) throws IOException {
        if (size - off < RecordFormat.RECORD_HEADER) return null;
        RecordFormat.Header h = RecordFormat.parseHeader(read(off, RecordFormat.RECORD_HEADER), 0);
        if (h == null || h.seq() <= prevSeq || size - off - RecordFormat.RECORD_HEADER < h.bodyLength()) return null;
        ByteBuffer body = read(off + RecordFormat.RECORD_HEADER, h.bodyLength());
        if (!RecordFormat.bodyIntact(h, body)) return null;
        try {
            return new Candidate(h, RecordFormat.decode(body));
        } catch (DurableQueue.CorruptRecordException e) {
            return null;
        }
    }

    /** The first offset at or after {@code from} where an intact record starts, or -1. */
    private long resync(long from, long prevSeq) throws IOException {
        for (long at = from; at + RecordFormat.RECORD_HEADER <= size; ) {
            int n = (int) Math.min(CHUNK, size - at);
            ByteBuffer chunk = read(at, n);
            int last = n - 4;                               // consecutive chunks overlap by 3 bytes: no magic is split
            for (int i = 0; i <= last; i++) {
                if (chunk.getInt(i) == RecordFormat.RECORD_MAGIC && candidate(at + i, prevSeq) != null) return at + i;
            }
            at += last + 1;
        }
        return -1;
    }

    /** The highest seq above {@code prevSeq} in a record header from {@code from} on that verifies, or -1. */
    private long maxHeaderSeq(long from, long prevSeq) throws IOException {
        long max = -1;
        for (long at = from; at + RecordFormat.RECORD_HEADER <= size; ) {
            int n = (int) Math.min(CHUNK, size - at);
            ByteBuffer chunk = read(at, n);
            for (int i = 0; i + RecordFormat.RECORD_HEADER <= n; i++) {
                if (chunk.getInt(i) != RecordFormat.RECORD_MAGIC) continue;
                RecordFormat.Header h = RecordFormat.parseHeader(chunk, i);
                if (h != null && h.seq() > prevSeq) max = Math.max(max, h.seq());
            }
            at += n - RecordFormat.RECORD_HEADER + 1;       // overlap: no header is split between chunks
        }
        return max;
    }

    /** Whether the failed bytes from {@code off} to the end look like an interrupted write rather than damage. */
    private boolean torn(long off) throws IOException {
        long left = size - off;
        if (left < RecordFormat.RECORD_HEADER) return true;
        RecordFormat.Header h = RecordFormat.parseHeader(read(off, RecordFormat.RECORD_HEADER), 0);
        if (h != null && left - RecordFormat.RECORD_HEADER < h.bodyLength()) return true;
        for (long at = off; at < size; ) {
            int n = (int) Math.min(CHUNK, size - at);
            ByteBuffer b = read(at, n);
            for (int i = 0; i < n; i++) if (b.get(i) != 0) return false;
            at += n;
        }
        return true;
    }

    private ByteBuffer read(long at, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            int r = ch.read(b, at + b.position());
            if (r < 0) throw new IOException("segment ended at " + (at + b.position()) + " while being read");
        }
        return b.flip();
    }
}
