package dev.eventbus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.certs.CertUsage;
import dev.eventbus.certs.CertificateAuthority;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.certs.LeafSpec;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 2, "one CA opens every internal door", against the real stack: an attacker holding the agent
 * certificate {@code certs init} made, or a certificate of the internal CA made for some other service, tries the
 * internal NATS port and both gateway ports. Before the split all of these let it in with full rights.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustDomainAttacksTest {
    private Stack stack;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        stack = Stack.start(dir, "", "");
        // another internal identity, signed by the internal CA as an operator would for some other service
        CertificateAuthority ca = CertificateAuthority.load(stack.pki.resolve("ca.crt"), stack.pki.resolve("ca.key"), null);
        ca.issue(new LeafSpec("intruder", DevPki.sans("intruder", List.of()), CertUsage.SERVER_AND_CLIENT, KeyAlgorithm.ecP256(),
                Duration.ofDays(1))).write(stack.pki.resolve("intruder.crt"), stack.pki.resolve("intruder.key"));
    }

    @AfterAll
    void stop() { if (stack != null) stack.close(); }

    private SSLContext tls(String identity) {
        return JdkSslContexts.client(stack.pki.resolve("ca.crt"), stack.pki.resolve(identity + ".crt"), stack.pki.resolve(identity + ".key"));
    }

    /** The first line a gateway port sends after a mutual-TLS handshake with {@code identity}'s certificate. */
    private String gatewayGreeting(int port, String identity) throws IOException {
        try (SSLSocket s = (SSLSocket) tls(identity).getSocketFactory().createSocket("localhost", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            String first = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (first == null) throw new IOException("closed without a word");
            return first;
        }
    }

    private Connection internalClient(String identity, List<String> errors) throws Exception {
        return Nats.connect(new Options.Builder().server("tls://localhost:" + stack.serviceNats).sslContext(tls(identity))
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(5)).errorListener(new ErrorListener() {
                    @Override public void errorOccurred(Connection conn, String error) { errors.add(error); }
                }).build());
    }

    @Test
    void theAgentCertificateDoesNotOpenEventServicesInternalBus() {
        // before: connected with every right, SUB > read every agent's events
        assertThatThrownBy(() -> internalClient("agent", new CopyOnWriteArrayList<>()).close()).isInstanceOf(Exception.class);
    }

    @Test
    void anotherInternalIdentityIsNotAnInternalBusClient() {
        List<String> errors = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> internalClient("intruder", errors).close()).isInstanceOf(Exception.class);
        assertThat(errors).anyMatch(e -> e.contains("Authorization Violation"));
    }

    @Test
    void theAgentCertificateIsRefusedOnBothGatewayPorts() {
        // before: registered as a gateway, injected events without a token, forged replies into agents' inboxes
        assertThatThrownBy(() -> gatewayGreeting(stack.serviceGateway, "agent")).as("event-service").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> gatewayGreeting(stack.gatewayGateway, "agent")).as("event-gateway").isInstanceOf(IOException.class);
    }

    @Test
    void anInternalIdentityThatIsNotThePinnedPeerIsRefusedAsAGateway() throws Exception {
        assertThat(gatewayGreeting(stack.serviceGateway, "intruder")).isEqualTo("-ERR 'Authorization Violation'");
        assertThat(gatewayGreeting(stack.gatewayGateway, "intruder")).isEqualTo("-ERR 'Authorization Violation'");
        // and the link between the two apps is still up: the door refused the stranger, not the peer
        assertThat(stack.get("http://127.0.0.1:" + stack.gatewayMonitor + "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void eventGatewaysGatewayPortListensOnLoopbackOnly() throws IOException {
        // 127.0.0.2 reaches a socket bound to 0.0.0.0 on Linux, but not one bound to 127.0.0.1
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.2", stack.gatewayGateway), 3000))
                    .isInstanceOf(ConnectException.class);
        }
    }
}
