package dev.eventbus.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.broker.TlsOptions;
import dev.eventbus.broker.testing.TestPki;
import dev.eventbus.broker.wire.WireClient;
import dev.eventbus.certs.CertUsage;
import dev.eventbus.certs.LeafSpec;
import dev.eventbus.certs.Pem;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 item 11: a peer whose certificate expired must not get back in by resuming the TLS session it made while
 * the certificate was valid (a TLS 1.2 session id or a TLS 1.3 ticket), on the client port and on gateway links in
 * both directions. The JDK server resumes such a session without
 * looking at the certificate again; nats-server (Go) refuses. The second handshake below really is a resumption (the
 * client is not asked for its certificate again), so the refusal is the broker's own check, not a side effect of a
 * full handshake. The outbound case is the mirror image: our dialer resumes its session with a remote gateway whose
 * server certificate has expired since.
 */
class SessionResumptionTest {
    @TempDir Path dir;
    private Broker broker;
    private TestPki pki;
    /** The broker's own certificate, on the client port or the gateway port. */
    private TestPki.Leaf serverCert;

    @BeforeEach
    void pki() {
        pki = TestPki.create(dir, "resumption test CA");
        serverCert = pki.issue("event-service", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1");
    }

    @AfterEach
    void stop() {
        if (broker != null) broker.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void anExpiredClientCertificateCannotComeBackByResumingItsSession(String protocol) throws Exception {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .tls(TlsOptions.builder(pki.serverMutual(serverCert)).verify(true).build()).build()).start();

        TestPki.Leaf shortLived = pki.issue(LeafSpec.of("short-lived agent", CertUsage.CLIENT).withValidity(Duration.ofSeconds(2)));
        // one SSLContext for both connections: its client session cache is what offers the resumption
        CountingKeyManager keys = new CountingKeyManager(shortLived.cert(), shortLived.key());
        SSLContext client = keys.context(pki);

        Attempt first = attempt(client, protocol);
        assertThat(first.pong()).as("the certificate is still valid: the client gets in").isTrue();
        assertThat(keys.presented.get()).as("a full handshake: the client presented its certificate").isEqualTo(1);

        awaitExpiry(shortLived);

        Attempt second = attempt(client, protocol);
        assertThat(second.handshakeDone()).as("the handshake itself succeeds: the session is resumed").isTrue();
        assertThat(keys.presented.get()).as("an abbreviated handshake: the certificate was not presented again").isEqualTo(1);
        assertThat(second.pong()).as("a resumed session with an expired certificate is refused").isFalse();

        // and the real client is refused too, with the same cached session
        assertThatThrownBy(() -> Nats.connect(new Options.Builder().server("tls://localhost:" + broker.port())
                .sslContext(client).connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0).build()).close())
                .isInstanceOf(Exception.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void anExpiredGatewayCertificateCannotComeBackByResumingItsSession(String protocol) throws Exception {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .gateway(GatewayOptions.builder("J").host("127.0.0.1").port(0)
                        .tls(pki.serverMutual(serverCert), pki.clientMutual(serverCert)).build()).build()).start();
        TestPki.Leaf shortLived = pki.issue(LeafSpec.of("short-lived gateway", CertUsage.CLIENT).withValidity(Duration.ofSeconds(2)));
        CountingKeyManager keys = new CountingKeyManager(shortLived.cert(), shortLived.key());
        SSLContext peer = keys.context(pki);

        try (WireClient first = gatewayLink(peer, protocol)) {
            assertThat(first.expectLine()).as("still valid: the gateway INFO").startsWith("INFO ");
        }
        awaitExpiry(shortLived);
        try (WireClient second = gatewayLink(peer, protocol)) {
            assertThat(keys.presented.get()).as("resumed: the certificate was not presented again").isEqualTo(1);
            assertThat(second.expectClosed()).isEqualTo("-ERR 'Authorization Violation'\r\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void weDoNotResumeALinkToARemoteGatewayWhoseCertificateExpired(String protocol) throws Exception {
        TestPki.Leaf shortLived = pki.issue(LeafSpec.of("short-lived remote", CertUsage.SERVER, "127.0.0.1")
                .withValidity(Duration.ofSeconds(2)));
        CountingKeyManager keys = new CountingKeyManager(shortLived.cert(), shortLived.key());
        SSLContext remote = keys.context(pki);
        try (SSLServerSocket server = (SSLServerSocket) remote.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            server.setEnabledProtocols(new String[] {protocol});
            server.setSoTimeout(20_000);
            broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                    .gateway(GatewayOptions.builder("J").host("127.0.0.1").port(0)
                            .tls(pki.serverMutual(serverCert), pki.clientMutual(serverCert))
                            .reconnectDelay(Duration.ofMillis(100)).maxReconnectDelay(Duration.ofMillis(300))
                            .remote("A", "nats://127.0.0.1:" + server.getLocalPort()).build()).build()).start();

            try (WireClient first = accept(server)) {
                first.send(GATEWAY_A_INFO);
                assertThat(first.expectLine()).as("still valid: we send CONNECT").startsWith("CONNECT ");
            }
            awaitExpiry(shortLived);
            try (WireClient second = accept(server)) {
                assertThat(keys.presented.get()).as("resumed: the certificate was not presented again").isEqualTo(1);
                second.sendUnlessClosed(GATEWAY_A_INFO); // we may hang up before it is written
                assertThat(second.expectClosed()).as("we hang up without a CONNECT").isEmpty();
            }
        }
    }

    private static final String GATEWAY_A_INFO = "INFO {\"server_id\":\"FAKEA\",\"gateway\":\"A\",\"headers\":true,\"gateway_iom\":true}\r\n";

    private static void awaitExpiry(TestPki.Leaf leaf) {
        Instant notAfter = leaf.certificate().getNotAfter().toInstant();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Instant.now().isAfter(notAfter.plusMillis(500)));
    }

    /** Gateway TLS is handshake first, then the protocol. */
    private WireClient gatewayLink(SSLContext ctx, String protocol) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", broker.gatewayPort());
        s.setEnabledProtocols(new String[] {protocol});
        s.startHandshake();
        return WireClient.over(s);
    }

    private static WireClient accept(SSLServerSocket server) throws IOException {
        SSLSocket s = (SSLSocket) server.accept();
        s.startHandshake();
        return WireClient.over(s);
    }

    private record Attempt(boolean handshakeDone, boolean pong) {}

    /**
     * Presents one certificate and counts how often the JDK asks for it: once per full handshake, never on a
     * resumption (the server asks for no certificate then). This is what shows the second handshake was resumed,
     * whatever the protocol version (TLS 1.3 gives a resumed session a new id).
     */
    private static final class CountingKeyManager extends X509ExtendedKeyManager {
        final AtomicInteger presented = new AtomicInteger();
        private final X509Certificate[] chain;
        private final PrivateKey key;

        CountingKeyManager(Path cert, Path key) {
            this.chain = Pem.readCertificates(cert).toArray(new X509Certificate[0]);
            this.key = Pem.readPrivateKey(key, null);
        }

        /** A context presenting this certificate and trusting {@code pki}'s CA; one per test, so sessions are cached. */
        SSLContext context(TestPki pki) throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {this}, pki.trustManagers(), null);
            return ctx;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            presented.incrementAndGet();
            return "me";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            presented.incrementAndGet();
            return "me";
        }

        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {"me"}; }
        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            if (!chain[0].getPublicKey().getAlgorithm().equals(keyType)) return null;
            presented.incrementAndGet();
            return "me";
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return chooseServerAlias(keyType, issuers, null);
        }

        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return new String[] {"me"}; }
        @Override public X509Certificate[] getCertificateChain(String alias) { return chain; }
        @Override public PrivateKey getPrivateKey(String alias) { return key; }
    }

    /** INFO in plaintext, the handshake, then CONNECT and PING: did PONG come back? */
    private Attempt attempt(SSLContext ctx, String protocol) throws IOException {
        try (Socket plain = new Socket("127.0.0.1", broker.port())) {
            plain.setSoTimeout(5000);
            InputStream in = plain.getInputStream();
            int b;
            while ((b = in.read()) != '\n' && b >= 0) { /* skip the INFO line */ }
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", broker.port(), true)) {
                tls.setEnabledProtocols(new String[] {protocol});
                try {
                    tls.startHandshake();
                } catch (IOException refused) {
                    return new Attempt(false, false);
                }
                tls.getOutputStream().write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[1024];
                try {
                    int n;
                    while (!got.toString(StandardCharsets.US_ASCII).contains("PONG") && (n = tls.getInputStream().read(buf)) > 0) {
                        got.write(buf, 0, n);
                    }
                } catch (IOException closed) {
                    // the server closed the connection: no PONG
                }
                return new Attempt(true, got.toString(StandardCharsets.US_ASCII).contains("PONG"));
            }
        }
    }

}
