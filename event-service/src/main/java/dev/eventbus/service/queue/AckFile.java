package dev.eventbus.service.queue;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One handler's acknowledged offset: every record routed to the handler that starts below it has been delivered or
 * dead-lettered. Two 24-byte slots written alternately ({@code offset u64, generation u64, crc32c u32, pad}); reading
 * picks the valid slot with the higher generation, so a torn write leaves the previous value. Not fsynced per write: a
 * stale offset only means re-delivery (at-least-once), never loss.
 * <p>
 * The file is sized to both slots and fsynced when it is opened, so every later write overwrites allocated bytes and
 * needs no new disk space: acknowledgements keep working on a full disk, and a restart then does not deliver again
 * what was delivered while the disk was full.
 */
final class AckFile implements Closeable {
    private static final int SLOT = 24;

    private final Path path;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(SLOT);
    private long offset;
    private long generation;

    private AckFile(Path path, FileChannel ch, long offset, long generation) {
        this.path = path;
        this.ch = ch;
        this.offset = offset;
        this.generation = generation;
    }

    static AckFile open(Path path) throws IOException { return open(QueueFiles.DEFAULT, path); }

    static AckFile open(QueueFiles files, Path path) throws IOException {
        FileChannel ch = files.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            preallocate(ch);
            long[] best = best(ch);
            return new AckFile(path, ch, best[0], Math.max(best[1], 0));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot open (and allocate) the ack file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The offset in an ack file, read without opening it for writing (for {@code service verify}). */
    static long peek(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return best(ch)[0];
        }
    }

    /** {offset, generation} of the valid slot with the higher generation; {0, -1} when neither is valid. */
    private static long[] best(FileChannel ch) throws IOException {
        long bestOffset = 0;
        long bestGen = -1;
        for (int slot = 0; slot < 2; slot++) {
            ByteBuffer b = ByteBuffer.allocate(SLOT);
            int n = 0;
            while (b.hasRemaining()) {
                int r = ch.read(b, (long) slot * SLOT + n);
                if (r < 0) break;
                n += r;
            }
            if (n < SLOT) continue;
            long off = b.getLong(0);
            long gen = b.getLong(8);
            int crc = b.getInt(16);
            if (crc(off, gen) == crc && off >= 0 && gen > bestGen) {
                bestGen = gen;
                bestOffset = off;
            }
        }
        return new long[] {bestOffset, bestGen};
    }

    /** Zeroes (an invalid slot) up to the full size; existing bytes are kept, so a valid slot stays valid. */
    private static void preallocate(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size >= 2 * SLOT) return;
        ByteBuffer zeros = ByteBuffer.allocate((int) (2 * SLOT - size));
        for (long at = size; zeros.hasRemaining(); ) at += ch.write(zeros, at);
        ch.force(true);
    }

    Path path() { return path; }

    synchronized long offset() { return offset; }

    synchronized void write(long newOffset) throws IOException {
        long gen = generation + 1;
        buf.clear();
        buf.putLong(newOffset).putLong(gen).putInt(crc(newOffset, gen)).putInt(0).flip();
        long at = (gen & 1) * SLOT;
        while (buf.hasRemaining()) at += ch.write(buf, at);
        generation = gen;
        offset = newOffset;
    }

    synchronized void force() throws IOException { ch.force(false); }

    @Override
    public synchronized void close() throws IOException {
        if (ch.isOpen()) {
            ch.force(false);
            ch.close();
        }
    }

    private static int crc(long off, long gen) {
        CRC32C c = new CRC32C();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(off).putLong(gen);
        c.update(b.array(), 0, 16);
        return (int) c.getValue();
    }
}
