package dev.eventbus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.gateway.auth.AgentInbox;
import dev.eventbus.gateway.token.TokenSigner;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The real stack as an operator runs it: {@code certs init}'s PKI, event-service and event-gateway from their shaded
 * jars as two processes joined over mutual TLS, an HTTP target recording what handlers deliver, and agents that are
 * unmodified jnats clients with minted tokens. What each test attacks is what an outsider reaches.
 */
final class Stack implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final String VERSION = "0.1.0-SNAPSHOT";
    static final Path SERVICE_JAR = Path.of("..", "event-service", "target", "event-service-" + VERSION + "-all.jar");
    static final Path GATEWAY_JAR = Path.of("..", "event-gateway", "target", "event-gateway-" + VERSION + "-all.jar");
    private static final byte[] SECRET = "an-e2e-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.US_ASCII);

    final Path dir;
    final Path pki;
    final int serviceHttp, serviceNats, serviceGateway, agentPort, gatewayGateway, gatewayMonitor;
    /** "path body" of every delivery the handler targets received. */
    final List<String> delivered = new CopyOnWriteArrayList<>();
    private final HttpServer target;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private Stack(Path dir) throws IOException {
        this.dir = dir;
        this.pki = dir.resolve("pki");
        DevPki.init(pki, DevPki.Options.defaults());
        Files.write(dir.resolve("hs256.key"), SECRET);
        serviceHttp = freePort();
        serviceNats = freePort();
        serviceGateway = freePort();
        agentPort = freePort();
        gatewayGateway = freePort();
        gatewayMonitor = freePort();
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", ex -> {
            delivered.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        target.start();
    }

    /**
     * Starts both apps with the default test configuration, and {@code serviceExtra}/{@code gatewayExtra} as an
     * overrides layer ({@code --overrides}), so an extra may set keys of any table the base file has too.
     */
    static Stack start(Path dir, String serviceExtra, String gatewayExtra) throws Exception {
        assertThat(SERVICE_JAR).as("built before this module in the reactor (mvn verify)").exists();
        assertThat(GATEWAY_JAR).as("built before this module in the reactor (mvn verify)").exists();
        Stack s = new Stack(dir);
        try {
            s.launch(SERVICE_JAR, "service", s.serviceToml(), serviceExtra);
            s.launch(GATEWAY_JAR, "gateway", s.gatewayToml(), gatewayExtra);
            s.awaitHealthy();
            return s;
        } catch (Exception | AssertionError e) {
            s.close();
            throw e;
        }
    }

    String serviceToml() {
        String t = "http://127.0.0.1:" + target.getAddress().getPort();
        return """
                [service]
                port = %d
                [internal_messaging]
                port = %d
                gateway_port = %d
                event_gateway_addresses = ["127.0.0.1:%d"]
                [tls]
                cert_path = "pki/event-service.crt"
                key_path = "pki/event-service.key"
                root_ca_path = "pki/ca.crt"
                [handlers]
                feed = "%s/feed"
                cfgingest = "%s/cfgingest"
                event_feed = "%s/event_feed"
                [queue]
                data_dir = "service-data"
                """.formatted(serviceHttp, serviceNats, serviceGateway, gatewayGateway, t, t, t);
    }

    String gatewayToml() {
        return """
                [service]
                host = "127.0.0.1"
                port = %d
                gateway_port = %d
                agent_ca_path = "pki/agent-ca.crt"
                [tls]
                cert_path = "pki/event-gateway.crt"
                key_path = "pki/event-gateway.key"
                root_ca_path = "pki/ca.crt"
                [internal_event_service]
                gateway_port = %d
                [auth]
                hs256_secret_file = "hs256.key"
                revocation_file = "revoked.txt"
                [monitor]
                port = %d
                """.formatted(agentPort, gatewayGateway, serviceGateway, gatewayMonitor);
    }

    private void launch(Path jar, String name, String toml, String overrides) throws IOException {
        Path cfg = dir.resolve(name + ".toml");
        Files.writeString(cfg, toml);
        Path over = dir.resolve(name + "-overrides.toml");
        Files.writeString(over, overrides);
        if (!Files.exists(dir.resolve("revoked.txt"))) Files.writeString(dir.resolve("revoked.txt"), "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        processes.add(new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--config", cfg.toString(),
                        "--overrides", over.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start());
    }

    private void awaitHealthy() {
        try {
            awaitHealthyOrTimeout();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the stack did not become healthy: " + logs(), e);
        }
    }

    private void awaitHealthyOrTimeout() {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class).until(() -> {
            for (Process p : processes) {
                if (!p.isAlive()) throw new AssertionError("a process exited: " + logs());
            }
            return get("http://127.0.0.1:" + gatewayMonitor + "/healthz").statusCode() == 200;
        });
    }

    HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        for (String n : List.of("service", "gateway")) {
            try {
                b.append("\n--- ").append(n).append(".log ---\n").append(Files.readString(dir.resolve(n + ".log")));
            } catch (IOException e) {
                b.append("\n(no ").append(n).append(".log)");
            }
        }
        return b.toString();
    }

    String gatewayLog() throws IOException { return Files.readString(dir.resolve("gateway.log")); }

    /** A token for {@code sub}, valid for {@code ttl}, with extra claims (e.g. a {@code nats} grant). */
    String token(String sub, Duration ttl, Consumer<JWTClaimsSet.Builder> extra) {
        JWK key = new OctetSequenceKey.Builder(SECRET).build();
        Instant now = Instant.now();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().subject(sub).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)));
        extra.accept(c);
        return TokenSigner.sign(key, null, null, c.build());
    }

    String token(String sub) { return token(sub, Duration.ofMinutes(10), c -> {}); }

    /** The agent's TLS: trusts the stack's CA, presents no certificate. */
    SSLContext agentTls() { return JdkSslContexts.client(pki.resolve("ca.crt"), null, null); }

    /** An agent's options; replies come to its private inbox prefix, the only one its grant may receive on. */
    Options.Builder agentOptions(String token) {
        return new Options.Builder().server("tls://localhost:" + agentPort).sslContext(agentTls())
                .token(token.toCharArray()).inboxPrefix(AgentInbox.prefix(subOf(token)))
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(5));
    }

    private static String subOf(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }

    Connection agent(String token) throws Exception { return Nats.connect(agentOptions(token).build()); }

    /** Sends an event as a request until event-service's interest has crossed the link; returns the answer. */
    static String ack(Connection agent, String id) throws Exception {
        byte[] body = event(id, "scanJobCreated", "agent-e2e").getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            io.nats.client.Message m = agent.request("events.scanJobCreated", body, Duration.ofSeconds(3));
            if (m != null && !m.isStatusMessage()) return new String(m.getData(), StandardCharsets.UTF_8);
        }
        throw new AssertionError("no acknowledgement for " + id);
    }

    /** An event as event-service's schema wants it. */
    static String event(String id, String type, String producer) {
        return "{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\",\"producer\":{\"id\":\"" + producer
                + "\"},\"published\":\"2026-12-02T00:00:00Z\"}";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) p.destroy();
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        target.stop(0);
    }
}
