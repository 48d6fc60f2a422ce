package dev.eventbus.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerEventListener;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.broker.monitor.PrometheusMetrics;
import dev.eventbus.broker.testing.TestPki;
import dev.eventbus.broker.wire.WireClient;
import dev.eventbus.certs.CertUsage;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 2, the broker's side: who may be a gateway peer, what a peer can make this server dial, and what a
 * peer may deliver. Each attack is played by a fake peer speaking the gateway protocol over a real socket (real TLS
 * with certificates from a real CA where identities matter); each would succeed against a broker without the
 * corresponding option.
 */
class GatewayTrustTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;
    private final List<Broker> brokers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Recorder events = new Recorder();

    /** What the broker reported through its listener. */
    static final class Recorder implements BrokerEventListener {
        final List<String> authFailures = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();
        final PrometheusMetrics metrics = new PrometheusMetrics();

        @Override
        public void authenticationFailed(String remoteAddress, String reason) {
            authFailures.add(reason);
            metrics.authenticationFailed(remoteAddress, reason);
        }

        @Override
        public void gatewayMessageRefused(String gateway, String subject) { refused.add(gateway + " " + subject); }
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) closeables.get(i).close();
        for (Broker b : brokers) b.shutdown();
    }

    private Broker start(GatewayOptions.Builder g) {
        Broker b = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).listener(events)
                .gateway(g.reconnectDelay(Duration.ofMillis(100)).maxReconnectDelay(Duration.ofMillis(300)).build())
                .build()).start();
        brokers.add(b);
        return b;
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /** Gateway TLS is handshake first: the fake peer shakes hands, then speaks the protocol over it. */
    private WireClient tlsTo(int port, SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return closeLater(WireClient.over(s));
    }

    private static String info(String gateway, String... urls) {
        StringBuilder u = new StringBuilder();
        for (String url : urls) u.append(u.isEmpty() ? "" : ",").append('"').append(url).append('"');
        return "INFO {\"server_id\":\"FAKE" + gateway + "\",\"server_name\":\"fake-" + gateway + "\",\"gateway\":\"" + gateway
                + "\",\"gateway_urls\":[" + u + "],\"headers\":true,\"gateway_iom\":true}\r\n";
    }

    private static String connect(String gateway) {
        return "CONNECT {\"echo\":false,\"verbose\":false,\"pedantic\":false,\"tls_required\":false,\"headers\":true,"
                + "\"name\":\"FAKE" + gateway + "\",\"gateway\":\"" + gateway + "\"}\r\n";
    }

    // ---- peer identities (verify_and_map for gateway links) ----

    /** One CA signing our certificate, the pinned peer's, and a rogue one with the same SANs but another CN. */
    private record Certs(TestPki pki, TestPki.Leaf service, TestPki.Leaf peer, TestPki.Leaf rogue) {}

    private Certs certs() {
        TestPki pki = TestPki.create(dir, "gateway CA");
        return new Certs(pki, pki.issue("event-service", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1"),
                pki.issue("event-gateway", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1"),
                pki.issue("rogue-agent", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1"));
    }

    @Test
    void anInboundGatewayWithAnotherIdentityFromTheTrustedCaIsRefusedBeforeAnyProtocol() throws Exception {
        Certs c = certs();
        TestPki pki = c.pki();
        TestPki.Leaf service = c.service(), peer = c.peer(), rogue = c.rogue();
        Broker j = start(GatewayOptions.builder("J").host("127.0.0.1").port(0)
                .tls(pki.serverMutual(service), pki.clientMutual(service)).peerIdentities(List.of("event-gateway")));

        WireClient good = tlsTo(j.gatewayPort(), pki.jdkContext(peer));
        assertThat(good.expectLine()).as("the pinned identity is served the gateway INFO").startsWith("INFO ").contains("\"gateway\":\"J\"");

        WireClient evil = tlsTo(j.gatewayPort(), pki.jdkContext(rogue));
        assertThat(evil.expectClosed()).as("same CA, other identity: refused, and told so")
                .isEqualTo("-ERR 'Authorization Violation'\r\n");
        assertThat(events.authFailures).hasSize(1);
        assertThat(events.authFailures.get(0)).startsWith("gateway: ").contains("rogue-agent").contains("event-gateway");
        assertThat(events.metrics.render(j.monitorSource(), null)).contains("eventbus_auth_failures_total{reason=\"gateway\"} 1");
    }

    @Test
    void weDoNotTalkToARemoteGatewayThatProvesAnotherIdentity() throws Exception {
        Certs c = certs();
        TestPki pki = c.pki();
        TestPki.Leaf service = c.service(), peer = c.peer(), rogue = c.rogue();
        SSLServerSocket rogueServer = tlsServer(pki, rogue);
        SSLServerSocket goodServer = tlsServer(pki, peer);
        start(GatewayOptions.builder("J").host("127.0.0.1").port(0)
                .tls(pki.serverMutual(service), pki.clientMutual(service)).peerIdentities(List.of("event-gateway"))
                .remote("A", "nats://127.0.0.1:" + rogueServer.getLocalPort())
                .remote("B", "nats://127.0.0.1:" + goodServer.getLocalPort()));

        WireClient b = accepted(goodServer);
        b.send(info("B"));
        assertThat(b.expectLine()).as("the pinned peer gets our CONNECT").startsWith("CONNECT ").contains("\"gateway\":\"J\"");

        WireClient a = accepted(rogueServer);
        a.sendUnlessClosed(info("A")); // we may hang up before it is written
        assertThat(a.expectClosed()).as("the dialer hangs up at once: no CONNECT, no INFO, nothing").isEmpty();
        assertThat(events.authFailures).anySatisfy(r -> assertThat(r).contains("rogue-agent").contains("dialing gateway \"A\""));
    }

    private SSLServerSocket tlsServer(TestPki pki, TestPki.Leaf leaf) throws Exception {
        SSLServerSocket s = (SSLServerSocket) pki.jdkContext(leaf).getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        s.setNeedClientAuth(true);
        s.setSoTimeout((int) WAIT.toMillis());
        return closeLater(s);
    }

    private WireClient accepted(ServerSocket server) throws IOException {
        Socket s = server.accept();
        if (s instanceof SSLSocket tls) tls.startHandshake();
        return closeLater(WireClient.over(s));
    }

    // ---- reject_unknown ----

    @Test
    void rejectUnknownRefusesAStrangerAndAPeerThatRenamesItselfAfterConnect() throws Exception {
        int nowhere;
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere = s.getLocalPort();
        }
        Broker j = start(GatewayOptions.builder("J").host("127.0.0.1").port(0).rejectUnknown(true)
                .remote("A", "nats://127.0.0.1:" + nowhere));
        String refusal = "-ERR 'Connection to gateway \"J\" rejected'\r\n"; // nats-server 2.9.10's text

        WireClient stranger = closeLater(WireClient.connect("127.0.0.1", j.gatewayPort()));
        stranger.send(connect("STRANGER"));
        assertThat(stranger.expectClosed()).isEqualTo(refusal);

        // CONNECT under the configured name, then INFO under another: it must not be registered (and dialed back) as X
        WireClient impostor = closeLater(WireClient.connect("127.0.0.1", j.gatewayPort()));
        impostor.send(connect("A") + info("X", "127.0.0.1:" + nowhere));
        assertThat(impostor.expectClosed()).isEqualTo(refusal);
        assertThat(j.monitorSource().gatewayInfo().inbound()).isEmpty();
        assertThat(events.authFailures).anySatisfy(r -> assertThat(r).contains("unknown gateway name STRANGER"));
    }

    // ---- dial_discovered ----

    /** Accepts and closes connections, remembering the peer port of each, in accept order. */
    static final class Trap implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        private final Thread thread = new Thread(this::run, "trap");

        Trap() throws IOException { thread.start(); }

        private void run() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    accepted.add(s.getPort());
                } catch (IOException e) {
                    return;
                }
            }
        }

        String url() { return "127.0.0.1:" + socket.getLocalPort(); }

        /**
         * Connections accepted so far, not counting a probe: the probe is connected last and accepted in backlog
         * order, so once it is seen every connection made before it has been counted.
         */
        int acceptedBeforeProbe() throws IOException {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), socket.getLocalPort())) {
                int port = probe.getLocalPort();
                await().atMost(WAIT).until(() -> accepted.contains(port));
                return accepted.size() - 1;
            }
        }

        @Override
        public void close() throws IOException { socket.close(); }
    }

    /**
     * The configured peer A advertises the trap in its INFO, gossips it as gateway C and as another URL of its own,
     * and an unknown gateway X dials in asking to be dialed back at the trap. Then A's link drops and J redials A:
     * every dial those messages could cause was started before that redial (gossip and an inbound link dial at once,
     * a redial waits for reconnect_delay), so the trap's count after the redial is final.
     */
    private int trapDialsAfterDiscovery(boolean dialDiscovered) throws Exception {
        Trap trap = closeLater(new Trap());
        ServerSocket fakeA = closeLater(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        fakeA.setSoTimeout((int) WAIT.toMillis());
        Broker j = start(GatewayOptions.builder("J").host("127.0.0.1").port(0).dialDiscovered(dialDiscovered)
                .remote("A", "nats://127.0.0.1:" + fakeA.getLocalPort()));

        try (WireClient a = WireClient.over(fakeA.accept())) {
            a.send(info("A", trap.url()));
            assertThat(a.expectLine()).startsWith("CONNECT ");
            assertThat(a.expectLine()).startsWith("INFO ");
            a.send("INFO {\"server_id\":\"FAKEA\",\"gateway\":\"C\",\"gateway_urls\":[\"" + trap.url() + "\"],\"gateway_cmd\":1}\r\n");
            a.send("INFO {\"server_id\":\"FAKEA\",\"gateway\":\"A\",\"gateway_urls\":[\"" + trap.url() + "\"]}\r\n");
            a.barrier(); // J answered our PING, so it has acted on everything before it

            try (WireClient x = WireClient.connect("127.0.0.1", j.gatewayPort())) {
                x.send(connect("X") + info("X", trap.url()));
                x.barrier();
            }
        }
        fakeA.accept().close(); // J redialed A
        return trap.acceptedBeforeProbe();
    }

    @Test
    void withDialDiscoveredOffAPeerCannotMakeUsDialAnAddressOfItsChoosing() throws Exception {
        assertThat(trapDialsAfterDiscovery(false)).as("connections to the advertised address").isZero();
    }

    @Test
    void byDefaultDiscoveredAddressesAreDialedAsNatsServerDoes() throws Exception {
        // the same scenario with nats-server's behaviour: this is the attack dial_discovered=false closes
        assertThat(trapDialsAfterDiscovery(true)).as("connections to the advertised address").isPositive();
    }

    // ---- inbound_allow ----

    @Test
    void messagesOutsideInboundAllowAreDroppedCountedAndRepliesStillPass() throws Exception {
        Broker j = start(GatewayOptions.builder("J").host("127.0.0.1").port(0).inboundAllow("events.>"));
        try (Connection local = Nats.connect("nats://127.0.0.1:" + j.port())) {
            Subscription everything = local.subscribe(">");
            local.flush(Duration.ofSeconds(2));

            WireClient a = closeLater(WireClient.connect("127.0.0.1", j.gatewayPort()));
            a.send(connect("A") + info("A"));
            String mappedReply = "_GR_." + clusterHash("J") + ".abcdef._INBOX.agent7.1";
            a.send("RMSG $G secret.keys 6\r\nforged\r\n"
                    + "RMSG $G " + mappedReply + " 3\r\nack\r\n"
                    + "HMSG $G internal.audit 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
                    + "RMSG $G events.agent7 5\r\nevent\r\n"
                    + "RMSG $G events.end 3\r\nend\r\n");

            List<String> got = new ArrayList<>();
            for (Message m; (m = everything.nextMessage(WAIT)) != null; ) {
                got.add(m.getSubject() + " " + new String(m.getData(), StandardCharsets.UTF_8));
                if (m.getSubject().equals("events.end")) break;
            }
            // one link delivers in order, so anything not dropped would have arrived before events.end
            assertThat(got).containsExactly("_INBOX.agent7.1 ack", "events.agent7 event", "events.end end");
        }
        assertThat(events.refused).containsExactly("A secret.keys", "A internal.audit");
        assertThat(j.monitorSource().gatewayInfo().refusedInbound()).containsEntry("A", 2L);
        assertThat(events.metrics.render(j.monitorSource(), null))
                .contains("eventbus_gateway_refused_messages_total{gateway=\"A\"} 2");
    }

    /** nats-server's getHashSize(name, 6): the cluster part of a _GR_ reply subject. */
    private static String clusterHash(String name) throws Exception {
        String digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        byte[] b = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) sb.append(digits.charAt((b[i] & 0xff) % 62));
        return sb.toString();
    }

    @Test
    void badTrustSettingsAreRefusedAtBuildTime() {
        assertThatThrownBy(() -> GatewayOptions.builder("J").peerIdentities(List.of("event-gateway")).build())
                .hasMessageContaining("peer_identities needs gateway TLS");
        assertThatThrownBy(() -> GatewayOptions.builder("J").inboundAllow("events.>", "bad..subject"))
                .hasMessageContaining("inbound_allow: invalid subject \"bad..subject\"");
        assertThatThrownBy(() -> GatewayOptions.builder("J").peerIdentities(List.of(" ")))
                .hasMessageContaining("identity is empty");
    }

    // ---- the real thing still works ----

    @Test
    void twoBrokersPinningEachOtherExchangeMessagesBothWays() throws Exception {
        TestPki pki = TestPki.create(dir, "gateway CA");
        TestPki.Leaf service = pki.issue("event-service", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1");
        TestPki.Leaf gateway = pki.issue("event-gateway", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1");
        Broker j = start(GatewayOptions.builder("J").host("127.0.0.1").port(0).rejectUnknown(false).dialDiscovered(true)
                .tls(pki.serverMutual(service), pki.clientMutual(service)).peerIdentities(List.of("event-gateway"))
                .inboundAllow("events.>"));
        Broker a = start(GatewayOptions.builder("A").host("127.0.0.1").port(0)
                .tls(pki.serverMutual(gateway), pki.clientMutual(gateway)).peerIdentities(List.of("event-service"))
                .remote("J", "nats://127.0.0.1:" + j.gatewayPort()));
        try (Connection onJ = Nats.connect("nats://127.0.0.1:" + j.port());
             Connection onA = Nats.connect("nats://127.0.0.1:" + a.port())) {
            onJ.createDispatcher(m -> onJ.publish(m.getReplyTo(), m.getData())).subscribe("events.echo");
            onJ.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                Message r = onA.request("events.echo", "ping".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500));
                assertThat(r).isNotNull();
                assertThat(new String(r.getData(), StandardCharsets.UTF_8)).isEqualTo("ping");
            });
        }
        assertThat(events.authFailures).isEmpty();
    }
}
