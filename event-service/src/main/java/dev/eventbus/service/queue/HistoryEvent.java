package dev.eventbus.service.queue;

import java.util.List;

/**
 * One event read back from history.
 *
 * @param seq      its event_seq
 * @param handlers the handlers it was routed to when accepted
 * @param payload  the event JSON exactly as accepted (not copied: do not modify)
 */
public record HistoryEvent(long seq, String eventId, String type, long acceptedAtMillis, List<String> handlers,
                           byte[] payload) {

    /** The event as a delivery marked as a replay ({@link QueuedEvent#replay()}), for a handler's target. */
    public QueuedEvent asReplay() {
        return new QueuedEvent(new DurableQueue.Entry(-1, -1, seq, System.nanoTime(), 0), eventId, type, handlers,
                acceptedAtMillis, payload, null, true);
    }
}
