package dev.eventbus.service.queue;

/**
 * When a log segment whose records are all delivered gives its disk space back: the one place that decides it, so that
 * a retention policy (keeping delivered history for replay) is one change here.
 * <ul>
 *   <li>{@link #mayDelete}: a closed, fully delivered segment is deleted when this says so (today: at once).</li>
 *   <li>{@link #rollDelivered}: the active segment is never deleted, so a fully delivered active one is first closed
 *       (the next one starts at the next log position) when it has grown past a sixteenth of {@code segment_bytes}, or
 *       at any size under storage pressure. Without this a log that filled the disk would stay on it.</li>
 * </ul>
 * {@code pressure} is true while appends are refused for lack of room (a full disk or {@code queue.max_bytes}):
 * retained history should then go before intake is refused.
 */
class SegmentReaper {
    private final long rollDeliveredBytes;

    SegmentReaper(long segmentBytes) {
        this.rollDeliveredBytes = Math.max(1, segmentBytes / 16);
    }

    /** Whether a closed segment with every record delivered (or dead-lettered) may be deleted now. */
    boolean mayDelete(DurableQueue.Segment segment, boolean pressure) {
        return true;
    }

    /** Whether the active segment, every record of which is delivered, should be closed now so it can be deleted. */
    boolean rollDelivered(DurableQueue.Segment active, boolean pressure) {
        if (active.recordBytes() == 0) return false;
        return (pressure || active.size >= rollDeliveredBytes) && mayDelete(active, pressure);
    }
}
