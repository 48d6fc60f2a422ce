package dev.eventbus.service.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code DIR/log/gaps}: the log positions that have no segment file on purpose. A segment is deleted once all its
 * records are delivered, and not only the oldest one (a stalled handler pins just the segments holding its records),
 * so a hole between two segment files is normal; this file is what tells it from a segment file that was lost.
 * Recovery also adds the ranges it found missing and reported, so they are reported once, not at every start.
 *
 * <p>One line per range, {@code FROM TO NEXT_SEQ} (decimal; NEXT_SEQ is the seq after the last record the range held,
 * 0 when unknown), appended and forced before the segment file is deleted; recovery rewrites it merged. A line torn
 * by a crash is ignored: at worst a deleted segment is then reported as missing.
 */
final class LogGaps {
    /** A half-open range of log positions. */
    record Range(long from, long to, long nextSeq) {}

    private final Path file;
    private final List<Range> ranges;                       // sorted by from, merged: no two overlap or touch

    private LogGaps(Path file, List<Range> ranges) {
        this.file = file;
        this.ranges = ranges;
    }

    static LogGaps read(Path file) throws IOException {
        LogGaps g = new LogGaps(file, new ArrayList<>());
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return g;
        }
        for (String line : lines) {
            String[] f = line.strip().split(" ");
            if (f.length != 3) continue;
            try {
                long from = Long.parseLong(f[0]);
                long to = Long.parseLong(f[1]);
                long seq = Long.parseLong(f[2]);
                if (from >= 0 && to > from && seq >= 0) g.merge(new Range(from, to, seq));
            } catch (NumberFormatException e) {
                // a torn last line
            }
        }
        return g;
    }

    /** The parts of {@code [from, to)} no range covers. */
    synchronized List<Range> uncovered(long from, long to) {
        List<Range> out = new ArrayList<>();
        long at = from;
        for (Range r : ranges) {
            if (r.to() <= at) continue;
            if (r.from() >= to) break;
            if (r.from() > at) out.add(new Range(at, r.from(), 0));
            at = Math.max(at, r.to());
            if (at >= to) break;
        }
        if (at < to) out.add(new Range(at, to, 0));
        return out;
    }

    /** The end of the last range (0 for none). */
    synchronized long end() { return ranges.isEmpty() ? 0 : ranges.get(ranges.size() - 1).to(); }

    /** The highest seq any deleted range is known to have held, plus one (0 for none). */
    synchronized long nextSeq() { return nextSeqBefore(Long.MAX_VALUE); }

    /** Like {@link #nextSeq()}, over the ranges that end at or before {@code pos}. */
    synchronized long nextSeqBefore(long pos) {
        long s = 0;
        for (Range r : ranges) if (r.to() <= pos) s = Math.max(s, r.nextSeq());
        return s;
    }

    /** Adds a range and appends it to the file, forced: call before deleting the segment it covers. */
    synchronized void record(long from, long to, long nextSeq) throws IOException {
        merge(new Range(from, to, nextSeq));
        byte[] line = (from + " " + to + " " + nextSeq + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) ch.write(b);
            ch.force(false);
        }
    }

    /** Adds a range in memory only; {@link #rewrite} saves it. */
    synchronized void add(long from, long to, long nextSeq) { merge(new Range(from, to, nextSeq)); }

    /** Replaces the file by the merged ranges (temp file, forced, renamed). */
    synchronized void rewrite() throws IOException {
        StringBuilder b = new StringBuilder();
        for (Range r : ranges) b.append(r.from()).append(' ').append(r.to()).append(' ').append(r.nextSeq()).append('\n');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableQueue.forceDirectory(file.getParent());
    }

    private void merge(Range add) {
        long from = add.from();
        long to = add.to();
        long seq = add.nextSeq();
        List<Range> out = new ArrayList<>(ranges.size() + 1);
        boolean placed = false;
        for (Range r : ranges) {
            if (r.to() < from) {
                out.add(r);
            } else if (r.from() > to) {
                if (!placed) {
                    out.add(new Range(from, to, seq));
                    placed = true;
                }
                out.add(r);
            } else {
                from = Math.min(from, r.from());
                to = Math.max(to, r.to());
                seq = Math.max(seq, r.nextSeq());
            }
        }
        if (!placed) out.add(new Range(from, to, seq));
        ranges.clear();
        ranges.addAll(out);
    }
}
