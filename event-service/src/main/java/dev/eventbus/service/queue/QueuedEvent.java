package dev.eventbus.service.queue;

import java.util.List;

/** A record read back from the log for one handler: the event bytes plus what was stored beside them. */
public final class QueuedEvent {
    final DurableQueue.Entry entry;
    private final String eventId;
    private final String type;
    private final List<String> handlers;
    private final long acceptedAtMillis;
    private final byte[] payload;
    private final String corruption;
    private final boolean replay;

    QueuedEvent(DurableQueue.Entry entry, String eventId, String type, List<String> handlers, long acceptedAtMillis,
                byte[] payload, String corruption) {
        this(entry, eventId, type, handlers, acceptedAtMillis, payload, corruption, false);
    }

    QueuedEvent(DurableQueue.Entry entry, String eventId, String type, List<String> handlers, long acceptedAtMillis,
                byte[] payload, String corruption, boolean replay) {
        this.replay = replay;
        this.corruption = corruption;
        this.entry = entry;
        this.eventId = eventId;
        this.type = type;
        this.handlers = handlers;
        this.acceptedAtMillis = acceptedAtMillis;
        this.payload = payload;
    }

    /** Position of the record in the log (unique and increasing for the life of the data directory). */
    public long position() { return entry.pos; }

    public long end() { return entry.end; }

    /** The record's sequence number (event_seq): 1, 2, 3… in append order, never reused in the data directory. */
    public long seq() { return entry.seq; }

    public String eventId() { return eventId; }

    public String type() { return type; }

    /** Every handler the record was routed to when it was appended. */
    public List<String> handlers() { return handlers; }

    /** Wall-clock time of accept (or replay). */
    public long acceptedAtMillis() { return acceptedAtMillis; }

    /** {@link System#nanoTime()} of accept (estimated from the wall clock for records recovered from disk). */
    public long acceptedAtNanos() { return entry.acceptedAtNanos; }

    /** The event JSON exactly as accepted. Not copied: do not modify. */
    public byte[] payload() { return payload; }

    /**
     * Non-null when the record failed its CRC when read back for delivery (disk corruption after recovery): the
     * payload is then empty and the event cannot be delivered; the worker dead-letters it with this message.
     */
    public String corruption() { return corruption; }

    /**
     * True for an event re-delivered from history on request ({@code service replay}), not from the handler's queue:
     * targets get it marked ({@code X-Eventbus-Replay: true}); it was delivered before.
     */
    public boolean replay() { return replay; }

    @Override
    public String toString() { return "QueuedEvent{" + type + " " + eventId + " #" + entry.seq + " @" + entry.pos + "}"; }
}
