package dev.eventbus.broker;

import dev.eventbus.broker.monitor.MonitorSource;
import dev.eventbus.broker.server.Server;
import java.util.Objects;

/**
 * An embeddable NATS-protocol broker: {@code new Broker(options).start()}, then {@link #shutdown()}. The apps embed
 * it; the standalone launcher ({@code bin/eventbus broker}) runs it on its own.
 */
public final class Broker implements AutoCloseable {
    private final BrokerOptions options;
    private final Server server;
    private volatile boolean started;

    public Broker(BrokerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.server = new Server(options);
    }

    /**
     * Binds the client port, and the monitoring port unless http_port is -1. With
     * {@link BrokerOptions.Builder#deferAcceptingClients(boolean)}, binds only the local listener ({@link #localPort()});
     * {@link #acceptClients()} binds the rest.
     *
     * @throws BrokerStartException with a message fit for an operator (e.g. the port is in use)
     */
    public synchronized Broker start() {
        if (started) throw new IllegalStateException("already started");
        server.start();
        started = true;
        return this;
    }

    /**
     * With {@link BrokerOptions.Builder#deferAcceptingClients(boolean)}: binds the client port, the gateway and the
     * monitoring port, once the application's own clients (connected through {@link #localPort()}) are ready.
     *
     * @throws BrokerStartException as {@link #start()} would; the broker is then shut down
     */
    public synchronized Broker acceptClients() {
        if (!started) throw new IllegalStateException("not started");
        try {
            server.acceptClients();
        } catch (BrokerStartException e) {
            started = false;
            throw e;
        }
        return this;
    }

    public BrokerOptions options() { return options; }

    /**
     * The port of the loopback listener (127.0.0.1) for the application's own clients, or -1 without
     * {@link BrokerOptions.Builder#deferAcceptingClients(boolean)}.
     */
    public int localPort() { return server.localPort(); }

    /** The bound client port (useful when the options asked for port 0); -1 until it is bound. */
    public int port() { return server.port(); }

    /** The bound monitoring port, or -1 when monitoring is off. */
    public int httpPort() { return server.httpPort(); }

    public String serverId() { return server.serverId(); }

    /** The bound gateway port, or -1 without a gateway block. */
    public int gatewayPort() { return server.gatewayPort(); }

    /** True when the client listener is accepting; {@link #start()} returns only once it is. */
    public boolean readyForConnections() { return server.readyForConnections(); }

    /** Whether the epoll transport is in use (false means NIO). */
    public boolean isNativeTransport() { return server.isNativeTransport(); }

    /** nats-server's monitoring data (/varz, /connz, /subsz, /gatewayz), for apps that serve it on their own port. */
    public dev.eventbus.broker.monitor.Monitor monitor() { return server.monitor(); }

    /** The live state behind /varz, /connz and /subsz, for apps that serve monitoring themselves. */
    public MonitorSource monitorSource() { return server; }

    /**
     * Closes the client connections whose authenticated user matches, with {@code -ERR 'User Authentication
     * Revoked'} (nats-server's answer to a revoked JWT user). Applications call it when a credential is revoked.
     *
     * @param why logged with each closed connection
     * @return how many connections are being closed
     */
    public int closeConnections(java.util.function.Predicate<dev.eventbus.broker.auth.User> which, String why) {
        Objects.requireNonNull(which, "which");
        int n = server.closeConnections(which);
        if (n > 0) org.slf4j.LoggerFactory.getLogger(Broker.class).info("closing {} connection(s): {}", n, why);
        return n;
    }

    /** Closes every connection and both listeners; idempotent. */
    public synchronized void shutdown() {
        if (!started) return;
        started = false;
        server.shutdown();
    }

    @Override
    public void close() { shutdown(); }
}
