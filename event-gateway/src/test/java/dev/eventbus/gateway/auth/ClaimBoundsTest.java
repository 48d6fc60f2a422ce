package dev.eventbus.gateway.auth;

import static dev.eventbus.gateway.auth.TestKeys.CLOCK;
import static dev.eventbus.gateway.auth.TestKeys.HMAC_SECRET;
import static dev.eventbus.gateway.auth.TestKeys.NOW;
import static dev.eventbus.gateway.auth.TestKeys.claims;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.auth.User;
import dev.eventbus.certs.CertUsage;
import dev.eventbus.certs.CertificateAuthority;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.certs.LeafSpec;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Time claims out of range, what the broker user carries (expiry, jti), and certificate-bound tokens. */
class ClaimBoundsTest {
    private static final CertificateAuthority CA =
            CertificateAuthority.create("claim-bounds-test", new KeyAlgorithm("EC", 256), Duration.ofDays(1));
    private static final X509Certificate AGENT = CA.issue(LeafSpec.of("agent", CertUsage.CLIENT, "agent")).certificate();
    private static final X509Certificate OTHER = CA.issue(LeafSpec.of("other", CertUsage.CLIENT, "other")).certificate();

    private final JwtAuthenticator auth = new JwtAuthenticator(JwtAuthOptions.builder().hmacSecret(HMAC_SECRET)
            .clock(CLOCK).clockSkew(Duration.ofSeconds(30)).build());

    private static String hs256(com.nimbusds.jwt.JWTClaimsSet.Builder c) { return TestKeys.hs256(HMAC_SECRET, c.build()); }

    @ParameterizedTest
    @ValueSource(strings = {"nbf", "iat", "exp"})
    void timeClaimsThatOverflowAreMalformedNotWrappedIntoThePast(String claim) {
        // 1e30 and 2^63 seconds wrap to a negative millisecond count when multiplied by 1000 in a long
        for (Object huge : List.of(1e30, new BigInteger("9223372036854775808"), Long.MAX_VALUE, -1e30)) {
            TokenVerification v = auth.verify(hs256(claims("agent-1").claim(claim, huge)));
            assertThat(v.reason()).as("%s = %s", claim, huge).isEqualTo(Reason.MALFORMED);
            assertThat(v.detail()).contains(claim).contains("out of range");
        }
    }

    @Test
    void fractionalAndOrdinaryTimeClaimsStillWork() {
        long now = NOW.getEpochSecond();
        assertThat(auth.verify(hs256(claims("agent-1").claim("nbf", now - 10.5).claim("iat", now - 10))).ok()).isTrue();
        assertThat(auth.verify(hs256(claims("agent-1").claim("nbf", now + 3600))).reason()).isEqualTo(Reason.NOT_YET_VALID);
    }

    @Test
    void theUserExpiresWhenTheTokenWouldBeRefusedAndCarriesItsJti() {
        TokenVerification v = auth.verify(hs256(claims("agent-1").jwtID("jti-42")));
        User u = v.user();
        // claims(...) sets exp to NOW + 1h; the skew is 30 s
        assertThat(u.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)).plusSeconds(30));
        assertThat(u.credentialId()).isEqualTo("jti-42");
    }

    @Test
    void aCertificateBoundTokenNeedsThatCertificate() {
        String bound = hs256(claims("agent-1").claim(CertificateBinding.CLAIM, CertificateBinding.claim(AGENT)));
        assertThat(auth.verify(bound, List.of(AGENT)).ok()).isTrue();
        assertThat(auth.verify(bound, List.of(AGENT)).detail()).contains("certificate-bound");

        TokenVerification other = auth.verify(bound, List.of(OTHER));
        assertThat(other.reason()).isEqualTo(Reason.CERT_MISMATCH);
        assertThat(other.agent()).isEqualTo("agent-1");
        assertThat(other.detail()).contains("the client presented " + CertificateBinding.thumbprint(OTHER));
        assertThat(auth.verify(bound, List.of()).reason()).isEqualTo(Reason.CERT_MISMATCH);
        assertThat(auth.verify(bound).describe()).isEqualTo(
                "CERT_MISMATCH: token of agent-1 is bound to a client certificate, none was presented");

        // an unbound token does not care which certificate the client has
        assertThat(auth.verify(hs256(claims("agent-1")), List.of(OTHER)).ok()).isTrue();
    }

    @Test
    void aConfirmationClaimWeCannotCheckIsMalformed() {
        for (Object cnf : List.<Object>of("x", Map.of("jkt", "abc"), Map.of("x5t#S256", 42))) {
            TokenVerification v = auth.verify(hs256(claims("agent-1").claim("cnf", cnf)), List.of(AGENT));
            assertThat(v.reason()).as("cnf %s", cnf).isEqualTo(Reason.MALFORMED);
        }
    }

    @Test
    void theThumbprintIsBase64UrlSha256OfTheDer() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(AGENT.getEncoded());
        assertThat(CertificateBinding.thumbprint(AGENT))
                .isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest))
                .hasSize(43);
    }
}
