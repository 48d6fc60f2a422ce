package dev.eventbus.service.queue;

/**
 * When a log segment whose records are all delivered gives its disk space back: the one place that decides it, so that
 * a retention policy (keeping delivered history for replay) is one change here.
 * <ul>
 *   <li>{@link #mayDelete}: a closed, fully delivered segment is deleted when this says so (today: at once).</li>
 *   <li>{@link #rollDelivered}: the active segment is never deleted, so under storage pressure a fully delivered
 *       active one is first closed (the next one starts at the next log position and seq) and then deleted. Without
 *       this a log that filled the disk would stay on it. Without pressure it stays, as before: rolling on every drain
 *       would cost a file and two fsyncs each time, and would cut retained history into small segments.</li>
 * </ul>
 * {@code pressure} is true while appends are refused for lack of room (a full disk or {@code queue.max_bytes}) and
 * while an append that found no room looks for some: retained history should then go before intake is refused.
 */
class SegmentReaper {
    /** Whether a closed segment with every record delivered (or dead-lettered) may be deleted now. */
    boolean mayDelete(DurableQueue.Segment segment, boolean pressure) {
        return true;
    }

    /** Whether the active segment, every record of which is delivered, should be closed now so it can be deleted. */
    boolean rollDelivered(DurableQueue.Segment active, boolean pressure) {
        return pressure && active.hasRecords() && mayDelete(active, true);
    }
}
