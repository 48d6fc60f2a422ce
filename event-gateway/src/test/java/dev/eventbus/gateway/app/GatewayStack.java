package dev.eventbus.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.ReloadingSslContext;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.gateway.token.TokenMain;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The real event-gateway app (TOML config, certificates from {@code certs init}, HS256 tokens minted by
 * {@code token issue}) joined over mutual TLS to a stand-in event-service: a plain broker whose gateway is named
 * event-service, with a client that consumes {@code events.>} in queue group {@code event-service} and acknowledges
 * each event, as event-service's intake does.
 */
final class GatewayStack implements AutoCloseable {
    /** What the stand-in event-service answers to the health probe (event-service's own answer shape). */
    volatile String healthAnswer = "{\"status\":\"ok\"}";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ISSUER = "eventbus-test";
    /** Events on subjects starting with this are acknowledged after {@link #SLOW_ACK}, the others at once. */
    static final String SLOW_PREFIX = "events.slow.";
    static final Duration SLOW_ACK = Duration.ofSeconds(3);

    final Path dir;
    final DevPki.Result pki;
    final Broker service;
    final Connection serviceSide;
    final List<String> intake = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService slowAcks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stand-in-slow-acks");
        t.setDaemon(true);
        return t;
    });
    final ApplicationContext app;
    final int agentPort;
    final int monitorPort;

    /** @param extraAuth TOML lines appended to the [auth] table */
    GatewayStack(Path dir, String extraAuth) throws Exception {
        this(dir, extraAuth, "");
    }

    /**
     * @param extraAuth   TOML lines appended to the [auth] table
     * @param extraTables further TOML tables (e.g. {@code [agent_limits]}) after it
     */
    GatewayStack(Path dir, String extraAuth, String extraTables) throws Exception {
        this.dir = dir;
        pki = DevPki.init(dir, DevPki.Options.defaults());
        Files.writeString(dir.resolve("hs256.key"), "a-shared-secret-of-at-least-32-bytes!!\n");
        int serviceGateway = freePort();
        agentPort = freePort();
        monitorPort = freePort();
        service = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .gateway(GatewayOptions.builder("event-service").host("127.0.0.1").port(serviceGateway)
                        .tls(ReloadingSslContext.forServerMutual(crt("event-service"), key("event-service"), crt("ca")).build(),
                                ReloadingSslContext.forClientMutual(crt("event-service"), key("event-service"), crt("ca")).build())
                        .build()).build()).start();
        serviceSide = Nats.connect("nats://127.0.0.1:" + service.port());
        serviceSide.createDispatcher(m -> serviceSide.publish(m.getReplyTo(), healthAnswer.getBytes(StandardCharsets.UTF_8)))
                .subscribe(HealthProbe.SUBJECT);
        serviceSide.createDispatcher(m -> {
            intake.add(new String(m.getData(), StandardCharsets.UTF_8));
            if (m.getReplyTo() == null) return;
            byte[] ack = ("ack " + new String(m.getData())).getBytes();
            // a slow acknowledgement: past the 2 s in which event-service's broker routes a reply back by its _GR_ mapping
            if (m.getSubject().startsWith(SLOW_PREFIX)) {
                slowAcks.schedule(() -> serviceSide.publish(m.getReplyTo(), ack), SLOW_ACK.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                serviceSide.publish(m.getReplyTo(), ack);
            }
        }).subscribe("events.>", "event-service");
        serviceSide.flush(Duration.ofSeconds(2));

        Path toml = dir.resolve("gateway.toml");
        Files.writeString(toml, """
                [service]
                host = "127.0.0.1"
                port = %d
                gateway_port = %d
                client_certificates = "optional"
                agent_ca_path = "agent-ca.crt"
                [tls]
                cert_path = "event-gateway.crt"
                key_path = "event-gateway.key"
                root_ca_path = "ca.crt"
                [internal_event_service]
                host = "127.0.0.1"
                gateway_port = %d
                [monitor]
                port = %d
                [auth]
                hs256_secret_file = "hs256.key"
                issuer = "%s"
                %s
                %s
                """.formatted(agentPort, freePort(), serviceGateway, monitorPort, ISSUER, extraAuth, extraTables));
        try {
            EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_GATEWAY).patch(toml).load();
            app = EventGatewayMain.start(cfg);
        } catch (Exception | Error e) {
            slowAcks.shutdownNow();
            serviceSide.close();
            service.shutdown();
            throw e;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Path crt(String name) { return dir.resolve(name + ".crt"); }

    Path key(String name) { return dir.resolve(name + ".key"); }

    /** {@code token issue --sub SUB} plus {@code more}, and {@code --key hs256.key --iss eventbus-test --ttl 1h} unless given. */
    String token(String sub, String... more) { return issue(sub, more).token(); }

    record Issued(String token, String stderr) {}

    Issued issue(String sub, String... more) {
        List<String> args = new ArrayList<>(List.of("issue", "--sub", sub));
        args.addAll(List.of(more));
        if (!args.contains("--key")) args.addAll(List.of("--key", dir.resolve("hs256.key").toString()));
        if (!args.contains("--iss")) args.addAll(List.of("--iss", ISSUER));
        if (!args.contains("--ttl")) args.addAll(List.of("--ttl", "1h"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = TokenMain.run(args.toArray(new String[0]), new PrintStream(out), new PrintStream(err));
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return new Issued(out.toString(StandardCharsets.UTF_8).trim(), err.toString(StandardCharsets.UTF_8));
    }

    /** An agent's connection options over TLS; {@code clientCert} null to present none. */
    Options.Builder agentOptions(String token, String clientCert, ErrorListener errors) {
        Options.Builder o = new Options.Builder().server("tls://localhost:" + agentPort)
                .sslContext(JdkSslContexts.client(crt("ca"), clientCert == null ? null : crt(clientCert),
                        clientCert == null ? null : key(clientCert)))
                .token(token.toCharArray()).maxReconnects(0).connectionTimeout(Duration.ofSeconds(3));
        if (errors != null) o.errorListener(errors);
        return o;
    }

    Connection agent(String token, ErrorListener errors) throws Exception {
        return Nats.connect(agentOptions(token, null, errors).build());
    }

    /** Collects the -ERR texts a client is told. */
    static final class Errors implements ErrorListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override public void errorOccurred(Connection conn, String error) { seen.add(error); }

        boolean any(String fragment) { return seen.stream().anyMatch(e -> e.contains(fragment)); }
    }

    HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String http(String path) throws Exception { return get(path).body(); }

    @Override
    public void close() throws Exception {
        if (app != null) app.close();
        slowAcks.shutdownNow();
        if (serviceSide != null) serviceSide.close();
        if (service != null) service.shutdown();
    }
}
