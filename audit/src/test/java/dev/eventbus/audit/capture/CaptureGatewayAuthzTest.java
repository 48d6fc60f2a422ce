package dev.eventbus.audit.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.Tag;
import dev.eventbus.audit.testing.Http;
import dev.eventbus.audit.testing.Ports;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.gateway.app.EventGatewayMain;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit capture} of a running event-gateway app gathers its auth audit trail (/authz) with the rest. */
class CaptureGatewayAuthzTest {
    @TempDir Path dir;
    private ApplicationContext gateway;

    @AfterEach
    void stop() {
        if (gateway != null) gateway.close();
    }

    @Test
    void theGatewaysAuditTrailIsInTheArchive() throws Exception {
        int agentPort = Ports.freeOnAll("127.0.0.1");
        int monitorPort = Ports.freeOnAll("127.0.0.1");
        Files.writeString(dir.resolve("hs256.key"), "a-shared-secret-of-at-least-32-bytes!!\n");
        // plaintext and no event-service: the door is all this test looks at
        Files.writeString(dir.resolve("gateway.toml"), """
                [service]
                host = "127.0.0.1"
                port = %d
                gateway_port = %d
                disable_frontend_tls = true
                [auth]
                hs256_secret_file = "hs256.key"
                [monitor]
                port = %d
                """.formatted(agentPort, Ports.freeOnAll("127.0.0.1"), monitorPort));
        gateway = EventGatewayMain.start(ConfigLoader.forApp(App.EVENT_GATEWAY).patch(dir.resolve("gateway.toml")).load());

        // an agent with a token that is not a JWT is refused: one entry in the trail
        Options o = new Options.Builder().server("nats://127.0.0.1:" + agentPort).token("not-a-jwt".toCharArray())
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(2)).build();
        assertThat(catchException(() -> Nats.connect(o).close())).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Http.json("127.0.0.1", monitorPort, "/authz").path("entries").size() == 1);

        Path out = dir.resolve("gateway.zip");
        CaptureLog log = new CaptureLog(line -> { });
        CaptureResult result = Capture.run(CaptureOptions.of(List.of("http://127.0.0.1:" + monitorPort), out)
                .withToolVersion("eventbus audit test"), log, Progress.NONE);
        assertThat(result.servers()).extracting(CapturedServer::status).containsExactly("captured");

        try (ArchiveReader r = ArchiveReader.open(out)) {
            String server = r.clusterServerNames(Tag.NO_CLUSTER).get(0);
            JsonNode authz = r.load(Tag.server(server), Tag.artifactType(ArtifactType.EVENTBUS_AUTHZ)).path("data");
            JsonNode entry = authz.path("entries").get(0);
            assertThat(entry.path("kind").asText()).isEqualTo("REFUSED");
            assertThat(entry.path("reason").asText()).isEqualTo("MALFORMED");
            assertThat(entry.path("remote").asText()).startsWith("127.0.0.1:");
        }
    }
}
