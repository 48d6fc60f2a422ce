package dev.eventbus.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two eventbus servers joined by a gateway: monitoring shows the links, and a killed link comes back by itself. */
class GatewayLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private Broker east;
    private Broker west;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static Broker start(String name, int clientPort, int gatewayPort, String remote, int remotePort) {
        GatewayOptions.Builder g = GatewayOptions.builder(name).host("127.0.0.1").port(gatewayPort)
                .reconnectDelay(Duration.ofMillis(100)).maxReconnectDelay(Duration.ofMillis(500));
        if (remote != null) g.remote(remote, "nats://127.0.0.1:" + remotePort);
        return new Broker(BrokerOptions.builder().host("127.0.0.1").port(clientPort).httpHost("127.0.0.1").httpPort(0)
                .gateway(g.build()).build()).start();
    }

    @AfterEach
    void stop() {
        if (east != null) east.shutdown();
        if (west != null) west.shutdown();
    }

    private static String get(Broker b, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    @Test
    void gatewayzShowsBothLinksAndTheAnnouncedInterest() throws Exception {
        int eastGw = freePort();
        east = start("east", 0, eastGw, null, 0);
        west = start("west", 0, freePort(), "east", eastGw);
        try (Connection onEast = Nats.connect("nats://127.0.0.1:" + east.port())) {
            onEast.subscribe("orders.*");
            onEast.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).untilAsserted(() -> {
                String w = get(west, "/gatewayz?accs=1");
                assertThat(w).contains("\"outbound_gateways\": {\n    \"east\"").contains("\"inbound_gateways\": {\n    \"east\"")
                        .contains("\"configured\": true").contains("\"interest_mode\": \"Interest-Only\"").contains("\"num_subs\": 1");
                assertThat(get(east, "/gatewayz")).contains("\"outbound_gateways\": {\n    \"west\"").contains("\"configured\": false");
            });
            assertThat(get(west, "/varz")).contains("\"gateway\": {\n    \"name\": \"west\"").contains("\"name\": \"east\"");
        }
    }

    @Test
    void aKilledLinkComesBackByItselfAndEveryRequestIsAnsweredOrFailsCleanly() throws Exception {
        int eastGw = freePort(), westGw = freePort(), westClient = freePort();
        east = start("east", 0, eastGw, "west", westGw);
        west = start("west", westClient, westGw, "east", eastGw);
        Options westOpts = new Options.Builder().server("nats://127.0.0.1:" + westClient)
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(50)).build();
        try (Connection requester = Nats.connect("nats://127.0.0.1:" + east.port());
             Connection responder = Nats.connect(westOpts)) {
            responder.createDispatcher(m -> responder.publish(m.getReplyTo(), m.getData())).subscribe("svc.echo");
            responder.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> answered(requester, "warm-up"));

            int[] before = run(requester, 60, Long.MAX_VALUE);
            west.shutdown(); // the link dies under traffic
            int[] down = run(requester, 40, Long.MAX_VALUE);
            west = start("west", westClient, westGw, "east", eastGw);
            // traffic goes on while the responder and both links find their way back by themselves
            long deadline = System.nanoTime() + WAIT.toNanos();
            int[] after = run(requester, 50, deadline);
            System.out.printf("gateway link kill: before %d answered/%d failed; link down %d answered/%d failed; "
                            + "recovery %d answered/%d failed cleanly; wrong answers %d%n",
                    before[0], before[1], down[0], down[1], after[0], after[1], before[2] + down[2] + after[2]);
            assertThat(before[0]).isEqualTo(60);
            assertThat(after[0]).as("the link came back and 50 requests in a row were answered").isEqualTo(50);
            assertThat(before[2] + down[2] + after[2]).as("answers that do not match their request").isZero();
        }
    }

    /**
     * Sends requests until {@code wantAnswered} in a row are answered (or {@code count} were sent when the deadline is
     * unbounded). Returns {answered, failed, wrong}; a failure is a timeout or a no-responders status, never a hang.
     */
    private static int[] run(Connection c, int target, long deadline) {
        int answered = 0, failed = 0, wrong = 0, streak = 0, sent = 0;
        boolean untilStreak = deadline != Long.MAX_VALUE;
        while (untilStreak ? streak < target && System.nanoTime() < deadline : sent < target) {
            String body = "req-" + sent++;
            CompletableFuture<Message> f = c.request("svc.echo", body.getBytes(StandardCharsets.UTF_8));
            try {
                Message m = f.get(1, TimeUnit.SECONDS);
                if (m.isStatusMessage()) {
                    failed++;
                    streak = 0;
                } else if (body.equals(new String(m.getData(), StandardCharsets.UTF_8))) {
                    answered++;
                    streak++;
                } else {
                    wrong++;
                }
            } catch (Exception e) {
                failed++;
                streak = 0;
                f.cancel(true);
            }
        }
        return new int[] {answered, failed, wrong};
    }

    private static boolean answered(Connection c, String body) {
        try {
            Message m = c.request("svc.echo", body.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500));
            return m != null && body.equals(new String(m.getData(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            return false;
        }
    }
}
