package dev.eventbus.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigException;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.service.Events;
import dev.eventbus.service.ServiceOptions;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 2 through the application: {@code queue.segment_bytes} and {@code queue.max_bytes} from the TOML, a
 * 503 with reason {@code storage_full} and Retry-After at the limit, the log's size in /metrics, and intake back by
 * itself once deliveries free the log. A limit that cannot work is refused, naming the key.
 */
class StorageLimitsAppTest {
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicBoolean targetUp = new AtomicBoolean();
    private HttpServer target;
    private ApplicationContext app;
    private int httpPort;

    @AfterEach
    void stop() {
        if (app != null) app.close();
        if (target != null) target.stop(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private EffectiveConfig config(String queueLines) throws IOException, ConfigException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(targetUp.get() ? 200 : 503, -1);
            ex.close();
        });
        target.start();
        httpPort = freePort();
        Path toml = dir.resolve("service.toml");
        Files.writeString(toml, """
                [service]
                port = %d
                [internal_messaging]
                port = %d
                gateway_port = %d
                [handlers]
                feed = "http://127.0.0.1:%d/feed"
                cfgingest = "http://127.0.0.1:%d/cfgingest"
                event_feed = "nats:out.event_feed"
                [queue]
                data_dir = "data"
                %s
                [delivery]
                retry_base_delay = "10ms"
                retry_max_delay = "50ms"
                """.formatted(httpPort, freePort(), freePort(), target.getAddress().getPort(), target.getAddress().getPort(),
                queueLines));
        return ConfigLoader.forApp(App.EVENT_SERVICE).patch(toml).load();
    }

    private HttpResponse<String> post(byte[] event) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void atQueueMaxBytesIntakeAnswers503StorageFullAndTakesEventsAgainOnceTheyAreDelivered() throws Exception {
        app = EventServiceMain.start(config("segment_bytes = 65536\nmax_bytes = 262144"));
        HttpResponse<String> refused = null;
        int accepted = 0;
        for (int i = 0; i < 1000 && refused == null; i++) {
            HttpResponse<String> r = post(Events.sized("full-" + i, "compliance_ingest", 1024));
            if (r.statusCode() == 202) accepted++;
            else refused = r;
        }
        assertThat(refused).as("refused before 1000 events of 1 KB").isNotNull();
        assertThat(accepted).isBetween(200, 256);           // 256 KiB of log, at 1 KB per event plus the record's header
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("\"reason\":\"storage_full\"").contains("queue.max_bytes");
        assertThat(get("/metrics")).contains("eventbus_events_refused_total{reason=\"storage_full\"} 1")
                .containsPattern("eventbus_queue_bytes 2[0-9]{5}");
        assertThat(get("/healthz")).contains("\"status\":\"unhealthy\"").contains("storage full");
        try (var logs = Files.list(dir.resolve("data/log"))) {
            assertThat(logs.filter(p -> p.toString().endsWith(".log"))).hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(p -> assertThat(Files.size(p)).isLessThanOrEqualTo(65536));
        }

        targetUp.set(true);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> post(Events.sized("again", "compliance_ingest", 1024)).statusCode() == 202);
        assertThat(get("/healthz")).contains("\"status\":\"ok\"");
    }

    @Test
    void aLimitThatCannotWorkIsRefusedNamingTheKeys() throws Exception {
        assertThatThrownBy(() -> config("segment_bytes = 1000")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("queue.segment_bytes");
        // the start builds these options from the two keys (ServiceFactory), so it fails with this message
        assertThatThrownBy(() -> ServiceOptions.builder().dataDir(dir).segmentBytes(65536).maxBytes(100_000)
                .handlerTarget("feed", "http://127.0.0.1:1/feed").handlerTarget("cfgingest", "http://127.0.0.1:1/c")
                .handlerTarget("event_feed", "http://127.0.0.1:1/e").build())
                .hasMessageContaining("queue.max_bytes").hasMessageContaining("queue.segment_bytes");
    }
}
