package dev.eventbus.broker.testing;

/** The real nats-server, as a {@link ServerUnderTest}. */
final class NatsServer implements ServerUnderTest {
    private final ServerConfig config;
    private final NatsServerProcess process;

    private NatsServer(ServerConfig config, NatsServerProcess process) {
        this.config = config;
        this.process = process;
    }

    static NatsServer start(ServerConfig config) { return new NatsServer(config, NatsServerProcess.start(config)); }

    public NatsServerProcess process() { return process; }

    @Override public ServerKind kind() { return ServerKind.NATS_SERVER; }
    @Override public ServerConfig config() { return config; }
    @Override public int port() { return process.port(); }
    @Override public int httpPort() { return process.httpPort(); }
    @Override public void close() { process.close(); }
    @Override public String toString() { return "nats-server@" + port(); }
}
