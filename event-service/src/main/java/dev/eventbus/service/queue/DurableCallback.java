package dev.eventbus.service.queue;

/** Told once whether an appended record reached the disk in time ({@link DurableQueue#whenDurable}). */
@FunctionalInterface
public interface DurableCallback {
    /**
     * Runs on the queue's flusher thread (or on the caller's, when the record is durable already): keep it short and
     * never block in it.
     *
     * @param durable false when the deadline passed first (fsync failing or too slow) or the queue closed
     */
    void done(boolean durable);
}
