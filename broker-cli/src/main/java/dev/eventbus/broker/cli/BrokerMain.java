package dev.eventbus.broker.cli;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.BrokerStartException;
import dev.eventbus.broker.auth.TokenAuthenticator;
import dev.eventbus.broker.auth.UserPasswordAuthenticator;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code eventbus broker [flags]}: the standalone broker with nats-server's flags. As thin as nats-server's
 * {@code main.go}: flags to options, start, wait for a signal, stop.
 */
public final class BrokerMain {
    private BrokerMain() {}

    /** SIGTERM must stop the process even when the server is wedged (e.g. out of memory): then it halts. */
    private static final long SHUTDOWN_GRACE_MILLIS = 10_000;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Certificates are re-read when their files change; live connections keep the context they started with. */
    private static dev.eventbus.broker.TlsOptions tls(BrokerFlags f) {
        java.nio.file.Path crt = java.nio.file.Path.of(f.tlsCert()), key = java.nio.file.Path.of(f.tlsKey());
        var ctx = f.tlsVerify()
                ? dev.eventbus.certs.ReloadingSslContext.forServerMutual(crt, key, java.nio.file.Path.of(f.tlsCaCert())).build()
                : dev.eventbus.certs.ReloadingSslContext.forServer(crt, key).build();
        return dev.eventbus.broker.TlsOptions.builder(ctx).verify(f.tlsVerify()).build();
    }

    private static dev.eventbus.broker.GatewayOptions gateway(BrokerFlags f) {
        var g = dev.eventbus.broker.GatewayOptions.builder(f.gatewayName());
        if (f.gatewayListen() != null) {
            int colon = f.gatewayListen().lastIndexOf(':');
            if (colon < 0) throw new IllegalArgumentException("--gateway_listen must be host:port, got \"" + f.gatewayListen() + "\"");
            g.host(f.gatewayListen().substring(0, colon));
            try {
                g.port(Integer.parseInt(f.gatewayListen().substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--gateway_listen must be host:port, got \"" + f.gatewayListen() + "\"");
            }
        }
        if (f.gatewayTlsCert() != null) {
            java.nio.file.Path crt = java.nio.file.Path.of(f.gatewayTlsCert()), key = java.nio.file.Path.of(f.gatewayTlsKey()),
                    ca = java.nio.file.Path.of(f.gatewayTlsCaCert());
            g.tls(dev.eventbus.certs.ReloadingSslContext.forServerMutual(crt, key, ca).name("gateway server").build(),
                    dev.eventbus.certs.ReloadingSslContext.forClientMutual(crt, key, ca).name("gateway client").build());
        }
        for (String r : f.gatewayRemotes()) {
            int eq = r.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--gateway_remote must be NAME=URL, got \"" + r + "\"");
            g.remote(r.substring(0, eq), r.substring(eq + 1).split(","));
        }
        return g.build();
    }

    /** Returns the process exit code; never throws for user errors. */
    public static int run(String[] args) {
        BrokerFlags flags;
        try {
            flags = BrokerFlags.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("eventbus broker: " + e.getMessage());
            System.err.println("Run 'eventbus broker -h' for usage.");
            return 2;
        }
        if (flags.help()) {
            System.out.print(BrokerFlags.USAGE);
            return 0;
        }
        if (flags.version()) {
            System.out.println("eventbus broker " + Version.get() + " (nats-server protocol " + BrokerOptions.NATS_VERSION + ")");
            return 0;
        }
        dev.eventbus.config.logging.LogConfigurator.apply(dev.eventbus.config.LogSettings.of(
                flags.logJson() ? "json" : "text", flags.trace() ? "trace" : flags.debug() ? "debug" : "info"));
        Logger log = LoggerFactory.getLogger("eventbus");
        BrokerOptions options;
        try {
            BrokerOptions.Builder b = BrokerOptions.builder().host(flags.host()).port(flags.port())
                    .httpHost(flags.host()).httpPort(flags.httpPort()).serverName(flags.name());
            if (flags.maxPayload() != null) b.maxPayload(flags.maxPayload());
            BrokerFlags.Limits limits = flags.limits();
            if (limits.maxConnections() != null) b.maxConnections(limits.maxConnections());
            if (limits.maxSubscriptions() != null) b.maxSubscriptions(limits.maxSubscriptions());
            if (limits.maxPendingAuth() != null) b.maxPendingAuth(limits.maxPendingAuth());
            if (flags.gatewayName() != null) b.gateway(gateway(flags));
            if (flags.tls()) b.tls(tls(flags));
            if (flags.token() != null) b.authenticator(new TokenAuthenticator(flags.token()));
            else if (flags.user() != null) b.authenticator(UserPasswordAuthenticator.single(flags.user(), flags.pass()));
            options = b.build();
        } catch (IllegalArgumentException | dev.eventbus.certs.CertsException e) {
            System.err.println("eventbus broker: " + e.getMessage());
            return 2;
        }
        log.info("Starting eventbus broker");
        log.info("  Version:  {} (speaks nats-server {})", Version.get(), BrokerOptions.NATS_VERSION);
        log.info("  Java:     {}", Runtime.version());
        Broker broker = new Broker(options);
        try {
            broker.start();
        } catch (BrokerStartException e) {
            log.error(e.getMessage());
            return 1;
        }
        log.info("  ID:       {}", broker.serverId());
        log.info("  Transport: {}", broker.isNativeTransport() ? "epoll" : "nio");
        if (broker.httpPort() > 0) {
            log.info("Starting http monitor on {}:{}", options.httpHost(), broker.httpPort());
        }
        log.info("Listening for client connections on {}:{}", options.host(), broker.port());
        log.info("Server is ready");
        CountDownLatch stopped = new CountDownLatch(1);
        // made now, started on SIGTERM: under memory pressure there may be no heap left to make a thread then
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("eventbus broker: shutdown did not finish within " + SHUTDOWN_GRACE_MILLIS / 1000 + " s, halting");
            Runtime.getRuntime().halt(1);
        }, "eventbus-shutdown-watchdog");
        watchdog.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watchdog.start();
            log.info("Initiating Shutdown...");
            broker.shutdown();
            log.info("Server Exiting..");
            stopped.countDown();
        }, "eventbus-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
