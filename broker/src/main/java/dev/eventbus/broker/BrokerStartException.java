package dev.eventbus.broker;

/** The broker could not start: a port in use, an address that cannot be bound. The message is for humans. */
public final class BrokerStartException extends RuntimeException {
    public BrokerStartException(String message, Throwable cause) { super(message, cause); }
}
