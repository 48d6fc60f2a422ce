package dev.eventbus.broker.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * The /connz {@code sort} options, with nats-server's orderings ({@code monitor_sort_opts.go}): cid and start
 * ascending, counters descending, {@code last} most recent first, {@code idle} by last activity minus start
 * (descending; a nats-server quirk, not "now minus last"), {@code uptime} shortest first, {@code stop} latest first,
 * {@code reason} alphabetical. Ties keep cid order: Go's unstable sort leaves them unspecified.
 */
public enum ConnSort {
    CID("cid"),
    START("start"),
    SUBS("subs"),
    PENDING("pending"),
    MSGS_TO("msgs_to"),
    MSGS_FROM("msgs_from"),
    BYTES_TO("bytes_to"),
    BYTES_FROM("bytes_from"),
    LAST("last"),
    IDLE("idle"),
    UPTIME("uptime"),
    /** Only valid with {@link ConnState#CLOSED}. */
    STOP("stop"),
    /** Only valid with {@link ConnState#CLOSED}. */
    REASON("reason");

    private final String wireName;

    ConnSort(String wireName) { this.wireName = wireName; }

    /** The query-string value, e.g. {@code msgs_to}. */
    public String wireName() { return wireName; }

    /** Case-sensitive like nats-server; "" means {@link #CID}. */
    public static ConnSort parse(String s) {
        if (s.isEmpty()) return CID;
        for (ConnSort o : values()) {
            if (o.wireName.equals(s)) return o;
        }
        throw new MonitorException("invalid sorting option: " + s);
    }

    /** The order for this option; {@code now} measures the uptime of open connections. */
    public Comparator<ConnInfo> comparator(Instant now) {
        switch (this) {
            case CID: case START: return Comparator.comparingLong(ConnInfo::cid);
            case SUBS: return Comparator.comparingInt(ConnInfo::numSubs).reversed();
            case PENDING: return Comparator.comparingLong(ConnInfo::pendingBytes).reversed();
            case MSGS_TO: return Comparator.comparingLong(ConnInfo::outMsgs).reversed();
            case MSGS_FROM: return Comparator.comparingLong(ConnInfo::inMsgs).reversed();
            case BYTES_TO: return Comparator.comparingLong(ConnInfo::outBytes).reversed();
            case BYTES_FROM: return Comparator.comparingLong(ConnInfo::inBytes).reversed();
            case LAST: return Comparator.comparing((ConnInfo c) -> orEpoch(c.lastActivity())).reversed();
            case IDLE: return Comparator.comparing(
                    (ConnInfo c) -> Duration.between(orEpoch(c.start()), orEpoch(c.lastActivity()))).reversed();
            case UPTIME: return Comparator.comparing(
                    (ConnInfo c) -> Duration.between(orEpoch(c.start()), c.stop() != null ? c.stop() : now));
            case STOP: return Comparator.comparing((ConnInfo c) -> orEpoch(c.stop())).reversed();
            case REASON: return Comparator.comparing((ConnInfo c) -> Objects.toString(c.reason(), ""));
            default: throw new AssertionError(this);
        }
    }

    private static Instant orEpoch(Instant t) { return t != null ? t : Instant.EPOCH; }
}
