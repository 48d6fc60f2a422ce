package dev.eventbus.broker.monitor;

import java.util.Locale;

/** Which connections /connz lists: nats-server's {@code ConnState}. */
public enum ConnState {
    OPEN,
    CLOSED,
    /** Open and closed ({@code state=all} or {@code state=any}). */
    ALL;

    /** nats-server's {@code decodeState}: case-insensitive, "" is {@link #OPEN}. */
    public static ConnState parse(String s) {
        if (s.isEmpty()) return OPEN;
        switch (s.toLowerCase(Locale.ROOT)) {
            case "open": return OPEN;
            case "closed": return CLOSED;
            case "any": case "all": return ALL;
            default: throw new MonitorException("Error decoding state for " + s);
        }
    }
}
