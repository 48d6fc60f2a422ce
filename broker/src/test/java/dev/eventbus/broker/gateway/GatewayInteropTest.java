package dev.eventbus.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.broker.testing.NatsServerProcess;
import dev.eventbus.broker.testing.ServerConfig;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our broker and a real nats-server 2.9.10 form a gateway pair on loopback, with either side dialing first, and
 * messages, headers, queue groups and request/reply cross in both directions.
 */
class GatewayInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Broker broker;
    private NatsServerProcess nats;
    private Connection onUs;
    private Connection onNats;

    enum Dialer { EVENTBUS_DIALS, NATS_SERVER_DIALS }

    static Stream<Arguments> directions() {
        return Stream.of(Arguments.of(Dialer.EVENTBUS_DIALS), Arguments.of(Dialer.NATS_SERVER_DIALS));
    }

    private void startPair(Dialer dialer) throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.isInstalled(), "nats-server is not installed");
        if (dialer == Dialer.EVENTBUS_DIALS) {
            nats = NatsServerProcess.start(ServerConfig.DEFAULT,
                    "server_name: A1\ngateway {\n  name: \"A\"\n  listen: \"127.0.0.1:-1\"\n}\n");
            broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                    .gateway(GatewayOptions.builder("J").host("127.0.0.1").port(0)
                            .remote("A", "nats://127.0.0.1:" + nats.gatewayPort()).build())
                    .build()).start();
        } else {
            broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                    .gateway(GatewayOptions.builder("J").host("127.0.0.1").port(0).build()).build()).start();
            nats = NatsServerProcess.start(ServerConfig.DEFAULT,
                    "server_name: A1\ngateway {\n  name: \"A\"\n  listen: \"127.0.0.1:-1\"\n  gateways: [{name: \"J\", url: \"nats://127.0.0.1:"
                            + broker.gatewayPort() + "\"}]\n}\n");
        }
        onUs = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + broker.port()).build());
        onNats = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + nats.port()).build());
    }

    @AfterEach
    void stop() throws Exception {
        if (onUs != null) onUs.close();
        if (onNats != null) onNats.close();
        if (broker != null) broker.shutdown();
        if (nats != null) nats.close();
    }

    /** Publishes until the subscriber sees a message: interest crosses the link asynchronously. */
    private static Message firstDelivery(Connection pub, Subscription sub, String subject, byte[] data) {
        Message[] got = new Message[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            pub.publish(subject, data);
            pub.flush(Duration.ofSeconds(2));
            got[0] = sub.nextMessage(Duration.ofMillis(200));
            return got[0] != null;
        });
        return got[0];
    }

    @ParameterizedTest
    @MethodSource("directions")
    void plainMessagesCrossBothWays(Dialer dialer) throws Exception {
        startPair(dialer);
        Subscription onNatsSub = onNats.subscribe("events.to-nats");
        onNats.flush(Duration.ofSeconds(2));
        Message m = firstDelivery(onUs, onNatsSub, "events.to-nats", "hello A".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("hello A");

        Subscription onUsSub = onUs.subscribe("events.*");
        onUs.flush(Duration.ofSeconds(2));
        Message back = firstDelivery(onNats, onUsSub, "events.to-us", "hello J".getBytes(StandardCharsets.UTF_8));
        assertThat(back.getSubject()).isEqualTo("events.to-us");
        assertThat(new String(back.getData(), StandardCharsets.UTF_8)).isEqualTo("hello J");
    }

    @org.junit.jupiter.api.Test
    void aMutualTlsGatewayWithNatsServerCarriesMessagesBothWays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path pki) throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.isInstalled(), "nats-server is not installed");
        dev.eventbus.certs.DevPki.init(pki, dev.eventbus.certs.DevPki.Options.defaults());
        java.nio.file.Path ca = pki.resolve("ca.crt");
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).httpHost("127.0.0.1").httpPort(0)
                .gateway(GatewayOptions.builder("J").host("127.0.0.1").port(0)
                        .tls(dev.eventbus.certs.ReloadingSslContext.forServerMutual(pki.resolve("event-service.crt"), pki.resolve("event-service.key"), ca).build(),
                                dev.eventbus.certs.ReloadingSslContext.forClientMutual(pki.resolve("event-service.crt"), pki.resolve("event-service.key"), ca).build())
                        .build()).build()).start();
        // nats-server dials us first (TLS handshake first, mutual); we connect back implicitly, also over mTLS
        nats = NatsServerProcess.start(ServerConfig.DEFAULT, "server_name: A1\ngateway {\n  name: \"A\"\n  listen: \"127.0.0.1:-1\"\n"
                + "  tls { cert_file: \"" + pki.resolve("event-gateway.crt") + "\", key_file: \"" + pki.resolve("event-gateway.key")
                + "\", ca_file: \"" + ca + "\", timeout: 2 }\n"
                + "  gateways: [{name: \"J\", url: \"nats://127.0.0.1:" + broker.gatewayPort() + "\"}]\n}\n");
        onUs = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + broker.port()).build());
        onNats = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + nats.port()).build());
        Subscription onNatsSub = onNats.subscribe("secure.to-nats");
        onNats.flush(Duration.ofSeconds(2));
        assertThat(new String(firstDelivery(onUs, onNatsSub, "secure.to-nats", "x".getBytes()).getData())).isEqualTo("x");
        Subscription onUsSub = onUs.subscribe("secure.to-us");
        onUs.flush(Duration.ofSeconds(2));
        assertThat(new String(firstDelivery(onNats, onUsSub, "secure.to-us", "y".getBytes()).getData())).isEqualTo("y");
        String gatewayz = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + broker.httpPort() + "/gatewayz")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(gatewayz).containsPattern("\"tls_version\": \"1\\.[23]\"");
    }

    @ParameterizedTest
    @MethodSource("directions")
    void headersCrossBothWays(Dialer dialer) throws Exception {
        startPair(dialer);
        Subscription subNats = onNats.subscribe("hdr.a");
        Subscription subUs = onUs.subscribe("hdr.j");
        onNats.flush(Duration.ofSeconds(2));
        onUs.flush(Duration.ofSeconds(2));
        Headers h = new Headers().add("X-Trace", "t-1");
        firstDelivery(onUs, subNats, "hdr.a", new byte[0]);
        onUs.publish(NatsMessage.builder().subject("hdr.a").headers(h).data("x").build());
        Message m = subNats.nextMessage(WAIT);
        while (m != null && m.getHeaders() == null) m = subNats.nextMessage(WAIT);
        assertThat(m).isNotNull();
        assertThat(m.getHeaders().getFirst("X-Trace")).isEqualTo("t-1");

        firstDelivery(onNats, subUs, "hdr.j", new byte[0]);
        onNats.publish(NatsMessage.builder().subject("hdr.j").headers(new Headers().add("X-Back", "b")).data("y").build());
        Message n = subUs.nextMessage(WAIT);
        while (n != null && n.getHeaders() == null) n = subUs.nextMessage(WAIT);
        assertThat(n).isNotNull();
        assertThat(n.getHeaders().getFirst("X-Back")).isEqualTo("b");
    }

    @ParameterizedTest
    @MethodSource("directions")
    void requestReplyCrossesBothWays(Dialer dialer) throws Exception {
        startPair(dialer);
        Dispatcher natsResponder = onNats.createDispatcher(msg -> onNats.publish(msg.getReplyTo(), ("A:" + new String(msg.getData())).getBytes()));
        natsResponder.subscribe("svc.a");
        Dispatcher usResponder = onUs.createDispatcher(msg -> onUs.publish(msg.getReplyTo(), ("J:" + new String(msg.getData())).getBytes()));
        usResponder.subscribe("svc.j");
        onNats.flush(Duration.ofSeconds(2));
        onUs.flush(Duration.ofSeconds(2));
        String[] answer = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Message r = onUs.request("svc.a", "ping".getBytes(), Duration.ofMillis(500));
            answer[0] = r == null ? null : new String(r.getData());
            return r != null;
        });
        assertThat(answer[0]).isEqualTo("A:ping");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Message r = onNats.request("svc.j", "pong".getBytes(), Duration.ofMillis(500));
            answer[0] = r == null ? null : new String(r.getData());
            return r != null;
        });
        assertThat(answer[0]).isEqualTo("J:pong");
        // once interest is in place, every request of a burst is answered
        for (int i = 0; i < 50; i++) {
            assertThat(onUs.request("svc.a", ("n" + i).getBytes(), Duration.ofSeconds(5))).isNotNull();
            assertThat(onNats.request("svc.j", ("n" + i).getBytes(), Duration.ofSeconds(5))).isNotNull();
        }
    }

    @ParameterizedTest
    @MethodSource("directions")
    void queueGroupGetsEachMessageOnceAcrossTheLink(Dialer dialer) throws Exception {
        startPair(dialer);
        ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        AtomicInteger total = new AtomicInteger();
        // members only on the far side first: the group must be served across the link
        for (int i = 0; i < 2; i++) {
            String member = "nats-" + i;
            onNats.createDispatcher(m -> {
                seen.computeIfAbsent(new String(m.getData()), k -> new AtomicInteger()).incrementAndGet();
                total.incrementAndGet();
            }).subscribe("work", "workers");
        }
        onNats.flush(Duration.ofSeconds(2));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            onUs.publish("work", "probe".getBytes());
            onUs.flush(Duration.ofSeconds(2));
            return seen.containsKey("probe");
        });
        // now members on our side too: local members take precedence, each message exactly once in total
        AtomicInteger local = new AtomicInteger();
        onUs.createDispatcher(m -> {
            seen.computeIfAbsent(new String(m.getData()), k -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            local.incrementAndGet();
        }).subscribe("work", "workers");
        onUs.flush(Duration.ofSeconds(2));
        int base = total.get();
        for (int i = 0; i < 200; i++) onUs.publish("work", ("m" + i).getBytes());
        onUs.flush(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> total.get() - base >= 200);
        for (int i = 0; i < 200; i++) assertThat(seen.get("m" + i)).as("m" + i).hasValue(1);
        assertThat(local.get()).isEqualTo(200);
        // published on the far side, to a group with members on both sides: once each
        int before = total.get();
        for (int i = 0; i < 100; i++) onNats.publish("work", ("n" + i).getBytes());
        onNats.flush(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> total.get() - before >= 100);
        for (int i = 0; i < 100; i++) assertThat(seen.get("n" + i)).as("n" + i).hasValue(1);
        assertThat(List.of(total.get() - before)).containsExactly(100);
    }
}
