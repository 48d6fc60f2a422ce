package dev.eventbus.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.TlsOptions;
import dev.eventbus.certs.CertUsage;
import dev.eventbus.certs.CertificateAuthority;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.IssuedCertificate;
import dev.eventbus.certs.LeafSpec;
import dev.eventbus.certs.Pem;
import dev.eventbus.certs.ReloadingSslContext;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 item 11: a client whose certificate expired must not get back in by resuming the TLS session it made while
 * the certificate was valid (a TLS 1.2 session id or a TLS 1.3 ticket). The JDK server resumes such a session without
 * looking at the certificate again; nats-server (Go) refuses. The second handshake below really is a resumption (the
 * client is not asked for its certificate again), so the refusal is the broker's own check, not a side effect of a
 * full handshake.
 */
class SessionResumptionTest {
    @TempDir Path dir;
    private Broker broker;

    @AfterEach
    void stop() {
        if (broker != null) broker.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void anExpiredClientCertificateCannotComeBackByResumingItsSession(String protocol) throws Exception {
        DevPki.init(dir, DevPki.Options.defaults());
        ReloadingSslContext server = ReloadingSslContext.forServerMutual(DevPki.certFile(dir, "event-service"),
                DevPki.keyFile(dir, "event-service"), DevPki.certFile(dir, DevPki.CA)).build();
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .tls(TlsOptions.builder(server).verify(true).build()).build()).start();

        CertificateAuthority ca = CertificateAuthority.load(DevPki.certFile(dir, DevPki.CA), DevPki.keyFile(dir, DevPki.CA), null);
        IssuedCertificate shortLived = ca.issue(LeafSpec.of("short-lived agent", CertUsage.CLIENT).withValidity(Duration.ofSeconds(2)));
        Path cdir = Files.createDirectories(dir.resolve("short"));
        shortLived.write(cdir.resolve("a.crt"), cdir.resolve("a.key"));
        Instant notAfter = shortLived.certificate().getNotAfter().toInstant();
        // one SSLContext for both connections: its client session cache is what offers the resumption
        CountingKeyManager keys = new CountingKeyManager(cdir.resolve("a.crt"), cdir.resolve("a.key"));
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(new KeyManager[] {keys}, trust(DevPki.certFile(dir, DevPki.CA)), null);

        Attempt first = attempt(client, protocol);
        assertThat(first.pong()).as("the certificate is still valid: the client gets in").isTrue();
        assertThat(keys.presented.get()).as("a full handshake: the client presented its certificate").isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Instant.now().isAfter(notAfter.plusMillis(500)));

        Attempt second = attempt(client, protocol);
        assertThat(second.handshakeDone()).as("the handshake itself succeeds: the session is resumed").isTrue();
        assertThat(keys.presented.get()).as("an abbreviated handshake: the certificate was not presented again").isEqualTo(1);
        assertThat(second.pong()).as("a resumed session with an expired certificate is refused").isFalse();

        // and the real client is refused too, with the same cached session
        assertThatThrownBy(() -> Nats.connect(new Options.Builder().server("tls://localhost:" + broker.port())
                .sslContext(client).connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0).build()).close())
                .isInstanceOf(Exception.class);
    }

    private record Attempt(boolean handshakeDone, boolean pong) {}

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
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return null; }
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
