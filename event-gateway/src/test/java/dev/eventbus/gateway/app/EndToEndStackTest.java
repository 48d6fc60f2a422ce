package dev.eventbus.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.gateway.auth.AgentInbox;
import dev.eventbus.gateway.token.TokenMain;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real stack end to end: event-service (its shaded jar, as a process: it is its own Micronaut application) and
 * event-gateway (in-process), joined over mutual TLS with certs init's internal CA; an agent with a minted token and
 * a certificate of the agent CA (required) publishes through the gateway and the event reaches the handler target,
 * with the acknowledgement coming back through the link. /healthz turning 200 shows the health probe passes the
 * agent port's client-certificate check too.
 */
class EndToEndStackTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SERVICE_JAR = Path.of("..", "event-service", "target", "event-service-0.1.0-SNAPSHOT-all.jar");
    @TempDir Path dir;
    private Process service;
    private ApplicationContext gateway;
    private HttpServer target;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) gateway.close();
        if (service != null) {
            service.destroy();
            service.waitFor();
        }
        if (target != null) target.stop(0);
    }

    @Test
    void anAgentsEventCrossesTheGatewayIsAcknowledgedAndReachesItsHandlerTarget() throws Exception {
        assertThat(SERVICE_JAR).as("the event-service jar is built before this module in the reactor (mvn verify)").exists();
        DevPki.init(dir, DevPki.Options.defaults());
        Files.writeString(dir.resolve("hs256.key"), "an-end-to-end-secret-of-32-bytes-or-more\n");
        CopyOnWriteArrayList<String> received = new CopyOnWriteArrayList<>();
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", ex -> {
            received.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        target.start();
        int serviceGateway = freePort(), gatewayGateway = freePort(), agentPort = freePort(), monitorPort = freePort();
        String t = "http://127.0.0.1:" + target.getAddress().getPort();
        Files.writeString(dir.resolve("service.toml"), """
                [service]
                port = %d
                [internal_messaging]
                port = %d
                gateway_port = %d
                event_gateway_addresses = ["127.0.0.1:%d"]
                [tls]
                cert_path = "event-service.crt"
                key_path = "event-service.key"
                root_ca_path = "ca.crt"
                [handlers]
                feed = "%s/feed"
                cfgingest = "%s/cfgingest"
                event_feed = "%s/event_feed"
                [queue]
                data_dir = "service-data"
                """.formatted(freePort(), freePort(), serviceGateway, gatewayGateway, t, t, t));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        service = new ProcessBuilder(java, "-Xmx256m", "-jar", SERVICE_JAR.toString(), "--config", dir.resolve("service.toml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile()).start();

        Files.writeString(dir.resolve("gateway.toml"), """
                [service]
                host = "127.0.0.1"
                port = %d
                gateway_port = %d
                client_certificates = "required"
                agent_ca_path = "agent-ca.crt"
                [tls]
                cert_path = "event-gateway.crt"
                key_path = "event-gateway.key"
                root_ca_path = "ca.crt"
                [internal_event_service]
                gateway_port = %d
                [auth]
                hs256_secret_file = "hs256.key"
                [monitor]
                port = %d
                """.formatted(agentPort, gatewayGateway, serviceGateway, monitorPort));
        gateway = EventGatewayMain.start(ConfigLoader.forApp(App.EVENT_GATEWAY).patch(dir.resolve("gateway.toml")).load());
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(WAIT).until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        ByteArrayOutputStream tok = new ByteArrayOutputStream();
        assertThat(TokenMain.run(new String[] {"issue", "--sub", "agent-e2e", "--key", dir.resolve("hs256.key").toString(), "--ttl", "10m"},
                new PrintStream(tok), new PrintStream(new ByteArrayOutputStream()))).isZero();
        Options o = new Options.Builder().server("tls://localhost:" + agentPort)
                .sslContext(JdkSslContexts.client(dir.resolve("ca.crt"), dir.resolve("agent.crt"), dir.resolve("agent.key")))
                .token(tok.toString(StandardCharsets.UTF_8).trim().toCharArray()).maxReconnects(0)
                .inboxPrefix(AgentInbox.prefix("agent-e2e")) // the default grant receives replies only there
                .build();
        try (Connection agent = Nats.connect(o)) {
            String event = "{\"event_id\":\"e2e-1\",\"type\":\"scanJobCreated\",\"producer\":{\"id\":\"agent-e2e\"},\"published\":\"2026-11-22T00:00:00Z\"}";
            Message ack = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (ack == null && System.nanoTime() < deadline) { // until event-service's interest in events.> has crossed
                Message m = agent.request("events.scanJobCreated", event.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
                if (m != null && !m.isStatusMessage()) ack = m;
            }
            assertThat(ack).as("acknowledgement through the gateway").isNotNull();
            assertThat(new String(ack.getData(), StandardCharsets.UTF_8)).startsWith("{\"accepted\":true,\"event_id\":\"e2e-1\"");
        }
        await().atMost(WAIT).until(() -> received.stream().anyMatch(r -> r.startsWith("/event_feed ") && r.contains("\"e2e-1\"")));
    }
}
