package dev.eventbus.broker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.testing.ServerConfig.UserSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The harness itself: one {@link ServerConfig} reaches both kinds of server (checked through /varz, which both
 * serve), and the nats-server process starts on a free port, reports it and stops.
 */
class ServerHarnessTest {
    static final ServerConfig EVERYTHING = ServerConfig.builder()
            .maxPayload(2048).maxControlLine(512).maxPending(1 << 20).maxConnections(50).maxSubscriptions(7)
            .pingInterval(Duration.ofSeconds(30)).pingMax(3).authTimeout(Duration.ofMillis(1500))
            .writeDeadline(Duration.ofSeconds(4))
            .user(UserSpec.of("a", "pa").publishAllow("x.>").publishDeny("x.y").subscribeAllow("x.>", "q.* g")
                    .subscribeDeny("x.z"))
            .monitoring(true)
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.eventbus.broker.testing.ServerKind#selected")
    void oneConfigReachesBothServers(ServerKind kind) throws Exception {
        try (ServerUnderTest s = kind.start(EVERYTHING)) {
            assertThat(s.port()).isPositive();
            assertThat(s.httpPort()).isPositive().isNotEqualTo(s.port());
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + "/varz"))
                            .timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Map<String, Object> varz = Json.parseObject(r.body());
            assertThat(varz).containsEntry("port", (long) s.port())
                    .containsEntry("max_payload", 2048L)
                    .containsEntry("max_control_line", 512L)
                    .containsEntry("max_pending", 1048576L)
                    .containsEntry("max_connections", 50L)
                    .containsEntry("max_subscriptions", 7L)
                    .containsEntry("ping_interval", 30_000_000_000L)
                    .containsEntry("ping_max", 3L)
                    .containsEntry("write_deadline", 4_000_000_000L)
                    .containsEntry("auth_required", true);
            assertThat(((Number) varz.get("auth_timeout")).doubleValue()).isEqualTo(1.5);
        }
    }

    @Test
    void natsServerProcessStartsOnAFreePortAndStops() {
        org.junit.jupiter.api.Assumptions.assumeTrue(NatsServerProcess.isInstalled(), "nats-server is not installed");
        NatsServerProcess p = NatsServerProcess.start(ServerConfig.DEFAULT);
        try {
            assertThat(p.isAlive()).isTrue();
            assertThat(p.port()).isPositive();
            assertThat(p.httpPort()).isEqualTo(-1);
            assertThat(p.logText()).contains("Server is ready");
        } finally {
            p.close();
        }
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void configTextIsEmptyForDefaultsAndQuotesValues() {
        assertThat(NatsServerProcess.configText(ServerConfig.DEFAULT)).isEmpty();
        assertThat(NatsServerProcess.configText(ServerConfig.builder().token("a\"b").build()))
                .contains("token: \"a\\\"b\"");
    }
}
