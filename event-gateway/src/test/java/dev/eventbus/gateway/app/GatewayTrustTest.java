package dev.eventbus.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.gateway.token.TokenMain;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * event-gateway's doors with the PKI {@code certs init} makes (issue 9, item 2): the gateway port listens on loopback
 * unless configured and admits only event-service's identity from the internal CA; the agent port verifies agents'
 * certificates against the agent CA and nothing else.
 */
class GatewayTrustTest {
    @TempDir Path dir;
    private ApplicationContext app;
    private int agentPort;
    private int gatewayPort;
    private int servicePort;
    private int monitorPort;

    /** Distinct free ports: all sockets are held open until every port is picked, so no two are the same. */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) if (s != null) s.close();
        }
    }

    @BeforeEach
    void pki() throws IOException {
        DevPki.init(dir, new DevPki.Options(KeyAlgorithm.ecP256(), Duration.ofDays(1), false, List.of(), List.of("intruder")));
        Files.writeString(dir.resolve("hs256.key"), "a-shared-secret-of-at-least-32-bytes!!\n");
        int[] ports = freePorts(4);
        agentPort = ports[0];
        gatewayPort = ports[1];
        servicePort = ports[2];
        monitorPort = ports[3];
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    /** event-gateway with certs init's files, the given [service] lines, and no event-service behind it. */
    private ApplicationContext start(String serviceLines) throws Exception {
        Path toml = dir.resolve("gateway.toml");
        Files.writeString(toml, """
                [service]
                port = %d
                gateway_port = %d
                %s
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
                """.formatted(agentPort, gatewayPort, serviceLines, servicePort, monitorPort));
        return EventGatewayMain.start(ConfigLoader.forApp(App.EVENT_GATEWAY).patch(toml).load());
    }

    private static boolean accepts(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    /** The first line event-gateway's gateway port sends after a mutual-TLS handshake with {@code identity}'s certificate. */
    private String gatewayGreeting(String identity) throws IOException {
        SSLContext ctx = JdkSslContexts.client(dir.resolve("ca.crt"), dir.resolve(identity + ".crt"), dir.resolve(identity + ".key"));
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", gatewayPort)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            String first = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (first == null) throw new IOException("closed without a word");
            return first;
        }
    }

    private String token() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = TokenMain.run(new String[] {"issue", "--sub", "agent-9", "--key", dir.resolve("hs256.key").toString(), "--ttl", "10m"},
                new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
        assertThat(rc).isZero();
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    /** Presents {@code identity}'s certificate whatever CAs the port names, so that a refusal is the server's. */
    private Connection agentWithCertificate(String identity) throws Exception {
        return Nats.connect(new Options.Builder().server("tls://localhost:" + agentPort)
                .sslContext(JdkSslContexts.clientPresentingAlways(dir.resolve("ca.crt"), dir.resolve(identity + ".crt"), dir.resolve(identity + ".key")))
                .token(token().toCharArray()).maxReconnects(0).connectionTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void theGatewayPortListensOnLoopbackByDefaultAndTheAgentPortEverywhere() throws Exception {
        app = start("");
        // 127.0.0.2 reaches a socket bound to 0.0.0.0 on Linux, but not one bound to 127.0.0.1
        assertThat(accepts("127.0.0.1", gatewayPort)).isTrue();
        assertThat(accepts("127.0.0.2", gatewayPort)).as("gateway port reachable beyond 127.0.0.1").isFalse();
        assertThat(accepts("127.0.0.2", agentPort)).as("the agent port is the external endpoint").isTrue();
    }

    @Test
    void theGatewayListenerBindsWhereConfigured() throws Exception {
        app = start("gateway_host = \"0.0.0.0\"");
        assertThat(accepts("127.0.0.2", gatewayPort)).isTrue();
    }

    @Test
    void anAgentCertificateIsRefusedOnTheGatewayPort() throws Exception {
        app = start("");
        // before the split, agent.crt came from the one CA and registered as a gateway
        assertThatThrownBy(() -> gatewayGreeting("agent")).isInstanceOf(IOException.class);
    }

    @Test
    void anInternalCertificateThatIsNotEventServiceIsRefusedAsAGateway() throws Exception {
        app = start("");
        assertThat(gatewayGreeting("intruder")).isEqualTo("-ERR 'Authorization Violation'");
        assertThat(gatewayGreeting("event-service")).startsWith("INFO {").contains("\"gateway\":\"event-gateway\"");
    }

    @Test
    void agentsCertificatesAreVerifiedAgainstTheAgentCaOnly() throws Exception {
        app = start("client_certificates = \"required\"\nagent_ca_path = \"agent-ca.crt\"");
        try (Connection agent = agentWithCertificate("agent")) {
            assertThat(agent.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
        // a service certificate from the internal CA is no agent certificate (before: verified against root_ca_path)
        assertThatThrownBy(() -> agentWithCertificate("event-service").close()).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> agentWithCertificate("intruder").close()).isInstanceOf(Exception.class);
        // event-gateway's own certificate, pinned for its health probe, is the one exception
        try (Connection probe = agentWithCertificate("event-gateway")) {
            assertThat(probe.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void requiredClientCertificatesWithoutTheAgentCaOrWithTheInternalCaDoNotStart() {
        assertThatThrownBy(() -> start("client_certificates = \"required\""))
                .hasStackTraceContaining("service.client_certificates = \"required\" needs service.agent_ca_path");
        assertThatThrownBy(() -> start("client_certificates = \"required\"\nagent_ca_path = \"ca.crt\""))
                .hasStackTraceContaining("service.agent_ca_path is the same file as [tls] root_ca_path");
    }
}
