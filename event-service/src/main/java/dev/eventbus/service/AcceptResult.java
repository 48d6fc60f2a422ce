package dev.eventbus.service;

import java.util.Objects;

/**
 * The answer of {@link EventService#accept(byte[])}.
 *
 * @param status   ACCEPTED (durably queued now), DUPLICATE (the same event_id was accepted within the dedup window;
 *                 nothing new was queued) or REFUSED
 * @param eventId  the event's id when it could be read, else null
 * @param reason   why it was refused; null unless REFUSED
 * @param message  a human-readable sentence; for a refusal it says what is wrong
 * @param seq      the event's event_seq when ACCEPTED (its place in the log, for history reads and replays), else 0
 */
public record AcceptResult(Status status, String eventId, RefusalReason reason, String message, long seq) {
    public enum Status { ACCEPTED, DUPLICATE, REFUSED }

    public AcceptResult {
        Objects.requireNonNull(status, "status");
        if ((status == Status.REFUSED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is required exactly for REFUSED");
        }
    }

    public AcceptResult(Status status, String eventId, RefusalReason reason, String message) {
        this(status, eventId, reason, message, 0);
    }

    public static AcceptResult accepted(String eventId) { return accepted(eventId, 0); }

    public static AcceptResult accepted(String eventId, long seq) {
        return new AcceptResult(Status.ACCEPTED, eventId, null, "accepted", seq);
    }

    public static AcceptResult duplicate(String eventId) {
        return new AcceptResult(Status.DUPLICATE, eventId, null, "duplicate event_id within the dedup window: accepted once");
    }

    public static AcceptResult refused(RefusalReason reason, String message, String eventId) {
        return new AcceptResult(Status.REFUSED, eventId, Objects.requireNonNull(reason, "reason"), message);
    }

    /** True for ACCEPTED and DUPLICATE: either way the producer is done with this event. */
    public boolean isAccepted() { return status != Status.REFUSED; }

    public boolean isDuplicate() { return status == Status.DUPLICATE; }

    public boolean isRefused() { return status == Status.REFUSED; }

    @Override
    public String toString() {
        return status == Status.REFUSED ? "REFUSED(" + reason.code() + ": " + message + ")" : status + "(" + eventId + ")";
    }
}
