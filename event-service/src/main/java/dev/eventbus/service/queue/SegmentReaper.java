package dev.eventbus.service.queue;

import java.util.function.LongSupplier;

/**
 * When a log segment whose records are all delivered gives its disk space back: the one place that decides it, with
 * the {@link Retention} that keeps delivered history for reads and replays.
 * <ul>
 *   <li>{@link #mayDelete}: a closed, fully delivered segment is deleted when this says so: at once without retention;
 *       with retention only when the periodic sweep ({@link DurableQueue#trimHistory}) finds it aged out or the log
 *       over its size cap; and under storage pressure always, since history must go before intake is refused.</li>
 *   <li>{@link #rollDelivered}: the active segment is never deleted, so under storage pressure a fully delivered
 *       active one is first closed (the next one starts at the next log position and seq) and then deleted. Without
 *       this a log that filled the disk would stay on it. Without pressure it stays, as before: rolling on every drain
 *       would cost a file and two fsyncs each time, and would cut retained history into small segments.</li>
 * </ul>
 * Pressure is on while appends are refused for lack of room (a full disk or {@code queue.max_bytes}) and while an
 * append that found no room looks for some.
 */
class SegmentReaper {
    /** Why a delivered segment is looked at. */
    enum Why {
        /** Its last record was just delivered (or it was just closed, or found at start). */
        DELIVERED,
        /** The periodic retention sweep. */
        SWEEP,
        /** Storage pressure: room is needed for new events. */
        PRESSURE
    }

    private final Retention retention;
    private final HistoryIndex index;
    private final LongSupplier logBytes;

    SegmentReaper(Retention retention, HistoryIndex index, LongSupplier logBytes) {
        this.retention = retention;
        this.index = index;
        this.logBytes = logBytes;
    }

    /** Whether a closed segment with every record delivered (or dead-lettered) may be deleted now. */
    boolean mayDelete(DurableQueue.Segment segment, Why why) {
        if (!retention.keepsHistory() || why == Why.PRESSURE) return true;
        return why == Why.SWEEP
                && retention.drops(index.newestAcceptedAtMillis(segment.base), System.currentTimeMillis(), logBytes.getAsLong());
    }

    /** Whether the active segment, every record of which is delivered, should be closed now so it can be deleted. */
    boolean rollDelivered(DurableQueue.Segment active, boolean pressure) {
        return pressure && active.hasRecords();
    }
}
