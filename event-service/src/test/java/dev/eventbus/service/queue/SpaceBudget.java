package dev.eventbus.service.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A file system of {@code budget} bytes for the queue: a write that would make the files under {@code root} hold more
 * fails as a full disk does ("No space left on device"), and deleting or truncating files gives the space back.
 * Only byte counts, no blocks: overwriting bytes a file already has never fails.
 */
final class SpaceBudget implements QueueFiles {
    private final Path root;
    private volatile long budget;
    private volatile boolean failForce;

    SpaceBudget(Path root, long budget) {
        this.root = root;
        this.budget = budget;
    }

    void budget(long bytes) { budget = bytes; }

    /** While set, every fsync fails as a failing disk's does (EIO). */
    void failForce(boolean fail) { failForce = fail; }

    /** Bytes of all regular files under root. */
    long used() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;                               // deleted while walking
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes the rest of the budget with a file the queue does not know, as another program would. */
    void fillWith(Path file) throws IOException {
        long free = budget - used();
        if (free > 0) Files.write(file, new byte[(int) free]);
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        return new Budgeted(FileChannel.open(path, options));
    }

    private final class Budgeted extends FileChannel {
        private final FileChannel d;

        Budgeted(FileChannel d) { this.d = d; }

        private void reserve(long at, long len) throws IOException {
            long grow = at + len - d.size();
            if (grow > 0 && used() + grow > budget) throw new IOException("No space left on device");
        }

        @Override public int read(ByteBuffer dst) throws IOException { return d.read(dst); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return d.read(dsts, offset, length); }
        @Override public int read(ByteBuffer dst, long position) throws IOException { return d.read(dst, position); }

        @Override public int write(ByteBuffer src) throws IOException {
            reserve(d.position(), src.remaining());
            return d.write(src);
        }

        @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long n = 0;
            for (int i = offset; i < offset + length; i++) n += srcs[i].remaining();
            reserve(d.position(), n);
            return d.write(srcs, offset, length);
        }

        @Override public int write(ByteBuffer src, long position) throws IOException {
            reserve(position, src.remaining());
            return d.write(src, position);
        }

        @Override public long position() throws IOException { return d.position(); }
        @Override public FileChannel position(long p) throws IOException { d.position(p); return this; }
        @Override public long size() throws IOException { return d.size(); }
        @Override public FileChannel truncate(long size) throws IOException { d.truncate(size); return this; }
        @Override public void force(boolean metaData) throws IOException {
            if (failForce) throw new IOException("Input/output error");
            d.force(metaData);
        }
        @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return d.transferTo(position, count, target);
        }
        @Override public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException("not used by the queue");
        }
        @Override public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("not used by the queue");
        }
        @Override public FileLock lock(long position, long size, boolean shared) throws IOException { return d.lock(position, size, shared); }
        @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { return d.tryLock(position, size, shared); }
        @Override protected void implCloseChannel() throws IOException { d.close(); }
    }
}
