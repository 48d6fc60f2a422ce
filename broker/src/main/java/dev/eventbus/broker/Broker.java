package dev.eventbus.broker;

import java.time.Duration;

/** STUB: the real implementation is being written; the public API below is the contract. */
public final class Broker implements AutoCloseable {
    private final BrokerOptions options;

    public Broker(BrokerOptions options) { this.options = options; }

    /** Binds the client port (and the monitoring port unless http_port is -1); throws BrokerStartException. */
    public Broker start() { throw new UnsupportedOperationException("not yet"); }

    public BrokerOptions options() { return options; }
    /** The bound client port. */
    public int port() { throw new UnsupportedOperationException(); }
    /** The bound monitoring port, or -1. */
    public int httpPort() { throw new UnsupportedOperationException(); }
    public String serverId() { throw new UnsupportedOperationException(); }
    public boolean readyForConnections(Duration wait) { throw new UnsupportedOperationException(); }
    /** Closes every connection and both listeners; idempotent. */
    public void shutdown() { }
    @Override public void close() { shutdown(); }
}
