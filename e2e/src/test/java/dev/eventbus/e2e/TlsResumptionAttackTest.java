package dev.eventbus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.certs.CertUsage;
import dev.eventbus.certs.CertificateAuthority;
import dev.eventbus.certs.IssuedCertificate;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.LeafSpec;
import dev.eventbus.certs.Pem;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 item 11 against the real stack: event-gateway requires agents' client certificates, and an agent whose
 * certificate has expired tries to get back in by resuming the TLS session it made while the certificate was valid
 * (a TLS 1.2 session id, a TLS 1.3 ticket), with a token that is still good. The JDK server resumes such a session
 * without looking at the certificate again; nats-server refuses it, and so must event-gateway. The second handshake
 * really is a resumption (the agent is not asked for its certificate again), so the refusal is the broker's own
 * check after the handshake, not the trust manager of a full one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsResumptionAttackTest {
    /** Long enough for a connection and one acknowledged event on a busy machine, short enough to wait out. */
    private static final Duration VALIDITY = Duration.ofSeconds(8);
    private Stack stack;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        stack = Stack.start(dir, "", """
                [service]
                client_certificates = "required"
                """);
        // certs init's long-lived agent certificate: wait here, not on the clock of a short-lived one, until
        // event-service's interest has crossed the link
        SSLContext longLived = JdkSslContexts.client(stack.pki.resolve("ca.crt"), stack.pki.resolve("agent.crt"),
                stack.pki.resolve("agent.key"));
        try (Connection c = Nats.connect(stack.agentOptions(stack.token("agent-warmup")).sslContext(longLived).build())) {
            assertThat(Stack.ack(c, "resume-warmup")).contains("\"accepted\":true");
        }
    }

    @AfterAll
    void stop() { if (stack != null) stack.close(); }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void anAgentWhoseCertificateExpiredCannotComeBackByResumingItsSession(String protocol) throws Exception {
        CertificateAuthority agentCa = CertificateAuthority.load(stack.pki.resolve("agent-ca.crt"), stack.pki.resolve("agent-ca.key"), null);
        String name = "short-lived agent " + protocol;
        IssuedCertificate cert = agentCa.issue(LeafSpec.of(name, CertUsage.CLIENT).withValidity(VALIDITY));
        CountingKeys keys = new CountingKeys(cert);
        // one SSLContext for every attempt: its client session cache is what offers the resumption
        SSLContext tls = SSLContext.getInstance(protocol);
        tls.init(new KeyManager[] {keys}, trust(stack.pki.resolve("ca.crt")), null);
        String token = stack.token("agent-resume-" + protocol.toLowerCase(Locale.ROOT)); // valid for minutes
        Options.Builder agent = stack.agentOptions(token).sslContext(tls);

        try (Connection c = Nats.connect(agent.build())) {
            assertThat(Stack.ack(c, "resume-before-" + protocol)).as("the certificate is still valid: the agent is served")
                    .contains("\"accepted\":true");
        }
        assertThat(keys.presented.get()).as("a full handshake: the agent presented its certificate").isEqualTo(1);
        String host = cachedSessionHost(tls);

        Instant notAfter = cert.certificate().getNotAfter().toInstant();
        await().atMost(VALIDITY.plusSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(notAfter.plusMillis(500)));

        Attempt resumed = attempt(tls, host, token);
        assertThat(resumed.handshakeDone()).as("the handshake itself succeeds: the session is resumed").isTrue();
        assertThat(keys.presented.get()).as("an abbreviated handshake: the certificate was not presented again").isEqualTo(1);
        assertThat(resumed.pong()).as("a resumed session whose certificate expired is not served").isFalse();
        await().atMost(Stack.WAIT).untilAsserted(() -> assertThat(stack.gatewayLog())
                .contains("TLS client certificate refused: certificate CN=" + name + ",O=eventbus dev expired at"));

        // the real client, with the same session cache, does not get in either
        assertThatThrownBy(() -> Nats.connect(agent.build()).close()).isInstanceOf(Exception.class);
    }

    private static TrustManager[] trust(Path ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.readCertificates(ca)) ks.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    /**
     * The host the JDK cached the agent's session under (it looks a session up by host and port): jnats dials the
     * address it resolved "localhost" to, and a connection made for another name would find nothing to resume.
     */
    private String cachedSessionHost(SSLContext tls) {
        for (byte[] id : Collections.list(tls.getClientSessionContext().getIds())) {
            SSLSession s = tls.getClientSessionContext().getSession(id);
            if (s != null && s.getPeerPort() == stack.agentPort) return s.getPeerHost();
        }
        throw new AssertionError("the agent's TLS session was not cached");
    }

    private record Attempt(boolean handshakeDone, boolean pong) {}

    /**
     * The agent protocol by hand (INFO in plaintext, the handshake, CONNECT with the token and PING), so that a
     * completed handshake and a refused connection are told apart: did PONG come back?
     */
    private Attempt attempt(SSLContext ctx, String host, String token) throws IOException {
        try (Socket plain = new Socket("127.0.0.1", stack.agentPort)) {
            plain.setSoTimeout(10_000);
            InputStream in = plain.getInputStream();
            for (int b; (b = in.read()) != '\n' && b >= 0; ) { /* skip the INFO line */ }
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, stack.agentPort, true)) {
                try {
                    s.startHandshake();
                } catch (IOException refused) {
                    return new Attempt(false, false);
                }
                s.getOutputStream().write(("CONNECT {\"verbose\":false,\"protocol\":1,\"auth_token\":\"" + token + "\"}\r\nPING\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[1024];
                try {
                    for (int n; !got.toString(StandardCharsets.US_ASCII).contains("PONG") && (n = s.getInputStream().read(buf)) > 0; ) {
                        got.write(buf, 0, n);
                    }
                } catch (IOException closed) {
                    // the server ended the connection: no PONG
                }
                return new Attempt(true, got.toString(StandardCharsets.US_ASCII).contains("PONG"));
            }
        }
    }

    /**
     * Presents one client certificate and counts how often the JDK asks for it: once per full handshake, never on a
     * resumption (the server sends no certificate request then), whatever the protocol version.
     */
    private static final class CountingKeys extends X509ExtendedKeyManager {
        final AtomicInteger presented = new AtomicInteger();
        private final X509Certificate[] chain;
        private final PrivateKey key;

        CountingKeys(IssuedCertificate cert) {
            this.chain = cert.chain().toArray(new X509Certificate[0]);
            this.key = cert.privateKey();
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            presented.incrementAndGet();
            return "agent";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return chooseClientAlias(keyType, issuers, null);
        }

        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {"agent"}; }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return null; }
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
        @Override public X509Certificate[] getCertificateChain(String alias) { return chain; }
        @Override public PrivateKey getPrivateKey(String alias) { return key; }
    }
}
