package dev.eventbus.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerEventListener;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One fast publisher must not cut the gateway link everyone shares (issue: an agent flooding events got
 * event-gateway's link to event-service cut as a slow consumer, dropping everything in flight on it), and a
 * per-connection publish rate keeps one publisher from taking the whole intake.
 */
class GatewayBackPressureTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private Broker east;
    private final List<String> linkEvents = new CopyOnWriteArrayList<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() { if (east != null) east.shutdown(); }

    private final BrokerEventListener listener = new BrokerEventListener() {
        @Override public void gatewayLinkDown(String gateway, boolean outbound) { linkEvents.add("down " + gateway); }
        @Override public void connectionClosed(long cid, String remoteAddress, String reason) { closed.add(reason); }
    };

    @Test
    void aPeerThatStopsReadingStallsThePublisherAndTheLinkSurvives() throws Exception {
        try (ServerSocket fakeWest = new ServerSocket()) {
            fakeWest.setReceiveBufferSize(4096);
            fakeWest.bind(new InetSocketAddress("127.0.0.1", 0));
            east = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).maxPayload(16 * 1024).maxPending(256 * 1024)
                    .listener(listener)
                    .gateway(GatewayOptions.builder("east").host("127.0.0.1").port(0)
                            .remote("west", "nats://127.0.0.1:" + fakeWest.getLocalPort()).build())
                    .build()).start();
            try (Socket link = fakeWest.accept()) {
                OutputStream out = link.getOutputStream();
                InputStream in = link.getInputStream();
                // a peer in optimistic mode (no gateway_iom): east sends it every message
                out.write(("INFO {\"server_id\":\"FAKEWEST\",\"server_name\":\"fake-west\",\"version\":\"2.9.10\",\"proto\":1,"
                        + "\"headers\":true,\"max_payload\":1048576,\"gateway\":\"west\",\"gateway_urls\":[]}\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String hello = readUntil(in, "\"gateway\":\"east\"");
                assertThat(hello).startsWith("CONNECT ");

                // from now on the peer reads nothing: the link's socket fills, then its pending bytes grow
                byte[] payload = new byte[10 * 1024];
                AtomicInteger sent = new AtomicInteger();
                Thread flood = new Thread(() -> {
                    try (Socket pub = new Socket("127.0.0.1", east.port())) {
                        OutputStream po = pub.getOutputStream();
                        po.write("CONNECT {\"verbose\":false}\r\n".getBytes(StandardCharsets.UTF_8));
                        byte[] head = ("PUB flood.x " + payload.length + "\r\n").getBytes(StandardCharsets.UTF_8);
                        for (int i = 0; i < 4000; i++) { // 40 MB, far past what the kernel buffers and max_pending hold
                            po.write(head);
                            po.write(payload);
                            po.write("\r\n".getBytes(StandardCharsets.UTF_8));
                            sent.incrementAndGet();
                        }
                    } catch (Exception expected) {
                        // east closes this publisher once the link is over max_pending despite the stall
                    }
                }, "flood");
                flood.setDaemon(true);
                flood.start();

                await().atMost(WAIT).until(() -> closed.contains("Slow Consumer (Pending Bytes)"));
                assertThat(sent.get()).as("the publisher was stopped before it could send everything").isLessThan(4000);
                try (Connection polite = Nats.connect("nats://127.0.0.1:" + east.port())) {
                    polite.publish("marker.after", "still-here".getBytes(StandardCharsets.UTF_8));
                    polite.flush(Duration.ofSeconds(5));
                }
                // the peer reads again: on the very same socket the marker arrives after the backlog
                readUntil(in, "RMSG $G marker.after");
                assertThat(linkEvents).as("the link was never cut").isEmpty();
            }
        }
    }

    @Test
    void aRateLimitedPublisherCannotGetAheadOfTheOthers() throws Exception {
        east = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).maxInRate(100, 0).build()).start();
        String url = "nats://127.0.0.1:" + east.port();
        try (Connection sink = Nats.connect(url); Connection flooder = Nats.connect(url); Connection polite = Nats.connect(url)) {
            AtomicInteger floodSeen = new AtomicInteger();
            sink.createDispatcher(m -> floodSeen.incrementAndGet()).subscribe("flood.>");
            sink.createDispatcher(m -> sink.publish(m.getReplyTo(), m.getData())).subscribe("svc.echo");
            sink.flush(Duration.ofSeconds(5));
            for (int i = 0; i < 600; i++) flooder.publish("flood.x", new byte[16]);
            // (a flush would wait for the server to read the whole flood: its PONG comes after)
            await().atMost(WAIT).until(() -> floodSeen.get() >= 100);
            // asked once the flood is being read, answered while most of it still waits unread
            Message answer = polite.request("svc.echo", "hi".getBytes(StandardCharsets.UTF_8), WAIT);
            assertThat(answer).isNotNull();
            assertThat(floodSeen.get()).as("flood messages read before the polite request was answered").isLessThan(600);
            // and nothing of the flood is lost: it is read at the configured rate
            await().atMost(WAIT).until(() -> floodSeen.get() == 600);
        }
    }

    private static String readUntil(InputStream in, String marker) throws Exception {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        String tail = "";
        for (;;) {
            int n = in.read(buf);
            if (n < 0) throw new AssertionError("the link was closed before \"" + marker + "\" arrived");
            if (seen.size() < 4096) seen.write(buf, 0, Math.min(n, 4096));
            String chunk = tail + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            if (chunk.contains(marker)) return seen.toString(StandardCharsets.ISO_8859_1);
            tail = chunk.substring(Math.max(0, chunk.length() - marker.length()));
        }
    }
}
