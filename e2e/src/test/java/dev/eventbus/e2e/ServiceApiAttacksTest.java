package dev.eventbus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 8: event-service's HTTP API (POST /v1/events, the event stream) must not be open to the network.
 * Bound beyond loopback it needs a bearer token (or mTLS), and without either the service does not start.
 */
class ServiceApiAttacksTest {
    private static final String TOKEN = "an-api-token-of-some-length-42";

    /** The machine's first non-loopback IPv4 address (what another host would reach), else loopback. */
    private static String reachableAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address) return a.getHostAddress();
            }
        }
        return "127.0.0.1";
    }

    @Test
    void anApiBoundBeyondLoopbackAnswersOnlyWithTheToken(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir);
        Path token = dir.resolve("api.token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        try (Stack stack = Stack.start(dir, """
                [service]
                host = "0.0.0.0"
                api_token_file = "api.token"
                """, "")) {
            String base = "http://" + reachableAddress() + ":" + stack.serviceHttp;
            HttpClient http = HttpClient.newHttpClient();
            // the gateway's health does not wait for event-service's HTTP listener
            org.awaitility.Awaitility.await().atMost(Stack.WAIT).ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                    .until(() -> stack.get(base + "/healthz").statusCode() == 200);
            byte[] event = Stack.event("api-1", "scanJobCreated", "outsider").getBytes();
            // /healthz stays open for probes (above); the rest needs the token
            assertThat(post(http, base, event, null).statusCode()).as("no token").isEqualTo(401);
            assertThat(post(http, base, event, "Bearer not-the-token-at-all-000").statusCode()).as("wrong token").isEqualTo(401);
            HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events/stream"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stream.statusCode()).as("the event stream without a token").isEqualTo(401);
            assertThat(post(http, base, event, "Bearer " + TOKEN).statusCode()).isEqualTo(202);
        }
    }

    private static HttpResponse<String> post(HttpClient http, String base, byte[] body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/events")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOpenApiBeyondLoopbackRefusesToStart(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("service.toml");
        Files.writeString(cfg, """
                [service]
                host = "0.0.0.0"
                port = %d
                [internal_messaging]
                port = %d
                gateway_port = %d
                [queue]
                data_dir = "data"
                """.formatted(Stack.freePort(), Stack.freePort(), Stack.freePort()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-jar", Stack.SERVICE_JAR.toAbsolutePath().toString(), "--config", cfg.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
            assertThat(p.exitValue()).isNotZero();
            assertThat(Files.readString(dir.resolve("out.log"))).contains("service.api_token_file");
        } finally {
            p.destroyForcibly();
        }
    }
}
