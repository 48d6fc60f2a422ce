package dev.eventbus.broker.testing;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.auth.Permissions;
import dev.eventbus.broker.auth.TokenAuthenticator;
import dev.eventbus.broker.auth.UserPasswordAuthenticator;

/** Our broker started in-process on 127.0.0.1 and a random port. */
final class EventbusServer implements ServerUnderTest {
    private final ServerConfig config;
    private final Broker broker;

    private EventbusServer(ServerConfig config, Broker broker) {
        this.config = config;
        this.broker = broker;
    }

    static EventbusServer start(ServerConfig config) {
        Broker broker = new Broker(options(config));
        try {
            broker.start();
        } catch (RuntimeException | Error e) {
            broker.shutdown();
            throw e;
        }
        return new EventbusServer(config, broker);
    }

    static BrokerOptions options(ServerConfig c) {
        BrokerOptions.Builder b = BrokerOptions.builder().host("127.0.0.1").port(BrokerOptions.RANDOM_PORT);
        if (c.maxPayload() != null) b.maxPayload(c.maxPayload());
        if (c.maxControlLine() != null) b.maxControlLine(c.maxControlLine());
        if (c.maxPending() != null) b.maxPending(c.maxPending());
        if (c.maxConnections() != null) b.maxConnections(c.maxConnections());
        if (c.maxSubscriptions() != null) b.maxSubscriptions(c.maxSubscriptions());
        if (c.pingInterval() != null) b.pingInterval(c.pingInterval());
        if (c.pingMax() != null) b.pingMax(c.pingMax());
        if (c.authTimeout() != null) b.authTimeout(c.authTimeout());
        if (c.writeDeadline() != null) b.writeDeadline(c.writeDeadline());
        if (c.monitoring()) b.httpHost("127.0.0.1").httpPort(0);
        if (c.token() != null) b.authenticator(new TokenAuthenticator(c.token()));
        if (!c.users().isEmpty()) {
            UserPasswordAuthenticator.Builder users = UserPasswordAuthenticator.builder();
            for (ServerConfig.UserSpec u : c.users()) users.user(u.name(), u.password(), permissions(u));
            b.authenticator(users.build());
        }
        return b.build();
    }

    private static Permissions permissions(ServerConfig.UserSpec u) {
        if (u.unrestricted()) return Permissions.ALLOW_ALL;
        Permissions.Builder p = Permissions.builder();
        if (u.publishAllow() != null) p.publishAllow(u.publishAllow().toArray(String[]::new));
        p.publishDeny(u.publishDeny().toArray(String[]::new));
        if (u.subscribeAllow() != null) p.subscribeAllow(u.subscribeAllow().toArray(String[]::new));
        p.subscribeDeny(u.subscribeDeny().toArray(String[]::new));
        return p.build();
    }

    public Broker broker() { return broker; }

    @Override public ServerKind kind() { return ServerKind.EVENTBUS; }
    @Override public ServerConfig config() { return config; }
    @Override public int port() { return broker.port(); }
    @Override public int httpPort() { return broker.httpPort(); }
    @Override public void close() { broker.shutdown(); }
    @Override public String toString() { return "eventbus@" + port(); }
}
