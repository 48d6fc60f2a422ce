package dev.eventbus.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.Pem;
import dev.eventbus.certs.ReloadingSslContext;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.gateway.token.TokenMain;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-gateway application end to end: certificates from {@code certs init}, a TOML config, an agent with a
 * minted token over TLS, the gateway link over mutual TLS to a stand-in event-service (a plain broker with the
 * gateway name event-service), /healthz and /metrics.
 */
class EventGatewayAppTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir Path dir;
    private Broker service;
    private Connection serviceSide;
    private ApplicationContext app;
    private int agentPort;
    private int monitorPort;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        DevPki.init(dir, DevPki.Options.defaults());
        Files.writeString(dir.resolve("hs256.key"), "a-shared-secret-of-at-least-32-bytes!!\n");
        int serviceGateway = freePort();
        agentPort = freePort();
        monitorPort = freePort();
        // the stand-in event-service: its gateway is named event-service and speaks mutual TLS
        service = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .gateway(GatewayOptions.builder("event-service").host("127.0.0.1").port(serviceGateway)
                        .tls(ReloadingSslContext.forServerMutual(crt("event-service"), key("event-service"), crt("ca")).build(),
                                ReloadingSslContext.forClientMutual(crt("event-service"), key("event-service"), crt("ca")).build())
                        .build()).build()).start();
        serviceSide = Nats.connect("nats://127.0.0.1:" + service.port());
        serviceSide.createDispatcher(m -> serviceSide.publish(m.getReplyTo(), "event-service ok".getBytes())).subscribe(HealthProbe.SUBJECT);
        serviceSide.createDispatcher(m -> serviceSide.publish(m.getReplyTo(), ("ack " + new String(m.getData())).getBytes())).subscribe("events.request");
        serviceSide.flush(Duration.ofSeconds(2));

        Path toml = dir.resolve("gateway.toml");
        Files.writeString(toml, """
                [service]
                host = "127.0.0.1"
                port = %d
                gateway_port = %d
                client_certificates = "optional"
                [tls]
                cert_path = "event-gateway.crt"
                key_path = "event-gateway.key"
                root_ca_path = "ca.crt"
                [internal_event_service]
                host = "127.0.0.1"
                gateway_port = %d
                [auth]
                hs256_secret_file = "hs256.key"
                issuer = "eventbus-test"
                [monitor]
                port = %d
                """.formatted(agentPort, freePort(), serviceGateway, monitorPort));
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_GATEWAY).patch(toml).load();
        app = EventGatewayMain.start(cfg);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) app.close();
        if (serviceSide != null) serviceSide.close();
        if (service != null) service.shutdown();
    }

    private Path crt(String name) { return dir.resolve(name + ".crt"); }

    private Path key(String name) { return dir.resolve(name + ".key"); }

    private String token() { return token("eventbus-test"); }

    private String token(String issuer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = List.of("issue", "--sub", "agent-7", "--key", dir.resolve("hs256.key").toString(),
                "--iss", issuer, "--ttl", "1h");
        int rc = TokenMain.run(args.toArray(new String[0]), new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
        assertThat(rc).isZero();
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private SSLContext trustDevCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (X509Certificate c : Pem.readCertificates(crt("ca"))) trust.setCertificateEntry("ca", c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private Connection agent(String token, ErrorListener errors) throws Exception {
        Options.Builder o = new Options.Builder().server("tls://localhost:" + agentPort).sslContext(trustDevCa())
                .token(token.toCharArray()).maxReconnects(0).connectionTimeout(Duration.ofSeconds(3));
        if (errors != null) o.errorListener(errors);
        return Nats.connect(o.build());
    }

    private String http(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private int httpStatus(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void anAgentWithATokenPublishesAcrossTheGatewayAndGetsReplies() throws Exception {
        Subscription events = serviceSide.subscribe("events.>");
        serviceSide.flush(Duration.ofSeconds(2));
        try (Connection agent = agent(token(), null)) {
            Message got = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got == null && System.nanoTime() < deadline) { // interest crosses the link asynchronously
                agent.publish("events.x", "{\"event_id\":\"1\"}".getBytes());
                agent.flush(Duration.ofSeconds(2));
                got = events.nextMessage(Duration.ofMillis(200));
            }
            assertThat(got).isNotNull();
            assertThat(got.getSubject()).isEqualTo("events.x");
            Message reply = agent.request("events.request", "42".getBytes(), Duration.ofSeconds(5));
            assertThat(reply).isNotNull();
            assertThat(new String(reply.getData())).isEqualTo("ack 42");
        }
    }

    @Test
    void theMergedTomlIsTheApplicationsPropertySource() {
        ServiceSettings settings = app.getBean(ServiceSettings.class);
        assertThat(settings.port()).isEqualTo(agentPort);
        assertThat(settings.clientCertificates()).isEqualTo("optional");
        assertThat(settings.disableFrontendTls()).isFalse();
    }

    @Test
    void aDeniedSubjectGetsAPermissionsViolationAndNoDelivery() throws Exception {
        Subscription other = serviceSide.subscribe("jobs.>");
        serviceSide.flush(Duration.ofSeconds(2));
        CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
        try (Connection agent = agent(token(), new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        })) {
            agent.publish("jobs.run", "x".getBytes());
            agent.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(e -> e.contains("Permissions Violation for Publish to \"jobs.run\"")));
            assertThat(other.nextMessage(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void aRefusedTokenIsAnAuthorizationViolationAndCountedByReason() throws Exception {
        String wrongIssuer = token("someone-else");
        Exception e = org.assertj.core.api.Assertions.catchException(() -> agent(wrongIssuer, null).close());
        assertThat(e).isNotNull();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(http("/metrics")).contains("eventbus_gateway_auth_refused_total{reason=\"wrong_issuer\"} 1"));
    }

    @Test
    void healthzDoesARealRequestThroughTheLinkAndMetricsShowTheLink() throws Exception {
        await().atMost(WAIT).until(() -> httpStatus("/healthz") == 200);
        assertThat(http("/healthz")).contains("\"status\":\"ok\"");
        String metrics = http("/metrics");
        assertThat(metrics).contains("eventbus_gateway_link_up{gateway=\"event-service\",link=\"outbound\"} 1")
                .contains("# TYPE eventbus_connections gauge");
        assertThat(http("/gatewayz")).contains("\"name\": \"event-gateway\"").contains("\"event-service\"");
        // the link to event-service goes down: health says so
        serviceSide.close();
        service.shutdown();
        await().atMost(WAIT).until(() -> httpStatus("/healthz") == 503);
        service = null;
        serviceSide = null;
    }
}
