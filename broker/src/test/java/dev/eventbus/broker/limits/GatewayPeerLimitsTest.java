package dev.eventbus.broker.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.broker.protocol.Parser;
import dev.eventbus.broker.wire.WireClient;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;

/**
 * A fake gateway peer (a raw socket speaking the gateway handshake) cannot make the server buffer an endless control
 * line or a giant message: max_control_line and max_payload hold on gateway links as on clients, and the line is
 * refused on the byte that passes the limit. Its handshake INFO may still be long.
 */
class GatewayPeerLimitsTest {
    /** max_control_line is 4096 here; a gateway link's limit is never below 64 KiB. */
    private static final int LIMIT = Parser.GATEWAY_MIN_CONTROL_LINE;
    private Broker broker;
    private final List<WireClient> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .gateway(GatewayOptions.builder("home").host("127.0.0.1").port(0).build()).build()).start();
    }

    @AfterEach
    void stop() {
        sockets.forEach(WireClient::close);
        broker.shutdown();
    }

    private static final String CONNECT = "CONNECT {\"echo\":false,\"verbose\":false,\"pedantic\":false,"
            + "\"tls_required\":false,\"headers\":true,\"name\":\"EVILID\",\"cluster\":\"\",\"gateway\":\"evil\"}\r\n";

    /** Dials the gateway port and goes through the handshake as gateway "evil" would, advertising {@code urls}. */
    private WireClient peer(String urls) {
        WireClient c = WireClient.connect("127.0.0.1", broker.gatewayPort());
        sockets.add(c);
        assertThat(c.info()).containsEntry("gateway", "home");
        c.send(CONNECT
                + "INFO {\"server_id\":\"EVILID\",\"server_name\":\"evil-1\",\"gateway\":\"evil\",\"gateway_urls\":["
                + urls + "]}\r\n");
        return c;
    }

    private WireClient subscriber(String subject) {
        WireClient c = WireClient.connect("127.0.0.1", broker.port());
        sockets.add(c);
        c.connectQuiet().send("SUB " + subject + " 1\r\n").expectNothingPending();
        return c;
    }

    @Test
    void anEndlessControlLineIsRefusedOnTheByteThatPassesMaxControlLine() {
        WireClient evil = peer("");
        // 64 KiB of arguments are allowed on a gateway link; one byte more is too many. No newline ever comes.
        byte[] line = ("RMSG $G orders.created " + "x".repeat(LIMIT - "$G orders.created ".length() + 1))
                .getBytes(StandardCharsets.ISO_8859_1);
        evil.sendSplit(line, 4096);
        assertThat(evil.expectClosed()).endsWith("-ERR 'maximum control line exceeded'\r\n");
    }

    @Test
    void aTrickledControlLineIsRefusedAsSoonAsItPassesTheLimit() {
        WireClient evil = peer("");
        evil.send("RS+ $G ");
        byte[] arg = "s".repeat(LIMIT - 3 + 1).getBytes(StandardCharsets.ISO_8859_1); // "$G " and these: LIMIT + 1
        evil.sendSplit(arg, 16);
        assertThat(evil.expectClosed()).endsWith("-ERR 'maximum control line exceeded'\r\n");
    }

    @Test
    void aMessageOverMaxPayloadIsRefusedOnItsControlLineBeforeAnyPayloadIsBuffered() {
        WireClient evil = peer("");
        evil.send("RMSG $G orders.created " + (200 << 20) + "\r\n" + "x".repeat(1000));
        assertThat(evil.expectClosed()).endsWith("-ERR 'Maximum Payload Violation'\r\n");
    }

    @Test
    void aLongHandshakeInfoIsAcceptedAndTheLinkCarriesMessagesUpToTheLimits() {
        WireClient local = subscriber("orders.*");
        WireClient longSubjects = subscriber("long.*");
        StringBuilder urls = new StringBuilder();
        for (int i = 0; i < 400; i++) urls.append(i == 0 ? "" : ",").append("\"127.0.0.1:").append(1 + i % 9).append('"');
        assertThat(urls.length()).isGreaterThan(4096); // longer than max_control_line, as a big cluster's INFO is
        WireClient evil = peer(urls.toString());
        String payload = "y".repeat(1 << 20); // exactly max_payload
        evil.send("RMSG $G orders.created " + payload.length() + "\r\n" + payload + "\r\n");
        WireClient.Frame f = local.readFrame();
        assertThat(f.line()).isEqualTo("MSG orders.created 1 " + payload.length());
        assertThat(f.payloadText()).isEqualTo(payload);
        // a subject longer than max_control_line, as an agent may send through event-gateway: the link carries it
        String subject = "long." + "s".repeat(10_000);
        evil.send("RMSG $G " + subject + " 2\r\nhi\r\n");
        assertThat(longSubjects.readFrame().line()).isEqualTo("MSG " + subject + " 1 2");
    }

    @Test
    void aMessageOverThePeersMaxPayloadIsNotForwardedAndTheLinkStays() throws Exception {
        Broker big = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).maxPayload(4 << 20)
                .gateway(GatewayOptions.builder("big").host("127.0.0.1").port(0)
                        .remote("home", "nats://127.0.0.1:" + broker.gatewayPort()).build()).build()).start();
        try (Connection onHome = Nats.connect("nats://127.0.0.1:" + broker.port());
             Connection onBig = Nats.connect("nats://127.0.0.1:" + big.port())) {
            Subscription sub = onHome.subscribe("bulk.>");
            onHome.flush(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                onBig.publish("bulk.probe", new byte[0]);
                onBig.flush(Duration.ofSeconds(5));
                return sub.nextMessage(Duration.ofMillis(200)) != null;
            });
            while (sub.nextMessage(Duration.ofMillis(50)) != null) { /* drain the probes */ }
            // 2 MiB is fine for "big" (4 MiB) but over home's max_payload (1 MiB): home would cut the link on it
            onBig.publish("bulk.huge", new byte[2 << 20]);
            onBig.publish("bulk.small", "after".getBytes(StandardCharsets.UTF_8));
            onBig.flush(Duration.ofSeconds(5));
            Message m = sub.nextMessage(Duration.ofSeconds(10));
            assertThat(m).isNotNull();
            assertThat(m.getSubject()).isEqualTo("bulk.small");
        } finally {
            big.shutdown();
        }
    }

    @Test
    void gatewayConnectionsThatNeverSendConnectAreCappedLikeClients() {
        Broker capped = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).maxPendingAuth(3)
                .gateway(GatewayOptions.builder("home").host("127.0.0.1").port(0).build()).build()).start();
        try {
            List<WireClient> idle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WireClient c = WireClient.connect("127.0.0.1", capped.gatewayPort()); // INFO, then nothing from us
                sockets.add(c);
                idle.add(c);
            }
            WireClient refused = WireClient.connectRaw("127.0.0.1", capped.gatewayPort());
            sockets.add(refused);
            assertThat(refused.expectClosed()).as("closed at accept, before INFO").isEmpty();
            // one finishes its handshake: its slot is free, and the next one is let in
            idle.get(0).send(CONNECT + "PING\r\n");
            assertThat(idle.get(0).expectLine()).isEqualTo("PONG");
            WireClient next = WireClient.connect("127.0.0.1", capped.gatewayPort());
            sockets.add(next);
            assertThat(next.info()).containsEntry("gateway", "home");
        } finally {
            capped.shutdown();
        }
    }
}
