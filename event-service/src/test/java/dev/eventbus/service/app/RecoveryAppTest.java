package dev.eventbus.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.service.Events;
import dev.eventbus.service.SyncPolicy;
import dev.eventbus.service.cli.RecoveryMain;
import dev.eventbus.service.queue.DurableQueue;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 1 as an operator meets it: a data directory with a damaged record. The service starts, delivers every
 * intact event, and says what happened on /healthz (degraded, still 200), /metrics and /handlerz until someone runs
 * {@code service recovery ack}; a restart does not make the damage look handled.
 */
class RecoveryAppTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int EVENTS = 50;
    private static final int DAMAGED = 20;

    @TempDir Path dir;
    private HttpServer target;
    private final CopyOnWriteArrayList<String> delivered = new CopyOnWriteArrayList<>();
    private ApplicationContext app;
    private int httpPort;
    private int natsPort;
    private Path toml;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
        if (target != null) target.stop(0);
    }

    private void configure() throws Exception {
        DevPki.init(dir, new DevPki.Options(KeyAlgorithm.ecP256(), Duration.ofDays(1), false, List.of(), List.of("test-client")));
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int at = body.indexOf("\"event_id\":\"") + 12;
            delivered.add(body.substring(at, body.indexOf('"', at)));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        target.start();
        httpPort = freePort();
        natsPort = freePort();
        toml = dir.resolve("service.toml");
        Files.writeString(toml, """
                [service]
                port = %d
                [internal_messaging]
                port = %d
                gateway_port = %d
                [[internal_messaging.clients]]
                identity = "test-client"
                publish = ["events.>", "healthcheck.event-service"]
                subscribe = ["_INBOX.>"]
                [tls]
                cert_path = "event-service.crt"
                key_path = "event-service.key"
                root_ca_path = "ca.crt"
                [handlers]
                feed = "http://127.0.0.1:%d/feed"
                cfgingest = "http://127.0.0.1:%d/cfgingest"
                event_feed = "nats:feed.out"
                [queue]
                data_dir = "data"
                """.formatted(httpPort, natsPort, freePort(), target.getAddress().getPort(), target.getAddress().getPort()));
    }

    private void startApp() throws Exception {
        app = EventServiceMain.start(ConfigLoader.forApp(App.EVENT_SERVICE).patch(toml).load());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** EVENTS events for the feed handler in the data directory; then one byte of event e-DAMAGED flipped. */
    private List<String> damagedDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        List<String> ids = new ArrayList<>();
        long damagedAt = 0;
        try (DurableQueue q = DurableQueue.open(new DurableQueue.Options(data, Set.of("feed", "cfgingest", "event_feed"),
                SyncPolicy.always(), DurableQueue.DEFAULT_SEGMENT_BYTES), null)) {
            long end = q.durableEnd();
            for (int i = 0; i < EVENTS; i++) {
                String id = "e-" + i;
                DurableQueue.Appended a = q.append(id, "compliance_ingest", List.of("feed"),
                        Events.json(id, "compliance_ingest").getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
                assertThat(q.awaitDurable(a.end(), 5, TimeUnit.SECONDS)).isTrue();
                if (i == DAMAGED) damagedAt = end + 100;
                else ids.add(id);
                end = a.end();
            }
        }
        Path segment = data.resolve("log/00000000000000000000.log");
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, damagedAt);
            b.put(0, (byte) (b.get(0) ^ 0x20));
            ch.write(b.flip(), damagedAt);
        }
        return ids;
    }

    @Test
    void damageIsDeliveredAroundShownAsDegradedUntilAcknowledgedAndARestartDoesNotHideIt() throws Exception {
        configure();
        List<String> intact = damagedDataDirectory();
        startApp();
        await().atMost(WAIT).until(() -> delivered.size() >= intact.size());
        assertThat(delivered).containsExactlyElementsOf(intact);

        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);                 // it works: degraded, not unavailable
        assertThat(health.body()).contains("\"status\":\"degraded\"").contains("queue recovery: 1 finding not yet acknowledged")
                .contains("\"kind\":\"damaged_records\"").contains("\"skipped_records\":1")
                .contains("eventbus service recovery ack");
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("eventbus_queue_recovery_skipped_records 1")
                .contains("eventbus_queue_recovery_problems{kind=\"damaged_records\"} 1")
                .contains("eventbus_queue_recovery_problems{kind=\"missing_segment\"} 0")
                .contains("eventbus_queue_recovery_unacknowledged 1")
                .contains("eventbus_queue_recovery_truncated_bytes 0")
                .containsPattern("eventbus_queue_recovery_quarantined_bytes [1-9]");
        assertThat(get("/handlerz").body()).contains("\"recovery\":{").contains("\"skipped_records\":1")
                .contains("\"quarantine_file\":\"00000000000000000000-").contains("\"acknowledged_at\":null");
        // event-gateway's probe still gets "ok": intake works, so agents' events keep flowing
        try (Connection c = Nats.connect(new Options.Builder().server("tls://localhost:" + natsPort).maxReconnects(0)
                .sslContext(JdkSslContexts.client(dir.resolve("ca.crt"), dir.resolve("test-client.crt"), dir.resolve("test-client.key")))
                .build())) {
            Message m = c.request("healthcheck.event-service", "ping".getBytes(StandardCharsets.UTF_8), WAIT);
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).contains("\"status\":\"ok\"");
        }

        app.close();                                                     // a restart alone does not clear it
        startApp();
        assertThat(get("/healthz").body()).contains("\"status\":\"degraded\"");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RecoveryMain.run(new String[] {"recovery", "ack", "--config", toml.toString()}, new PrintStream(out, true),
                System.err);
        assertThat(code).isZero();
        assertThat(out.toString()).contains("acknowledging damaged_records").contains("requested");
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/healthz").body()).contains("\"status\":\"ok\""));
        assertThat(get("/healthz").body()).doesNotContain("reasons");
        assertThat(get("/metrics").body()).contains("eventbus_queue_recovery_unacknowledged 0")
                .contains("eventbus_queue_recovery_skipped_records 1");          // still found, now acknowledged
        assertThat(get("/handlerz").body()).contains("\"acknowledged_at\":\"");

        app.close();                                                     // the acknowledgement outlives a restart
        startApp();
        assertThat(get("/healthz").body()).contains("\"status\":\"ok\"");
        assertThat(delivered).containsExactlyElementsOf(intact);          // and nothing is delivered twice
    }
}
