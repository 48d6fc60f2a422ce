package dev.eventbus.broker.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.TlsOptions;
import dev.eventbus.broker.auth.TokenAuthenticator;
import dev.eventbus.broker.wire.WireClient;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.ReloadingSslContext;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of connections that never authenticate, or never finish TLS, holds at most max_pending_auth slots and is
 * refused at accept beyond that; max_connections holds exactly under a concurrent flood.
 */
class ConnectionLimitsTest {
    private static final String PENDING_REFUSAL =
            "-ERR 'maximum connections exceeded: too many connections not yet authenticated'\r\n";
    private final List<WireClient> clients = new ArrayList<>();
    private Broker broker;
    @TempDir Path dir;

    @AfterEach
    void stop() {
        clients.forEach(WireClient::close);
        if (broker != null) broker.shutdown();
    }

    private WireClient open() {
        WireClient c = WireClient.connectRaw("127.0.0.1", broker.port());
        clients.add(c);
        return c;
    }

    @Test
    void connectionsThatNeverAuthenticateAreCappedAndTheNextIsRefusedAtAccept() {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).maxPendingAuth(4)
                .authenticator(new TokenAuthenticator("s3cret")).authTimeout(Duration.ofMinutes(1)).build()).start();
        List<WireClient> idle = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WireClient c = open();
            c.readInfo(); // admitted, then silent: it holds a pending slot
            idle.add(c);
        }
        String refused = open().expectClosed();
        assertThat(refused).startsWith("INFO {").endsWith(PENDING_REFUSAL);

        // one of them authenticates: its slot is free again, and the next newcomer gets in
        idle.get(0).send("CONNECT {\"auth_token\":\"s3cret\",\"verbose\":false}\r\n").expectNothingPending();
        WireClient next = open();
        next.readInfo();
        next.send("CONNECT {\"auth_token\":\"s3cret\",\"verbose\":false}\r\n").expectNothingPending();
        // authenticated connections do not count: the four slots are held by three idle ones and nobody else
        WireClient fourth = open();
        fourth.readInfo();
        assertThat(open().expectClosed()).endsWith(PENDING_REFUSAL);
    }

    /** A TLS broker (3 s handshake timeout) with these options, and three connections that never send a ClientHello. */
    private List<WireClient> tlsBrokerWithThreeStuck(BrokerOptions.Builder options) {
        DevPki.init(dir, DevPki.Options.defaults());
        ReloadingSslContext ctx = ReloadingSslContext.forServer(DevPki.certFile(dir, "event-service"),
                DevPki.keyFile(dir, "event-service")).build();
        broker = new Broker(options.host("127.0.0.1").port(0)
                .tls(TlsOptions.builder(ctx).timeout(Duration.ofSeconds(3)).build()).build()).start();
        List<WireClient> stuck = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            WireClient c = open();
            c.readInfo(); // INFO is plaintext; the TLS ClientHello never comes
            stuck.add(c);
        }
        return stuck;
    }

    @Test
    void tlsConnectionsThatNeverHandshakeCountAgainstMaxConnections() {
        tlsBrokerWithThreeStuck(BrokerOptions.builder().maxConnections(3));
        assertThat(open().expectClosed()).endsWith("-ERR 'maximum connections exceeded'\r\n");
    }

    @Test
    void tlsConnectionsThatNeverHandshakeHoldPendingSlotsOnlyUntilTheTlsTimeout() throws Exception {
        List<WireClient> stuck = tlsBrokerWithThreeStuck(BrokerOptions.builder().maxPendingAuth(3));
        assertThat(open().expectClosed()).endsWith(PENDING_REFUSAL);
        // the TLS timeout closes them, which frees their slots
        for (WireClient c : stuck) c.expectClosed(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.monitorSource().stats().connections() == 0);
        try (Connection nc = Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + broker.port())
                .sslContext(JdkSslContexts.client(DevPki.certFile(dir, DevPki.CA), null, null)).build())) {
            nc.flush(Duration.ofSeconds(5));
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void aConcurrentFloodNeverGetsPastMaxConnections() throws Exception {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).maxConnections(20).build()).start();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                outcomes.add(pool.submit(() -> {
                    WireClient c = WireClient.connectRaw("127.0.0.1", broker.port());
                    synchronized (clients) {
                        clients.add(c);
                    }
                    c.readInfo();
                    try {
                        c.send("PING\r\n");
                        return c.expectLine(); // PONG when admitted, the -ERR when refused
                    } catch (RuntimeException e) {
                        return "closed"; // refused, and our PING met the closed socket before we read the -ERR
                    }
                }));
            }
            int admitted = 0, refused = 0;
            for (Future<String> f : outcomes) {
                String line = f.get();
                if (line.equals("PONG")) admitted++;
                else if (line.equals("-ERR 'maximum connections exceeded'") || line.equals("closed")) refused++;
            }
            assertThat(admitted).isEqualTo(20);
            assertThat(refused).isEqualTo(140);
        } finally {
            pool.shutdownNow();
        }
        // every slot comes back when the connections go
        synchronized (clients) {
            clients.forEach(WireClient::close);
            clients.clear();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.monitorSource().stats().connections() == 0);
        for (int i = 0; i < 20; i++) open().readInfo();
        assertThat(clients.get(19).exchange("PING\r\n").text()).isEqualTo("PONG\r\n");
    }
}
