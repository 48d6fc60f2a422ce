package dev.eventbus.service.queue;

import java.io.IOException;

/**
 * An append found no room: the file system is full ({@code ENOSPC}, {@code EDQUOT}) or the log would grow past
 * {@code queue.max_bytes}. Not sticky: the next append tries again, and room comes back as deliveries free segments.
 */
public final class StorageFullException extends IOException {
    public StorageFullException(String message) { super(message); }

    public StorageFullException(String message, IOException cause) { super(message, cause); }

    /** True when {@code e} is the operating system saying the disk (or the user's quota) is full. */
    static boolean isNoSpace(IOException e) {
        if (e instanceof StorageFullException) return true;
        String m = e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"));
    }
}
