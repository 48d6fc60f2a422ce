package dev.eventbus.broker.monitor;

/**
 * A monitoring request nats-server would answer with HTTP 400: the message is the exact plain-text body it sends
 * ({@code invalid sorting option: foo}, {@code Error decoding int for 'limit': strconv.Atoi: parsing "x": invalid
 * syntax}), because scripts match on those texts.
 */
public final class MonitorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MonitorException(String message) {
        super(message, null, false, false);
    }
}
