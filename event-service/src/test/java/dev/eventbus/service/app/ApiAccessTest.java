package dev.eventbus.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.service.Events;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 8: event-service's HTTP API, its internal NATS port and its gateway port bind separately, and the HTTP
 * API off loopback is authenticated (bearer token or mutual TLS) or the service does not start.
 */
class ApiAccessTest {
    private static final String TOKEN = "s3cr3t-api-token-0123456789";
    @TempDir Path dir;
    private ApplicationContext app;
    private int httpPort;
    private int natsPort;
    private int gatewayPort;

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The [service] table's extra lines, on top of ports, handlers and the queue directory. */
    private Path config(String serviceLines, String tlsLines) throws IOException {
        httpPort = freePort();
        natsPort = freePort();
        gatewayPort = freePort();
        Path toml = dir.resolve("service.toml");
        Files.writeString(toml, """
                [service]
                port = %d
                %s
                [internal_messaging]
                port = %d
                gateway_port = %d
                %s
                [handlers]
                feed = "nats:out.feed"
                cfgingest = "nats:out.cfgingest"
                event_feed = "nats:out.event_feed"
                [queue]
                data_dir = "data"
                """.formatted(httpPort, serviceLines, natsPort, gatewayPort, tlsLines));
        return toml;
    }

    private EffectiveConfig load(Path toml) throws Exception {
        return ConfigLoader.forApp(App.EVENT_SERVICE).patch(toml).load();
    }

    private static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return a.getHostAddress();
            }
        }
        throw new AssertionError("this test needs a non-loopback IPv4 address on the machine");
    }

    @Test
    void boundOffLoopbackWithoutAuthenticationItRefusesToStartNamingTheKeys() throws Exception {
        Path toml = config("host = \"0.0.0.0\"", "");
        assertThatThrownBy(() -> EventServiceMain.start(load(toml))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service.host = \"0.0.0.0\" is not a loopback address")
                .hasMessageContaining("service.api_token_file").hasMessageContaining("service.api_mtls");
        // as a process (eventbus service --config FILE): it says so and exits 1; nothing was bound
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", cp, EventServiceMain.class.getName(), "--config", toml.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(err).contains("eventbus service: cannot start: service.host = \"0.0.0.0\" is not a loopback address")
                .contains("service.api_token_file");
        try (ServerSocket http = new ServerSocket(httpPort); ServerSocket nats = new ServerSocket(natsPort)) {
            assertThat(http.getLocalPort()).isEqualTo(httpPort);
        }
        // a non-loopback address is refused too, by its resolved address
        Path byAddress = config("host = \"" + nonLoopbackAddress() + "\"", "");
        assertThatThrownBy(() -> EventServiceMain.start(load(byAddress))).hasMessageContaining("is not a loopback address");
    }

    @Test
    void aTokenFileThatIsTooShortIsRefusedAtStart() throws Exception {
        Files.writeString(dir.resolve("token"), "short\n");
        Path toml = config("host = \"0.0.0.0\"\napi_token_file = \"token\"", "");
        assertThatThrownBy(() -> EventServiceMain.start(load(toml))).hasMessageStartingWith("service.api_token_file: ")
                .hasMessageContaining("at least 16 printable characters");
    }

    @Test
    void withATokenTheApiAnswers401WithoutOrWithAWrongTokenAnd202WithTheRightOne() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Path toml = config("host = \"0.0.0.0\"\napi_token_file = \"token\"", "");
        app = EventServiceMain.start(load(toml));
        String base = "http://" + nonLoopbackAddress() + ":" + httpPort;
        HttpClient http = HttpClient.newHttpClient();
        String event = Events.json("tok-1", "scanJobCreated");
        assertThat(send(http, post(base, event, null)).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = send(http, post(base, event, "Bearer " + TOKEN + "x"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"event-service\"");
        assertThat(send(http, post(base, event, "Bearer wrong-token-of-some-length")).statusCode()).isEqualTo(401);
        HttpResponse<String> ok = send(http, post(base, event, "Bearer " + TOKEN));
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(ok.body()).contains("\"accepted\":true");
        // the token as a Basic password, as audit capture http://user:TOKEN@host:port sends it
        String basic = "Basic " + Base64.getEncoder().encodeToString(("audit:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(send(http, get(base, "/metrics", basic)).statusCode()).isEqualTo(200);
        assertThat(send(http, get(base, "/metrics", null)).statusCode()).isEqualTo(401);
        assertThat(send(http, get(base, "/connz", null)).statusCode()).isEqualTo(401);
        // /healthz stays open for probes
        assertThat(send(http, get(base, "/healthz", null)).statusCode()).isEqualTo(200);

        // the event stream likewise
        assertThat(send(http, get(base, "/v1/events/stream", null)).statusCode()).isEqualTo(401);
        assertThat(send(http, get(base, "/v1/events/stream", "Bearer nope-nope-nope-nope")).statusCode()).isEqualTo(401);
        HttpResponse<Stream<String>> stream = http.sendAsync(get(base, "/v1/events/stream", "Bearer " + TOKEN),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        stream.body().close();

        // history and replays likewise (issue 10 item 5)
        assertThat(send(http, get(base, "/v1/events?from_seq=1", null)).statusCode()).isEqualTo(401);
        assertThat(send(http, get(base, "/v1/replays", null)).statusCode()).isEqualTo(401);
        HttpResponse<String> history = send(http, get(base, "/v1/events?from_seq=1", "Bearer " + TOKEN));
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body()).contains("\"event_seq\":1");
        // service replay finds the token in the configuration it is given, as the service does
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = dev.eventbus.service.cli.ReplayMain.run(new String[] {"replay", "--config", toml.toString(), "--status"},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no replays since event-service started");
    }

    @Test
    void theHttpApiTheNatsPortAndTheGatewayPortBindSeparately() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN);
        app = EventServiceMain.start(load(config("host = \"0.0.0.0\"\napi_token_file = \"token\"", "")));
        String external = nonLoopbackAddress();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(external, httpPort), 2000);
        }
        // internal_messaging.host and gateway_host default to loopback: not reachable on the external address
        for (int port : new int[] {natsPort, gatewayPort}) {
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress(external, port), 2000)).isInstanceOf(ConnectException.class);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        }
    }

    @Test
    void withMutualTlsOnlyAClientWithACertificateFromTheRootCaGetsIn() throws Exception {
        DevPki.init(dir, DevPki.Options.defaults());
        Path ca = dir.resolve("ca.crt");
        app = EventServiceMain.start(load(config("host = \"0.0.0.0\"\napi_mtls = true", """
                [tls]
                cert_path = "%s"
                key_path = "%s"
                root_ca_path = "%s"
                """.formatted(DevPki.certFile(dir, "event-service"), DevPki.keyFile(dir, "event-service"), ca))));
        String base = "https://localhost:" + httpPort;
        SSLContext withCert = JdkSslContexts.client(ca, DevPki.certFile(dir, "event-gateway"), DevPki.keyFile(dir, "event-gateway"));
        HttpClient ok = HttpClient.newBuilder().sslContext(withCert).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = send(ok, post(base, Events.json("mtls-1", "scanJobCreated"), null));
        assertThat(r.statusCode()).isEqualTo(202);
        SSLContext noCert = JdkSslContexts.client(ca, null, null);
        HttpClient refused = HttpClient.newBuilder().sslContext(noCert).connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> send(refused, post(base, Events.json("mtls-2", "scanJobCreated"), null))).isInstanceOf(IOException.class);
        // plain HTTP is not served at all
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> send(plain, post("http://localhost:" + httpPort, Events.json("mtls-3", "scanJobCreated"), null)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void mutualTlsWithoutTheTlsFilesIsRefusedAtStart() throws Exception {
        Path toml = config("host = \"0.0.0.0\"\napi_mtls = true", "");
        assertThatThrownBy(() -> EventServiceMain.start(load(toml)))
                .hasMessage("service.api_mtls = true needs [tls] cert_path, key_path and root_ca_path");
    }

    private static HttpRequest post(String base, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/events")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (authorization != null) b.header("Authorization", authorization);
        return b.build();
    }

    private static HttpRequest get(String base, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return b.build();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest req) throws IOException, InterruptedException {
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
