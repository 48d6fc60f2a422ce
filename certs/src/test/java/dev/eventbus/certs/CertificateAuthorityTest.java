package dev.eventbus.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;

    @TempDir
    Path dir;

    @BeforeAll
    static void cas() {
        ca = CertificateAuthority.create("test CA", KeyAlgorithm.ecP256(), Duration.ofDays(30));
        otherCa = CertificateAuthority.create("other CA", KeyAlgorithm.ecP256(), Duration.ofDays(30));
    }

    @Test
    void caCertificateIsACa() {
        CertInfo info = CertInfo.of(ca.certificate());
        assertThat(info.ca()).isTrue();
        assertThat(ca.certificate().getBasicConstraints()).isZero(); // pathlen 0: signs leaves only
        assertThat(info.keyUsage()).contains("keyCertSign", "cRLSign");
        assertThat(info.subject()).isEqualTo("CN=test CA,O=eventbus dev");
        assertThat(info.selfSigned()).isTrue();
        assertThat(CertChains.verify(List.of(ca.certificate()), List.of(ca.certificate())).valid()).isTrue();
    }

    @Test
    void leafChainsToItsCaAndNotToAnother() {
        IssuedCertificate leaf = ca.issue(LeafSpec.of("event-service", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1"));
        assertThat(CertChains.verify(leaf.chain(), List.of(ca.certificate())))
                .isEqualTo(new CertChains.Result(true, ""));
        CertChains.Result other = CertChains.verify(leaf.chain(), List.of(otherCa.certificate()));
        assertThat(other.valid()).isFalse();
        assertThat(other.reason()).contains("not issued by the given CA").contains("CN=test CA");
        // the root appended to the chain file changes nothing
        assertThat(CertChains.verify(List.of(leaf.certificate(), ca.certificate()), List.of(ca.certificate())).valid()).isTrue();
    }

    @Test
    void aCaWithTheSameNameButAnotherKeyIsNotTrusted() {
        CertificateAuthority impostor = CertificateAuthority.create("test CA", KeyAlgorithm.ecP256(), Duration.ofDays(30));
        IssuedCertificate leaf = impostor.issue(LeafSpec.of("x", CertUsage.CLIENT, "x"));
        CertChains.Result r = CertChains.verify(leaf.chain(), List.of(ca.certificate()));
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).isNotBlank();
    }

    @Test
    void expiredChainIsReported() {
        IssuedCertificate leaf = ca.issue(LeafSpec.of("x", CertUsage.SERVER, "x").withValidity(Duration.ofDays(1)));
        CertChains.Result r = CertChains.verify(leaf.chain(), List.of(ca.certificate()), Instant.now().plus(Duration.ofDays(2)));
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).contains("expired");
    }

    @Test
    void sansAndUsages() {
        X509Certificate service = ca.issue(LeafSpec.of("event-service", CertUsage.SERVER_AND_CLIENT,
                DevPki.sans("event-service", List.of("*.bus.example")).toArray(String[]::new))).certificate();
        CertInfo s = CertInfo.of(service);
        assertThat(s.subjectAltNames()).containsExactly("DNS:localhost", "IP:127.0.0.1", "IP:::1", "DNS:event-service",
                "DNS:*.bus.example");
        assertThat(s.extendedKeyUsage()).containsExactly("serverAuth", "clientAuth");
        assertThat(s.ca()).isFalse();
        assertThat(s.keyUsage()).containsExactly("digitalSignature");
        assertThat(s.key()).isEqualTo("EC P-256");
        assertThat(s.issuer()).isEqualTo(CertInfo.of(ca.certificate()).subject());

        CertInfo agent = CertInfo.of(ca.issue(LeafSpec.of("agent", CertUsage.CLIENT, "agent")).certificate());
        assertThat(agent.extendedKeyUsage()).containsExactly("clientAuth");
        CertInfo server = CertInfo.of(ca.issue(LeafSpec.of("web", CertUsage.SERVER, "web")).certificate());
        assertThat(server.extendedKeyUsage()).containsExactly("serverAuth");
    }

    @Test
    void rsaLeafAndRsaCa() {
        CertificateAuthority rsaCa = CertificateAuthority.create("rsa CA", KeyAlgorithm.rsa(2048), Duration.ofDays(5));
        IssuedCertificate leaf = rsaCa.issue(LeafSpec.of("r", CertUsage.SERVER, "r").withKeyAlgorithm(KeyAlgorithm.rsa(2048)));
        assertThat(CertInfo.of(leaf.certificate()).key()).isEqualTo("RSA 2048");
        assertThat(leaf.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(CertInfo.of(leaf.certificate()).keyUsage()).containsExactly("digitalSignature", "keyEncipherment");
        assertThat(CertChains.verify(leaf.chain(), List.of(rsaCa.certificate())).valid()).isTrue();
        // an EC leaf under an RSA CA works too
        IssuedCertificate mixed = rsaCa.issue(LeafSpec.of("m", CertUsage.SERVER, "m"));
        assertThat(mixed.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(CertChains.verify(mixed.chain(), List.of(rsaCa.certificate())).valid()).isTrue();
    }

    @Test
    void validityIsAsAskedAndCappedAtTheCa() {
        X509Certificate c = ca.issue(LeafSpec.of("v", CertUsage.SERVER, "v").withValidity(Duration.ofDays(7))).certificate();
        assertThat(c.getNotAfter().toInstant()).isCloseTo(Instant.now().plus(Duration.ofDays(7)), within(1, ChronoUnit.MINUTES));
        assertThat(c.getNotBefore().toInstant()).isBefore(Instant.now().minus(Duration.ofMinutes(4)));
        X509Certificate capped = ca.issue(LeafSpec.of("v", CertUsage.SERVER, "v").withValidity(Duration.ofDays(3650))).certificate();
        assertThat(capped.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @Test
    void serialsAreRandomAndPositive() {
        X509Certificate a = ca.issue(LeafSpec.of("a", CertUsage.SERVER, "a")).certificate();
        X509Certificate b = ca.issue(LeafSpec.of("a", CertUsage.SERVER, "a")).certificate();
        assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
        assertThat(a.getSerialNumber().signum()).isPositive();
        assertThat(a.getSerialNumber().bitLength()).isGreaterThan(120);
    }

    @Test
    void loadFromFilesAndIssue() {
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        ca.write(crt, key);
        CertificateAuthority loaded = CertificateAuthority.load(crt, key, null);
        IssuedCertificate leaf = loaded.issue(LeafSpec.of("later", CertUsage.CLIENT, "later"));
        assertThat(CertChains.verify(leaf.chain(), List.of(ca.certificate())).valid()).isTrue();
    }

    @Test
    void refusesAMismatchedOrNonCaPair() {
        assertThatThrownBy(() -> CertificateAuthority.of(ca.certificate(), otherCa.privateKey()))
                .isInstanceOf(CertsException.class).hasMessageContaining("does not belong");
        IssuedCertificate leaf = ca.issue(LeafSpec.of("leaf", CertUsage.SERVER, "leaf"));
        assertThatThrownBy(() -> CertificateAuthority.of(leaf.certificate(), leaf.privateKey()))
                .isInstanceOf(CertsException.class).hasMessageContaining("is not a CA");
    }

    @Test
    void ipv6Shortening() {
        assertThat(CertInfo.ip("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(CertInfo.ip("fe80:0:0:0:1:0:0:2")).isEqualTo("fe80::1:0:0:2");
        assertThat(CertInfo.ip("2001:db8:0:0:0:0:0:0")).isEqualTo("2001:db8::");
        assertThat(CertInfo.ip("1:0:2:0:3:0:4:0")).isEqualTo("1:0:2:0:3:0:4:0");
        assertThat(CertInfo.ip("10.0.0.1")).isEqualTo("10.0.0.1");
    }
}
