package dev.eventbus.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.certs.CertificateAuthority;
import dev.eventbus.certs.KeyAlgorithm;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** Which identities a certificate proves, and how configured identities are matched against them. */
class CertificateIdentitiesTest {
    private static final CertificateAuthority CA = CertificateAuthority.create("identities CA", KeyAlgorithm.ecP256(), Duration.ofDays(1));

    /** A certificate with exactly these SANs (any kind, as BouncyCastle GeneralNames) and subject. */
    private static X509Certificate cert(String subject, GeneralName... sans) throws Exception {
        KeyPair kp = KeyAlgorithm.ecP256().generate();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(CA.certificate().getSubjectX500Principal().getName()),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)),
                new X500Name(subject), kp.getPublic());
        if (sans.length > 0) b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.privateKey())));
    }

    @Test
    void sansComeFirstInTheirKindsThenTheCommonName() throws Exception {
        X509Certificate c = cert("CN=event-gateway,O=eventbus dev",
                new GeneralName(GeneralName.dNSName, "Gateway.Internal"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://eventbus/event-gateway"),
                new GeneralName(GeneralName.iPAddress, "::1"),
                new GeneralName(GeneralName.rfc822Name, "ops@example.com"));
        assertThat(CertificateIdentities.of(c))
                .containsExactly("gateway.internal", "spiffe://eventbus/event-gateway", "0:0:0:0:0:0:0:1", "event-gateway");
    }

    @Test
    void matchingIsExactExceptForCaseInNamesAndTheFormOfIps() throws Exception {
        X509Certificate c = cert("CN=Reader", new GeneralName(GeneralName.dNSName, "*.example.com"),
                new GeneralName(GeneralName.iPAddress, "::1"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://eventbus/Reader"));
        assertThat(CertificateIdentities.firstMatch(List.of(CertificateIdentities.normalize("::1")), c)).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(CertificateIdentities.firstMatch(List.of("reader"), c)).isEqualTo("reader");
        assertThat(CertificateIdentities.firstMatch(List.of("*.EXAMPLE.com"), c)).isEqualTo("*.EXAMPLE.com");
        // a wildcard SAN proves itself only, never a name it would cover for host-name checks
        assertThat(CertificateIdentities.firstMatch(List.of("a.example.com"), c)).isNull();
        // URIs compare exactly
        assertThat(CertificateIdentities.firstMatch(List.of("spiffe://eventbus/reader"), c)).isNull();
        // the e-mail SAN and the rest of the subject are not identities
        assertThat(CertificateIdentities.firstMatch(List.of("CN=Reader"), c)).isNull();
    }

    @Test
    void theFirstConfiguredIdentityTheCertificateProvesWins() throws Exception {
        X509Certificate c = cert("CN=event-service", new GeneralName(GeneralName.dNSName, "localhost"));
        assertThat(CertificateIdentities.firstMatch(List.of("nobody", "event-service", "localhost"), c)).isEqualTo("event-service");
        assertThat(CertificateIdentities.firstMatch(List.of("localhost", "event-service"), c)).isEqualTo("localhost");
    }

    @Test
    void anEmptyIdentityIsAConfigurationError() {
        assertThatThrownBy(() -> CertificateIdentities.normalize(" ")).hasMessageContaining("identity is empty");
        assertThatThrownBy(() -> CertificateAuthenticator.builder().build()).hasMessageContaining("no certificate identities");
        assertThatThrownBy(() -> CertificateAuthenticator.builder().identity("a", Permissions.ALLOW_ALL).identity("a", Permissions.ALLOW_ALL))
                .hasMessageContaining("duplicate certificate identity a");
    }
}
