package dev.eventbus.broker.testing;

/**
 * A running server that tests talk to over TCP on 127.0.0.1: our {@link dev.eventbus.broker.Broker} in-process or
 * the real nats-server in a child process, both started from the same {@link ServerConfig}. The same test body runs
 * against both by taking a {@link ServerKind} parameter:
 *
 * <pre>{@code
 * @ParameterizedTest @MethodSource("dev.eventbus.broker.testing.ServerKind#selected")
 * void pingPong(ServerKind kind) {
 *     try (ServerUnderTest server = kind.start(ServerConfig.DEFAULT); WireClient c = WireClient.connect(server)) {
 *         c.send("PING\r\n");
 *         c.expectLine("PONG");
 *     }
 * }
 * }</pre>
 */
public interface ServerUnderTest extends AutoCloseable {
    ServerKind kind();

    ServerConfig config();

    default String host() { return "127.0.0.1"; }

    int port();

    /** The monitoring port, or -1 when monitoring is off. */
    int httpPort();

    default String natsUrl() { return "nats://" + host() + ":" + port(); }

    /** Stops the server; idempotent. */
    @Override
    void close();
}
