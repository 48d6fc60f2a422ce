package dev.eventbus.service.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One block of disk kept in reserve for the next segment file. When the queue's own log has filled the disk, the only
 * way to free space is to delete the delivered active segment, and that is safe only once its successor exists: the
 * successor's name (and header) carry the log position on across a restart. Creating the successor needs space of its
 * own, which a full disk does not have; the spare, allocated while there was room, is renamed into it instead.
 * A missing spare (no room to make one) is not an error: segments are then created the ordinary way.
 */
final class SpareSegment {
    /** In the data directory, not in log/, where every file is a segment. */
    static final String NAME = "segment.spare";
    static final int BYTES = 4096;

    private final QueueFiles files;
    private final Path path;

    SpareSegment(QueueFiles files, Path dataDir) {
        this.files = files;
        this.path = dataDir.resolve(NAME);
    }

    /** Allocates the spare if it is missing or short. False, harmlessly, when there is no room for it. */
    boolean replenish() {
        try (FileChannel ch = files.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size >= BYTES) return true;
            ByteBuffer zeros = ByteBuffer.allocate((int) (BYTES - size));
            for (long at = size; zeros.hasRemaining(); ) at += ch.write(zeros, at);
            ch.force(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Turns the spare into the file {@code target} holding just {@code head} (the bytes a new segment starts with),
     * inside the block the spare already owns.
     *
     * @return the open file, or null when there is no spare
     */
    FileChannel takeAs(Path target, ByteBuffer head) throws IOException {
        if (!Files.exists(path)) return null;
        FileChannel ch = files.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ch.truncate(head.remaining());
            for (long at = 0; head.hasRemaining(); ) at += ch.write(head, at);
            ch.force(true);
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
