package dev.eventbus.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.service.Events;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-service application: mutual-TLS internal bus with certificates from {@code certs init}, NATS and HTTP
 * intake with acknowledgements, typed handlers delivering over HTTP and NATS, listener_limit, /healthz, /metrics.
 */
class EventServiceAppTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir Path dir;
    private HttpServer target;
    private final CopyOnWriteArrayList<String> delivered = new CopyOnWriteArrayList<>();
    private ApplicationContext app;
    private int httpPort;
    private int natsPort;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        // the test's NATS client is an internal service identity, configured as an internal-bus client below
        DevPki.init(dir, new DevPki.Options(KeyAlgorithm.ecP256(), Duration.ofDays(1), false, List.of(), List.of("test-client")));
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", ex -> {
            delivered.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        target.start();
        httpPort = freePort();
        natsPort = freePort();
        Path toml = dir.resolve("service.toml");
        Files.writeString(toml, """
                [service]
                port = %d
                listener_limit = 1
                [internal_messaging]
                port = %d
                gateway_port = %d
                [[internal_messaging.clients]]
                identity = "test-client"
                publish = ["events.>"]
                subscribe = ["events.>", "feed.out", "_INBOX.>"]
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
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE).patch(toml).load();
        app = EventServiceMain.start(cfg);
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
        if (target != null) target.stop(0);
    }

    private Connection client(ErrorListener errors) throws Exception {
        Options.Builder o = new Options.Builder().server("tls://localhost:" + natsPort)
                .sslContext(JdkSslContexts.client(dir.resolve("ca.crt"), dir.resolve("test-client.crt"), dir.resolve("test-client.key")))
                .maxReconnects(0);
        if (errors != null) o.errorListener(errors);
        return Nats.connect(o.build());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/events"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aNatsRequestIsAcknowledgedOnceQueuedAndDeliveredToItsHandler() throws Exception {
        try (Connection c = client(null)) {
            Message ack = c.request("events.compliance_ingest", Events.event("e-1", "compliance_ingest"), Duration.ofSeconds(10));
            assertThat(new String(ack.getData())).isEqualTo("{\"accepted\":true,\"event_id\":\"e-1\"}");
            await().atMost(WAIT).until(() -> delivered.stream().anyMatch(d -> d.startsWith("/feed ") && d.contains("\"e-1\"")));
            Message refused = c.request("events.bogus", "{not json".getBytes(), Duration.ofSeconds(10));
            assertThat(new String(refused.getData())).startsWith("{\"accepted\":false,\"error\":");
        }
    }

    @Test
    void httpIntakeAnswers202And400AndRoutesEveryKindOfHandler() throws Exception {
        try (Connection c = client(null)) {
            Subscription natsTarget = c.subscribe("feed.out");
            c.flush(Duration.ofSeconds(2));
            HttpResponse<String> ok = post(Events.json("e-2", "scanJobCreated"));
            assertThat(ok.statusCode()).isEqualTo(202);
            assertThat(ok.body()).contains("\"accepted\":true");
            Message m = natsTarget.nextMessage(WAIT);
            assertThat(m).isNotNull();
            assertThat(new String(m.getData())).contains("\"e-2\"");
        }
        assertThat(post(Events.json("e-3", "nodeTerminated")).statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> delivered.stream().anyMatch(d -> d.startsWith("/cfgingest ") && d.contains("\"e-3\"")));
        HttpResponse<String> bad = post("{\"event_id\":\"x\"");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"accepted\":false");
        HttpResponse<String> unknown = post(Events.json("e-4", "noSuchType"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(get("/metrics")).contains("eventbus_events_accepted_total 2").contains("eventbus_events_refused_total{reason=")
                .contains("eventbus_event_delivery_seconds_count{handler=\"cfgingest\"} 1");
        assertThat(get("/healthz")).contains("\"status\":\"ok\"");
    }

    @Test
    void theEventStreamShowsAcceptedEventsAndCountsAgainstListenerLimit() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest streamReq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/events/stream")).build();
        java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> open =
                http.sendAsync(streamReq, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> first = open.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(first.statusCode()).isEqualTo(200);
        // the one listener allowed is in use: a second stream is refused with the reason
        HttpResponse<String> second = http.send(streamReq, HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).contains("listener_limit reached");
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                first.body().filter(l -> l.startsWith("data:") && l.contains("profileCreated")).findFirst().orElse(""));
        await().atMost(WAIT).until(() -> {
            post(Events.json("sse-" + System.nanoTime(), "profileCreated"));
            return line.isDone();
        });
        assertThat(line.get()).contains("\"type\":\"profileCreated\"");
    }

    @Test
    void oneListenerMoreThanListenerLimitIsRefusedClearly() throws Exception {
        CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
        try (Connection first = client(null); Connection second = client(new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        })) {
            first.subscribe("events.>");
            first.flush(Duration.ofSeconds(2));
            second.subscribe("events.scanJobCreated");
            second.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(e -> e.contains("listener_limit reached")));
            assertThat(second.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(get("/metrics")).contains("eventbus_listeners 1");
        }
        assertThat(List.of(get("/gatewayz"))).allMatch(g -> g.contains("\"name\": \"event-service\""));
    }
}
