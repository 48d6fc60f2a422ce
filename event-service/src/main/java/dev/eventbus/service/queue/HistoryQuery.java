package dev.eventbus.service.queue;

import java.time.Instant;

/**
 * Which history to read: from a seq or an accept time (or the oldest kept), optionally only one type and only events
 * routed to one handler, up to a seq or a time. Immutable; start from {@link #all()} and narrow with the withers.
 *
 * @param fromSeq  first seq wanted (0: no lower bound by seq)
 * @param since    first accept time wanted, inclusive (null: none)
 * @param type     only this event type (null: all)
 * @param handler  only events routed to this handler (null: all)
 * @param untilSeq last seq wanted, inclusive (0: none)
 * @param until    last accept time wanted, inclusive (null: none)
 */
public record HistoryQuery(long fromSeq, Instant since, String type, String handler, long untilSeq, Instant until) {
    public HistoryQuery {
        if (fromSeq < 0) throw new IllegalArgumentException("from_seq must be >= 0: " + fromSeq);
        if (untilSeq < 0) throw new IllegalArgumentException("until seq must be >= 0: " + untilSeq);
        if (untilSeq > 0 && fromSeq > untilSeq) {
            throw new IllegalArgumentException("the range is empty: from seq " + fromSeq + " is after until seq " + untilSeq);
        }
        if (since != null && until != null && since.isAfter(until)) {
            throw new IllegalArgumentException("the range is empty: since " + since + " is after until " + until);
        }
    }

    public static HistoryQuery all() { return new HistoryQuery(0, null, null, null, 0, null); }

    public HistoryQuery fromSeq(long seq) { return new HistoryQuery(seq, since, type, handler, untilSeq, until); }

    public HistoryQuery since(Instant t) { return new HistoryQuery(fromSeq, t, type, handler, untilSeq, until); }

    public HistoryQuery type(String t) { return new HistoryQuery(fromSeq, since, t, handler, untilSeq, until); }

    public HistoryQuery handler(String h) { return new HistoryQuery(fromSeq, since, type, h, untilSeq, until); }

    public HistoryQuery untilSeq(long seq) { return new HistoryQuery(fromSeq, since, type, handler, seq, until); }

    public HistoryQuery until(Instant t) { return new HistoryQuery(fromSeq, since, type, handler, untilSeq, t); }

    /** Whether a record past the start matches the filters (the bounds are checked by the reader). */
    boolean matches(String recordType, java.util.List<String> handlers) {
        return (type == null || type.equals(recordType)) && (handler == null || handlers.contains(handler));
    }

    /** Whether a record is past the end of the range: reading stops there. */
    boolean beyond(long seq, long acceptedAtMillis) {
        return (untilSeq > 0 && seq > untilSeq) || (until != null && acceptedAtMillis > until.toEpochMilli());
    }

    /** Whether a record is before the start of the range. */
    boolean before(long seq, long acceptedAtMillis) {
        return seq < fromSeq || (since != null && acceptedAtMillis < since.toEpochMilli());
    }
}
