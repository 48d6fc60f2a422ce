package dev.eventbus.service.delivery;

import dev.eventbus.service.NatsPublisher;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link NatsPublisher} on jnats: publish, then flush (a PING/PONG round trip) so that a return means the server has
 * the message. {@link #connect(String)} reconnects forever, including when the server is down at start; while
 * disconnected, publishes fail at once and the handler retries them (a message jnats buffered during a drop it did
 * not yet notice may then arrive twice: downstream deduplicates on {@code Nats-Msg-Id}).
 */
public final class JnatsPublisher implements NatsPublisher, AutoCloseable {
    public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final Connection connection;
    private final Duration flushTimeout;
    private final boolean owned;
    /** Bumped on every disconnect, reconnect or close: a publish that spans a change is not confirmed. */
    private final AtomicLong epoch = new AtomicLong();
    private final ConnectionListener listener = (conn, type) -> {
        switch (type) {
            case DISCONNECTED, RECONNECTED, CLOSED -> epoch.incrementAndGet();
            default -> { }
        }
    };

    /** Uses a connection the app manages (not closed by {@link #close()}). */
    public JnatsPublisher(Connection connection, Duration flushTimeout) {
        this(connection, flushTimeout, false);
    }

    private JnatsPublisher(Connection connection, Duration flushTimeout, boolean owned) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.flushTimeout = Objects.requireNonNull(flushTimeout, "flushTimeout");
        this.owned = owned;
        connection.addConnectionListener(listener);
    }

    /** Connects to {@code url} (e.g. {@code nats://127.0.0.1:10140}) with endless reconnects. */
    public static JnatsPublisher connect(String url) throws IOException, InterruptedException {
        return connect(baseOptions().server(url).build());
    }

    /** Connects with the given options (TLS, credentials...). */
    public static JnatsPublisher connect(Options options) throws IOException, InterruptedException {
        return new JnatsPublisher(Nats.connectReconnectOnConnect(options), DEFAULT_FLUSH_TIMEOUT, true);
    }

    /** The options {@link #connect(String)} uses: add {@code .server(url)}, TLS and auth, then {@code build()}. */
    public static Options.Builder baseOptions() {
        return new Options.Builder()
                .connectionName("event-service")
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500));
    }

    public Connection connection() { return connection; }

    @Override
    public void publish(String subject, Map<String, String> headers, byte[] payload) throws Exception {
        long epochBefore = epoch.get();
        long reconnectsBefore = connection.getStatistics().getReconnects();
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            throw new IOException("not connected to NATS (" + connection.getStatus() + ")");
        }
        Headers h = new Headers();
        headers.forEach(h::put);
        connection.publish(subject, h, payload);
        try {
            connection.flush(flushTimeout);
        } catch (TimeoutException e) {
            throw new IOException("NATS server did not confirm within " + flushTimeout.toMillis() + " ms", e);
        }
        // jnats' flush returns without a PONG when the connection dropped meanwhile (the message may sit in its
        // reconnect buffer): only a flush on an unbroken connection confirms the publish
        if (connection.getStatus() != Connection.Status.CONNECTED || epoch.get() != epochBefore
                || connection.getStatistics().getReconnects() != reconnectsBefore) {
            throw new IOException("the NATS connection dropped while publishing; not confirmed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        connection.removeConnectionListener(listener);
        if (owned) connection.close();
    }
}
