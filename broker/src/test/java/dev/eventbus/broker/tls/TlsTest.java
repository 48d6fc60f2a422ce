package dev.eventbus.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.TlsOptions;
import dev.eventbus.certs.CertificateAuthority;
import dev.eventbus.certs.CertUsage;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.IssuedCertificate;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.certs.LeafSpec;
import dev.eventbus.certs.Pem;
import dev.eventbus.certs.ReloadingSslContext;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the client port with certificates made by {@code certs init}: the real jnats client over TLS and mutual
 * TLS, the refusals a user meets, and certificate rotation under a live connection.
 */
class TlsTest {
    @TempDir Path dir;
    private Broker broker;

    @AfterEach
    void stop() {
        if (broker != null) broker.shutdown();
    }

    private Path pki() {
        DevPki.init(dir, DevPki.Options.defaults());
        return dir;
    }

    private Broker start(boolean verify) {
        ReloadingSslContext ctx = verify
                // clients verified as event-gateway's agent port does: against the agent CA
                ? ReloadingSslContext.forServerMutual(DevPki.certFile(dir, "event-service"), DevPki.keyFile(dir, "event-service"),
                        DevPki.certFile(dir, DevPki.AGENT_CA)).minCheckInterval(Duration.ZERO).build()
                : ReloadingSslContext.forServer(DevPki.certFile(dir, "event-service"), DevPki.keyFile(dir, "event-service"))
                        .minCheckInterval(Duration.ZERO).build();
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).httpHost("127.0.0.1").httpPort(0)
                .tls(TlsOptions.builder(ctx).verify(verify).build()).build()).start();
        return broker;
    }

    /** A JDK SSLContext trusting {@code ca}, presenting {@code cert}/{@code key} when given. */
    static SSLContext sslContext(Path ca, Path cert, Path key) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.readCertificates(ca)) trust.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (cert != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            PrivateKey pk = Pem.readPrivateKey(key, null);
            ks.setKeyEntry("me", pk, "pw".toCharArray(), Pem.readCertificates(cert).toArray(new X509Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private Connection connect(String host, SSLContext ssl) throws Exception {
        return Nats.connect(new Options.Builder().server("tls://" + host + ":" + broker.port()).sslContext(ssl)
                .connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0).build());
    }

    private static void roundTrip(Connection c) throws Exception {
        Subscription s = c.subscribe("secure.x");
        c.publish("secure.x", "sealed".getBytes(StandardCharsets.UTF_8));
        Message m = s.nextMessage(Duration.ofSeconds(5));
        assertThat(m).isNotNull();
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("sealed");
    }

    @Test
    void jnatsConnectsOverTlsAndConnzShowsIt() throws Exception {
        pki();
        start(false);
        try (Connection c = connect("localhost", sslContext(DevPki.certFile(dir, DevPki.CA), null, null))) {
            roundTrip(c);
            String connz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + broker.httpPort() + "/connz")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(connz).containsPattern("\"tls_version\": \"1\\.[23]\"").contains("\"tls_cipher_suite\": \"TLS_");
        }
    }

    @Test
    void jnatsConnectsOverMutualTlsWithTheAgentCertificate() throws Exception {
        pki();
        start(true);
        try (Connection c = connect("127.0.0.1", sslContext(DevPki.certFile(dir, DevPki.CA),
                DevPki.certFile(dir, DevPki.AGENT), DevPki.keyFile(dir, DevPki.AGENT)))) {
            roundTrip(c);
        }
    }

    @Test
    void infoAdvertisesTlsInPlaintextBeforeTheHandshake() throws Exception {
        pki();
        start(true);
        try (Socket s = new Socket("127.0.0.1", broker.port())) {
            String info = new String(s.getInputStream().readNBytes(40), StandardCharsets.US_ASCII);
            assertThat(info).startsWith("INFO {");
            byte[] rest = new byte[2048];
            int n = s.getInputStream().read(rest);
            String all = info + new String(rest, 0, n, StandardCharsets.US_ASCII);
            assertThat(all).contains("\"tls_required\":true").contains("\"tls_verify\":true");
        }
    }

    @Test
    void refusesAClientWithoutCertificateWhenVerifying() throws Exception {
        pki();
        start(true);
        assertThatThrownBy(() -> connect("127.0.0.1", sslContext(DevPki.certFile(dir, DevPki.CA), null, null)).close())
                .isInstanceOf(Exception.class);
    }

    @Test
    void refusesAClientCertificateFromAnotherCa() throws Exception {
        pki();
        start(true);
        CertificateAuthority other = CertificateAuthority.create("other CA", KeyAlgorithm.ecP256(), Duration.ofDays(1));
        IssuedCertificate stranger = other.issue(LeafSpec.of("agent", CertUsage.CLIENT, "localhost"));
        Path sdir = Files.createDirectories(dir.resolve("stranger"));
        stranger.write(sdir.resolve("a.crt"), sdir.resolve("a.key"));
        assertThatThrownBy(() -> connect("127.0.0.1", sslContext(DevPki.certFile(dir, DevPki.CA),
                sdir.resolve("a.crt"), sdir.resolve("a.key"))).close()).isInstanceOf(Exception.class);
    }

    @Test
    void refusesAnExpiredClientCertificate() throws Exception {
        pki();
        start(true);
        CertificateAuthority ca = CertificateAuthority.load(DevPki.certFile(dir, DevPki.AGENT_CA), DevPki.keyFile(dir, DevPki.AGENT_CA), null);
        java.security.KeyPair kp = KeyAlgorithm.ecP256().generate();
        java.time.Instant now = java.time.Instant.now();
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(ca.certificate(), java.math.BigInteger.valueOf(now.toEpochMilli()),
                java.util.Date.from(now.minus(Duration.ofDays(2))), java.util.Date.from(now.minus(Duration.ofDays(1))),
                new javax.security.auth.x500.X500Principal("CN=expired agent"), kp.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, false,
                new org.bouncycastle.asn1.x509.ExtendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth));
        X509Certificate expired = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(builder.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())));
        Path edir = Files.createDirectories(dir.resolve("expired"));
        Pem.writeCertificates(edir.resolve("a.crt"), expired);
        Pem.writePrivateKey(edir.resolve("a.key"), kp.getPrivate(), Pem.KeyFormat.PKCS8);
        assertThatThrownBy(() -> connect("127.0.0.1", sslContext(DevPki.certFile(dir, DevPki.CA),
                edir.resolve("a.crt"), edir.resolve("a.key"))).close()).isInstanceOf(Exception.class);
        // and the server keeps serving valid clients
        try (Connection c = connect("127.0.0.1", sslContext(DevPki.certFile(dir, DevPki.CA),
                DevPki.certFile(dir, DevPki.AGENT), DevPki.keyFile(dir, DevPki.AGENT)))) {
            roundTrip(c);
        }
    }

    @Test
    void refusesAServerCertificateFromAnUnknownCaOnTheClientSide() throws Exception {
        pki();
        start(false);
        CertificateAuthority other = CertificateAuthority.create("other CA", KeyAlgorithm.ecP256(), Duration.ofDays(1));
        Path odir = Files.createDirectories(dir.resolve("other"));
        other.write(odir.resolve("ca.crt"), odir.resolve("ca.key"));
        assertThatThrownBy(() -> connect("localhost", sslContext(odir.resolve("ca.crt"), null, null)).close())
                .isInstanceOf(Exception.class);
    }

    @Test
    void refusesAHostNameTheServerCertificateDoesNotName() throws Exception {
        pki();
        start(false);
        // the certificate names localhost, 127.0.0.1 and ::1; 127.0.0.2 reaches the same socket but is not named
        assertThatThrownBy(() -> connect("127.0.0.2", sslContext(DevPki.certFile(dir, DevPki.CA), null, null)).close())
                .isInstanceOf(Exception.class);
    }

    @Test
    void aPlaintextClientOnATlsPortIsClosedAndOthersKeepWorking() throws Exception {
        pki();
        start(false);
        try (Socket s = new Socket("127.0.0.1", broker.port())) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            assertThat(in.read(buf)).isPositive(); // INFO
            OutputStream out = s.getOutputStream();
            out.write("CONNECT {}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int n;
            do {
                n = in.read(buf);
            } while (n > 0 && !new String(buf, 0, n, StandardCharsets.US_ASCII).contains("PONG"));
            assertThat(n).isEqualTo(-1);
        }
        try (Connection c = connect("localhost", sslContext(DevPki.certFile(dir, DevPki.CA), null, null))) {
            roundTrip(c);
        }
    }

    @Test
    void rotatedCertificatesServeNewConnectionsWhileLiveOnesStayUp() throws Exception {
        pki();
        start(false);
        SSLContext trustCa = sslContext(DevPki.certFile(dir, DevPki.CA), null, null);
        X509Certificate before = serverCertificate(trustCa);
        try (Connection live = connect("localhost", trustCa)) {
            roundTrip(live);
            // rotate: a fresh certificate from the same CA, written over the files the broker watches
            CertificateAuthority ca = CertificateAuthority.load(DevPki.certFile(dir, DevPki.CA), DevPki.keyFile(dir, DevPki.CA), null);
            IssuedCertificate next = ca.issue(LeafSpec.of("event-service", CertUsage.SERVER_AND_CLIENT,
                    DevPki.sans("event-service", List.of()).toArray(new String[0])));
            next.write(DevPki.certFile(dir, "event-service"), DevPki.keyFile(dir, "event-service"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(serverCertificate(trustCa).getSerialNumber()).isNotEqualTo(before.getSerialNumber()));
            assertThat(live.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            roundTrip(live);
        }
    }

    @Test
    void sniChoosesAmongSeveralServerCertificates() throws Exception {
        pki();
        ReloadingSslContext service = ReloadingSslContext.forServer(DevPki.certFile(dir, "event-service"), DevPki.keyFile(dir, "event-service")).build();
        ReloadingSslContext gateway = ReloadingSslContext.forServer(DevPki.certFile(dir, "event-gateway"), DevPki.keyFile(dir, "event-gateway")).build();
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .tls(TlsOptions.builder(service).sni(dev.eventbus.certs.SniMapping.builder(service).add("event-gateway", gateway).build()).build())
                .build()).start();
        SSLContext trust = sslContext(DevPki.certFile(dir, DevPki.CA), null, null);
        assertThat(serverCertificate(trust, "event-gateway").getSubjectX500Principal().getName()).contains("CN=event-gateway");
        assertThat(serverCertificate(trust, "localhost").getSubjectX500Principal().getName()).contains("CN=event-service");
    }

    private X509Certificate serverCertificate(SSLContext ctx) throws Exception {
        return serverCertificate(ctx, "localhost");
    }

    /** What a new connection is served: INFO in plaintext, then the TLS handshake with this SNI host name. */
    private X509Certificate serverCertificate(SSLContext ctx, String sniHost) throws Exception {
        try (Socket plain = new Socket("127.0.0.1", broker.port())) {
            InputStream in = plain.getInputStream();
            int b;
            while ((b = in.read()) != '\n' && b >= 0) { /* skip the INFO line */ }
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, sniHost, broker.port(), true)) {
                javax.net.ssl.SSLParameters p = tls.getSSLParameters();
                p.setServerNames(List.of(new javax.net.ssl.SNIHostName(sniHost)));
                tls.setSSLParameters(p);
                tls.startHandshake();
                return (X509Certificate) tls.getSession().getPeerCertificates()[0];
            }
        }
    }
}
