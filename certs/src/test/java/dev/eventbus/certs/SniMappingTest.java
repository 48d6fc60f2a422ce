package dev.eventbus.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.certs.TlsTestSupport.EchoClient;
import dev.eventbus.certs.TlsTestSupport.EchoServer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SniMappingTest {
    static EventLoopGroup group;
    static CertificateAuthority ca;
    static SslContext alpha;
    static SslContext wildcard;
    static SslContext fallback;
    static IssuedCertificate wildcardCert;

    @BeforeAll
    static void setUp() {
        group = TlsTestSupport.group();
        ca = CertificateAuthority.create("sni CA", KeyAlgorithm.ecP256(), Duration.ofDays(2));
        alpha = serverFor(ca.issue(LeafSpec.of("alpha", CertUsage.SERVER, "alpha.test")));
        wildcardCert = ca.issue(LeafSpec.of("wild", CertUsage.SERVER, "*.wild.test"));
        wildcard = serverFor(wildcardCert);
        fallback = serverFor(ca.issue(LeafSpec.of("fallback", CertUsage.SERVER, "localhost", "127.0.0.1")));
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    static SslContext serverFor(IssuedCertificate c) {
        return TlsContexts.server(c.chain(), c.privateKey());
    }

    SniMapping mapping() {
        return SniMapping.builder(fallback).add("alpha.test", alpha).add("*.wild.test", wildcard).build();
    }

    @Test
    void mapsNamesWildcardsAndTheDefault() {
        SniMapping m = mapping();
        assertThat(m.map("alpha.test")).isSameAs(alpha);
        assertThat(m.map("ALPHA.test")).isSameAs(alpha);
        assertThat(m.map("x.wild.test")).isSameAs(wildcard);
        assertThat(m.map("wild.test")).isSameAs(fallback);
        assertThat(m.map("a.b.wild.test")).isSameAs(fallback);
        assertThat(m.map("unknown.test")).isSameAs(fallback);
        assertThat(m.map(null)).isSameAs(fallback);
        assertThat(m.hostnames()).containsExactly("alpha.test", "*.wild.test");
    }

    @Test
    void badPatternsAreRefused() {
        assertThatThrownBy(() -> SniMapping.builder(fallback).add("a.*.test", alpha)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SniMapping.builder(fallback).add(" ", alpha)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addForCertificateUsesItsDnsNames() {
        SniMapping m = SniMapping.builder(fallback).addForCertificate(wildcardCert.certificate(), () -> wildcard).build();
        assertThat(m.hostnames()).containsExactly("*.wild.test");
        assertThat(m.map("y.wild.test")).isSameAs(wildcard);
    }

    @Test
    void suppliersAreAskedPerConnection() {
        AtomicReference<SslContext> current = new AtomicReference<>(alpha);
        SniMapping m = SniMapping.builder(fallback).add("alpha.test", current::get).build();
        assertThat(m.map("alpha.test")).isSameAs(alpha);
        current.set(wildcard);
        assertThat(m.map("alpha.test")).isSameAs(wildcard);
    }

    @Test
    void realHandshakesGetTheCertificateForTheirSniName() throws Exception {
        SniMapping m = mapping();
        SslContext client = TlsContexts.client(List.of(ca.certificate()));
        SslContext lenient = TlsContexts.client(List.of(ca.certificate()), false);
        try (EchoServer server = new EchoServer(group, ch -> m.newHandler(5_000))) {
            assertThat(cnFor(server, client, "alpha.test")).isEqualTo("CN=alpha,O=eventbus dev");
            assertThat(cnFor(server, client, "node1.wild.test")).isEqualTo("CN=wild,O=eventbus dev");
            // an IP literal is never sent as SNI: the default certificate
            assertThat(cnFor(server, client, "127.0.0.1")).isEqualTo("CN=fallback,O=eventbus dev");
            // an unknown name gets the default too (which a host-name-checking client would then refuse)
            assertThat(cnFor(server, lenient, "other.test")).isEqualTo("CN=fallback,O=eventbus dev");
        }
    }

    private static String cnFor(EchoServer server, SslContext client, String host) throws Exception {
        try (EchoClient c = new EchoClient(group, server.port(), client, host)) {
            assertThat(c.handshake()).as("handshake with %s: %s", host, c.handshakeCause()).isTrue();
            assertThat(c.echo("hi")).isEqualTo("hi");
            assertThat(server.nextHandshake().success()).isTrue();
            return c.peerCertificate().getSubjectX500Principal().getName();
        }
    }
}
