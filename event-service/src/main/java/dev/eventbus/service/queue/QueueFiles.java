package dev.eventbus.service.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the queue opens its files. Production uses {@link #DEFAULT}; tests substitute channels that run out of space
 * past a byte budget, so the full-disk paths are exercised without a real full file system. Only opening goes through
 * here: reads and writes are plain {@link FileChannel} calls, so nothing is added to the append path.
 */
@FunctionalInterface
public interface QueueFiles {
    QueueFiles DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
