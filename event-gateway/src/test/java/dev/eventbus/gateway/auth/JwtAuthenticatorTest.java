package dev.eventbus.gateway.auth;

import static dev.eventbus.gateway.auth.TestKeys.AUD;
import static dev.eventbus.gateway.auth.TestKeys.CLOCK;
import static dev.eventbus.gateway.auth.TestKeys.EC;
import static dev.eventbus.gateway.auth.TestKeys.ED25519;
import static dev.eventbus.gateway.auth.TestKeys.HMAC_SECRET;
import static dev.eventbus.gateway.auth.TestKeys.ISS;
import static dev.eventbus.gateway.auth.TestKeys.NOW;
import static dev.eventbus.gateway.auth.TestKeys.RSA;
import static dev.eventbus.gateway.auth.TestKeys.RSA_OTHER;
import static dev.eventbus.gateway.auth.TestKeys.claims;
import static dev.eventbus.gateway.auth.TestKeys.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.eventbus.broker.auth.AuthResult;
import dev.eventbus.broker.auth.Permissions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtAuthenticatorTest {
    @TempDir Path dir;

    private final CountingAuthMetrics metrics = new CountingAuthMetrics();

    /** Every key type configured, iss and aud expected, the fixed clock. */
    private JwtAuthOptions.Builder allKeys() {
        return JwtAuthOptions.builder()
                .hmacSecret(HMAC_SECRET)
                .publicKeyFile(TestKeys.writePublicPem(dir, "rsa.pub.pem", RSA))
                .publicKeyFile(TestKeys.writePublicPem(dir, "ec.pub.pem", EC))
                .publicKeyFile(TestKeys.writePublicPem(dir, "ed.pub.pem", ED25519))
                .issuer(ISS).audience(AUD).clock(CLOCK).metrics(metrics);
    }

    private JwtAuthenticator auth(JwtAuthOptions.Builder b) { return new JwtAuthenticator(b.build()); }

    /** Authenticates through the SPI, checks the AuthResult text carries the reason, and the counter moved. */
    private void assertRefused(JwtAuthenticator auth, String token, Reason reason) {
        long before = metrics.failures(reason);
        AuthResult r = auth.authenticate(client(token));
        assertThat(r.isOk()).as("accepted, expected %s", reason).isFalse();
        assertThat(r.failureReason()).startsWith(reason.name() + ": ");
        assertThat(metrics.failures(reason)).isEqualTo(before + 1);
        if (token != null && token.length() > 20) assertThat(r.failureReason()).doesNotContain(token);
    }

    private AuthResult assertAccepted(JwtAuthenticator auth, String token) {
        long before = metrics.successes();
        AuthResult r = auth.authenticate(client(token));
        assertThat(r.failureReason()).isNull();
        assertThat(r.isOk()).isTrue();
        assertThat(metrics.successes()).isEqualTo(before + 1);
        return r;
    }

    // ------------------------------------------------------------------------------------ accepted key types

    @Test
    void hs256WithTheConfiguredSecretIsAccepted() {
        AuthResult r = assertAccepted(auth(allKeys()), TestKeys.hs256(HMAC_SECRET, claims("agent-hs").build()));
        assertThat(r.user().name()).isEqualTo("agent-hs");
    }

    @Test
    void rs256WithAPemPublicKeyIsAccepted() {
        AuthResult r = assertAccepted(auth(allKeys()), TestKeys.rs256(RSA, claims("agent-rs").build()));
        assertThat(r.user().name()).isEqualTo("agent-rs");
    }

    @Test
    void es256WithAPemPublicKeyIsAccepted() {
        AuthResult r = assertAccepted(auth(allKeys()), TestKeys.es256(EC, claims("agent-es").build()));
        assertThat(r.user().name()).isEqualTo("agent-es");
    }

    @Test
    void eddsaWithAPemPublicKeyIsAccepted() throws Exception {
        // JDK Ed25519 key pair, PKCS#8 PEM, read back as a signing JWK: exercises the PEM path both ways
        JWK signing = KeyFiles.readSigningKey(TestKeys.writePrivatePem(dir, "ed.pem", ED25519));
        AuthResult r = assertAccepted(auth(allKeys()), TestKeys.eddsa((OctetKeyPair) signing, claims("agent-ed").build()));
        assertThat(r.user().name()).isEqualTo("agent-ed");
    }

    @Test
    void eddsaWithANimbusGeneratedKeyAndTheEd25519AlgNameIsAccepted() {
        OctetKeyPair okp = TestKeys.ed25519Jwk(null);
        JwtAuthenticator auth = auth(JwtAuthOptions.builder().key(okp).clock(CLOCK).metrics(metrics));
        assertAccepted(auth, TestKeys.eddsa(okp, claims("a").build()));
        try {
            assertAccepted(auth, TestKeys.sign(JWSAlgorithm.Ed25519, null, claims("b").build(),
                    new com.nimbusds.jose.crypto.Ed25519Signer(okp)));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCertificateMayStandForTheRsaPublicKey() throws Exception {
        // self-signed with BouncyCastle, the way an operator might hand over the issuer's certificate
        var now = new Date();
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=issuer"), java.math.BigInteger.ONE, now,
                new Date(now.getTime() + 86_400_000L), new org.bouncycastle.asn1.x500.X500Name("CN=issuer"),
                RSA.getPublic());
        var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(RSA.getPrivate());
        byte[] der = builder.build(signer).getEncoded();
        Path cert = TestKeys.write(dir.resolve("issuer.crt"), TestKeys.pem("CERTIFICATE", der));
        JwtAuthenticator auth = auth(JwtAuthOptions.builder().publicKeyFile(cert).clock(CLOCK).metrics(metrics));
        assertAccepted(auth, TestKeys.rs256(RSA, claims("agent").build()));
    }

    // ------------------------------------------------------------------------------------ the refusal catalogue

    @ParameterizedTest
    @ValueSource(strings = {"{\"alg\":\"none\"}", "{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"alg\":\"NONE\"}",
            "{\"alg\":\"None\"}"})
    void algNoneIsRefused(String header) {
        JwtAuthenticator auth = auth(allKeys());
        assertRefused(auth, TestKeys.raw(header, claims("agent").build(), ""), Reason.ALG_NONE);
        // a signature part does not help
        assertRefused(auth, TestKeys.raw(header, claims("agent").build(), "c2lnbmF0dXJl"), Reason.ALG_NONE);
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyAsSecretIsRefusedWhenOnlyRsaIsConfigured() {
        JwtAuthenticator auth = auth(JwtAuthOptions.builder()
                .publicKeyFile(TestKeys.writePublicPem(dir, "rsa.pub.pem", RSA)).clock(CLOCK).metrics(metrics));
        byte[] pemBytes = TestKeys.pem("PUBLIC KEY", RSA.getPublic().getEncoded()).getBytes(StandardCharsets.US_ASCII);
        byte[] derBytes = RSA.getPublic().getEncoded();
        assertRefused(auth, TestKeys.hs256(pemBytes, claims("attacker").build()), Reason.ALG_NOT_ALLOWED);
        assertRefused(auth, TestKeys.hs256(derBytes, claims("attacker").build()), Reason.ALG_NOT_ALLOWED);
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyAsSecretIsABadSignatureWhenHmacIsAlsoConfigured() {
        byte[] pemBytes = TestKeys.pem("PUBLIC KEY", RSA.getPublic().getEncoded()).getBytes(StandardCharsets.US_ASCII);
        assertRefused(auth(allKeys()), TestKeys.hs256(pemBytes, claims("attacker").build()), Reason.BAD_SIGNATURE);
    }

    @Test
    void anAlgorithmOfAKeyTypeThatIsNotConfiguredIsRefused() {
        JwtAuthenticator auth = auth(JwtAuthOptions.builder().hmacSecret(HMAC_SECRET).clock(CLOCK).metrics(metrics));
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").build()), Reason.ALG_NOT_ALLOWED);
        assertRefused(auth, TestKeys.es256(EC, claims("a").build()), Reason.ALG_NOT_ALLOWED);
        // a 48-byte secret allows HS384 but not HS512
        assertAccepted(auth, TestKeys.sign(JWSAlgorithm.HS384, null, claims("a").build(), TestKeys.macSigner(HMAC_SECRET)));
        assertRefused(auth, TestKeys.sign(JWSAlgorithm.HS512, null, claims("a").build(),
                TestKeys.macSigner(TestKeys.random(64))), Reason.ALG_NOT_ALLOWED);
    }

    @Test
    void expiredIsRefusedBeyondTheSkewOnly() {
        JwtAuthenticator auth = auth(allKeys());
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").issueTime(Date.from(NOW.minusSeconds(7200)))
                .expirationTime(Date.from(NOW.minusSeconds(61))).build()), Reason.EXPIRED);
        assertAccepted(auth, TestKeys.rs256(RSA, claims("a").issueTime(Date.from(NOW.minusSeconds(7200)))
                .expirationTime(Date.from(NOW.minusSeconds(59))).build()));
        JwtAuthenticator strict = auth(allKeys().clockSkew(Duration.ZERO));
        assertRefused(strict, TestKeys.rs256(RSA, claims("a").expirationTime(Date.from(NOW)).build()), Reason.EXPIRED);
        assertThat(strict.verify(TestKeys.rs256(RSA, claims("agent-9").expirationTime(Date.from(NOW)).build())).describe())
                .isEqualTo("EXPIRED: token of agent-9 expired at 2026-11-22T12:00:00Z (now 2026-11-22T12:00:00Z, skew 0s)");
    }

    @Test
    void notYetValidIsRefusedBeyondTheSkewOnly() {
        JwtAuthenticator auth = auth(allKeys());
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").notBeforeTime(Date.from(NOW.plusSeconds(61))).build()),
                Reason.NOT_YET_VALID);
        assertAccepted(auth, TestKeys.rs256(RSA, claims("a").notBeforeTime(Date.from(NOW.plusSeconds(59))).build()));
    }

    @Test
    void issuedInTheFutureIsRefusedBeyondTheSkewOnly() {
        JwtAuthenticator auth = auth(allKeys());
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").issueTime(Date.from(NOW.plusSeconds(120))).build()),
                Reason.ISSUED_IN_FUTURE);
        assertAccepted(auth, TestKeys.rs256(RSA, claims("a").issueTime(Date.from(NOW.plusSeconds(30))).build()));
        JwtAuthenticator wide = auth(allKeys().clockSkew(Duration.ofMinutes(5)));
        assertAccepted(wide, TestKeys.rs256(RSA, claims("a").issueTime(Date.from(NOW.plusSeconds(120))).build()));
    }

    @Test
    void wrongOrMissingAudienceIsRefused() {
        JwtAuthenticator auth = auth(allKeys());
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").audience("other-service").build()), Reason.WRONG_AUDIENCE);
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").audience((String) null).build()), Reason.WRONG_AUDIENCE);
        // one matching entry among several is enough
        assertAccepted(auth, TestKeys.rs256(RSA, claims("a").audience(List.of("x", AUD)).build()));
        // not checked when not configured
        JwtAuthenticator open = auth(JwtAuthOptions.builder().publicKey(RSA.getPublic()).clock(CLOCK).metrics(metrics));
        assertAccepted(open, TestKeys.rs256(RSA, claims("a").audience("other-service").build()));
    }

    @Test
    void wrongOrMissingIssuerIsRefused() {
        JwtAuthenticator auth = auth(allKeys().issuer("https://second.example.test"));
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").issuer("https://evil.example.test").build()), Reason.WRONG_ISSUER);
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").issuer(null).build()), Reason.WRONG_ISSUER);
        assertAccepted(auth, TestKeys.rs256(RSA, claims("a").issuer("https://second.example.test").build()));
    }

    @Test
    void badSignaturesAreRefused() {
        JwtAuthenticator auth = auth(allKeys());
        // signed by a key that is not configured
        assertRefused(auth, TestKeys.rs256(RSA_OTHER, claims("a").build()), Reason.BAD_SIGNATURE);
        assertRefused(auth, TestKeys.hs256(TestKeys.random(32), claims("a").build()), Reason.BAD_SIGNATURE);
        // a valid token whose payload was swapped for another
        String good = TestKeys.rs256(RSA, claims("agent").build());
        String forged = TestKeys.rs256(RSA, claims("admin").build());
        String[] g = good.split("\\.");
        String[] f = forged.split("\\.");
        assertRefused(auth, g[0] + "." + f[1] + "." + g[2], Reason.BAD_SIGNATURE);
        // a truncated ECDSA signature is a bad signature, not an error
        String es = TestKeys.es256(EC, claims("a").build());
        assertRefused(auth, es.substring(0, es.length() - 10), Reason.BAD_SIGNATURE);
    }

    @Test
    void aRevokedJtiIsRefused() {
        Path revoked = TestKeys.write(dir.resolve("revoked.txt"), "# revoked tokens\n\njti-stolen\n  jti-lost  \n");
        JwtAuthenticator auth = auth(allKeys().revocationFile(revoked));
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").jwtID("jti-stolen").build()), Reason.REVOKED);
        assertRefused(auth, TestKeys.hs256(HMAC_SECRET, claims("a").jwtID("jti-lost").build()), Reason.REVOKED);
        assertAccepted(auth, TestKeys.rs256(RSA, claims("a").jwtID("jti-fine").build()));
        assertThat(auth.revokedIds()).containsExactlyInAnyOrder("jti-stolen", "jti-lost");
    }

    @Test
    void anOversizedTokenIsRefusedBeforeParsing() {
        JwtAuthenticator auth = auth(allKeys());
        String big = TestKeys.rs256(RSA, claims("a").claim("padding", "x".repeat(9000)).build());
        assertRefused(auth, big, Reason.OVERSIZED);
        assertThat(auth.verify(big).describe()).startsWith("OVERSIZED: oversized token: ").contains("limit is 8192");
        assertRefused(auth, "x".repeat(8193), Reason.OVERSIZED);
        // the limit is configurable
        JwtAuthenticator roomy = auth(allKeys().maxTokenBytes(16 * 1024));
        assertAccepted(roomy, big);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "a.b", "a.b.c", "a.b.c.d", "e30.e30.", "eyJhbGciOiJSUzI1NiJ9.!!!.abc",
            "eyJhbGciOiJSUzI1NiJ9 .e30.abc", "a.b.c.d.e", "..", "eyJ0eXAiOiJKV1QifQ.e30.abc"})
    void aMalformedTokenIsRefused(String token) {
        assertRefused(auth(allKeys()), token, Reason.MALFORMED);
    }

    @Test
    void malformedClaimsAreRefusedAfterTheSignatureCheck() {
        JwtAuthenticator auth = auth(allKeys());
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").subject(null).build()), Reason.MALFORMED);
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").expirationTime(null).build()), Reason.MALFORMED);
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").claim("nats", "everything").build()), Reason.MALFORMED);
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").claim("nats", Map.of("pub", Map.of("dney", List.of(">"))))
                .build()), Reason.MALFORMED);
        assertRefused(auth, TestKeys.rs256(RSA, claims("a").claim("nats", Map.of("pub", Map.of("allow", List.of("a..b"))))
                .build()), Reason.MALFORMED);
        // a payload that is not JSON, correctly signed
        String header = com.nimbusds.jose.util.Base64URL.encode("{\"alg\":\"HS256\"}").toString();
        String payload = com.nimbusds.jose.util.Base64URL.encode("not json").toString();
        com.nimbusds.jose.util.Base64URL sig;
        try {
            sig = TestKeys.macSigner(HMAC_SECRET).sign(new com.nimbusds.jose.JWSHeader(JWSAlgorithm.HS256),
                    (header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new AssertionError(e);
        }
        assertRefused(auth, header + "." + payload + "." + sig, Reason.MALFORMED);
        // without exp, when the operator allows it
        JwtAuthenticator lenient = auth(allKeys().requireExpiration(false));
        assertAccepted(lenient, TestKeys.rs256(RSA, claims("a").expirationTime(null).build()));
    }

    @Test
    void aMissingTokenIsRefused() {
        JwtAuthenticator auth = auth(allKeys());
        assertRefused(auth, null, Reason.MISSING_TOKEN);
        assertRefused(auth, "", Reason.MISSING_TOKEN);
    }

    @Test
    void anUnknownKidIsRefused() {
        RSAKey known = TestKeys.rsaJwk("k1");
        RSAKey unknown = TestKeys.rsaJwk("k2");
        JwtAuthenticator auth = auth(JwtAuthOptions.builder().key(known).clock(CLOCK).metrics(metrics));
        assertRefused(auth, sign(unknown, claims("a").build()), Reason.UNKNOWN_KEY);
        assertAccepted(auth, sign(known, claims("a").build()));
        // kid k1 but signed by k2's private key
        assertRefused(auth, TestKeys.sign(JWSAlgorithm.RS256, "k1", claims("a").build(), signer(unknown)),
                Reason.BAD_SIGNATURE);
    }

    @Test
    void aKeyWithoutKidVerifiesTokensWithAnyKid() {
        JwtAuthenticator auth = auth(allKeys());
        assertAccepted(auth, TestKeys.rs256(RSA, "some-kid", claims("a").build()));
    }

    @Test
    void embeddedKeysInTheHeaderAreIgnored() throws Exception {
        // the attacker signs with their own key and ships its public half in the "jwk" header
        RSAKey attacker = TestKeys.rsaJwk(null);
        com.nimbusds.jose.JWSHeader h = new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwk(attacker.toPublicJWK()).build();
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(h, claims("a").build());
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(attacker));
        assertRefused(auth(allKeys()), jwt.serialize(), Reason.BAD_SIGNATURE);
    }

    @Test
    void everyReasonIsReachable() {
        // the catalogue above covers each value; this guards the list itself
        assertThat(Reason.values()).extracting(Enum::name).containsExactly("MISSING_TOKEN", "MALFORMED", "OVERSIZED",
                "ALG_NONE", "ALG_NOT_ALLOWED", "BAD_SIGNATURE", "EXPIRED", "NOT_YET_VALID", "ISSUED_IN_FUTURE",
                "WRONG_ISSUER", "WRONG_AUDIENCE", "REVOKED", "UNKNOWN_KEY", "CERT_MISMATCH");
    }

    // ------------------------------------------------------------------------------------ health check

    @Nested
    class HealthCheck {
        private static final String TOKEN = "HEALTHCHECK-8b0f0e2c4a9d4f1e9c7a";

        @Test
        void theHealthCheckTokenPublishesHealthcheckSubjectsAndReceivesOnItsPrivateInboxOnly() {
            JwtAuthenticator auth = auth(allKeys().healthCheckToken(TOKEN));
            AuthResult r = auth.authenticate(client(TOKEN));
            assertThat(r.isOk()).isTrue();
            assertThat(r.user().name()).isEqualTo(JwtAuthenticator.HEALTH_CHECK_USER);
            Permissions p = r.user().permissions();
            assertThat(p.canPublish("healthcheck.abc")).isTrue();
            assertThat(p.canPublish("_INBOX.x.y")).isFalse();
            assertThat(p.canPublish("events.x")).isFalse();
            assertThat(p.canSubscribe(AgentInbox.HEALTH_CHECK_PREFIX + ".>", null)).isTrue();
            assertThat(p.canReplyTo(AgentInbox.HEALTH_CHECK_PREFIX + ".abc")).isTrue();
            assertThat(p.canReplyTo("_INBOX.agent-7.abc")).isFalse();
            assertThat(p.canSubscribe("healthcheck.abc", null)).isFalse();
            assertThat(p.canSubscribe("_INBOX.>", null)).isFalse();
            assertThat(p.canSubscribe("events.>", null)).isFalse();
            assertThat(p.canSubscribe(">", null)).isFalse();
            assertThat(metrics.healthChecks()).isEqualTo(1);
            assertThat(metrics.successes()).isZero();
        }

        @Test
        void aWrongHealthCheckTokenIsJustMalformed() {
            JwtAuthenticator auth = auth(allKeys().healthCheckToken(TOKEN));
            assertRefused(auth, TOKEN + "x", Reason.MALFORMED);
            assertRefused(auth(allKeys()), TOKEN, Reason.MALFORMED); // off unless configured
        }

        @Test
        void weakOrJwtShapedHealthCheckTokensAreRejectedByTheBuilder() {
            assertThatThrownBy(() -> allKeys().healthCheckToken("short")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 16");
            assertThatThrownBy(() -> allKeys().healthCheckToken("aaaaaaaaaa.bbbbbbbbbbbb.cccccccc"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JWT");
        }
    }

    // ------------------------------------------------------------------------------------ configuration errors

    @Test
    void configurationErrorsAreClearOneLiners() {
        assertThatThrownBy(() -> JwtAuthOptions.builder().build()).hasMessage(
                "no verification key configured (HMAC secret, public key or JWKS file)");
        assertThatThrownBy(() -> JwtAuthOptions.builder().hmacSecret(new byte[16]))
                .hasMessageContaining("HMAC secret too short: 16 bytes");
        assertThatThrownBy(() -> JwtAuthOptions.builder().publicKeyFile(dir.resolve("nope.pem")))
                .hasMessageEndingWith("nope.pem: no such file");
        Path priv = TestKeys.writePrivatePem(dir, "rsa.pem", RSA);
        assertThatThrownBy(() -> JwtAuthOptions.builder().publicKeyFile(priv))
                .hasMessageContaining("contains a private key; configure the public key only");
        Path weak = TestKeys.write(dir.resolve("weak.pem"), TestKeys.pem("PUBLIC KEY",
                rsa1024().getPublic().getEncoded()));
        assertThatThrownBy(() -> JwtAuthOptions.builder().publicKeyFile(weak).build())
                .hasMessageContaining("1024 bits, need at least 2048");
        Path garbage = TestKeys.write(dir.resolve("garbage.pem"), "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> JwtAuthOptions.builder().publicKeyFile(garbage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("garbage.pem");
        assertThatThrownBy(() -> new JwtAuthenticator(JwtAuthOptions.builder().jwksFile(dir.resolve("jwks.json")).build()))
                .hasMessageEndingWith("jwks.json: no such file");
        Path jwks = TestKeys.write(dir.resolve("bad.json"), "{\"keys\": [");
        assertThatThrownBy(() -> new JwtAuthenticator(JwtAuthOptions.builder().jwksFile(jwks).build()))
                .hasMessageContaining("invalid JWK set");
    }

    @Test
    void aJwksFileAndStaticKeysWorkTogether() {
        RSAKey k = TestKeys.rsaJwk("jwks-1");
        var ec = TestKeys.ecJwk("e").toPublicJWK();
        String encKey = "{\"kty\":\"EC\",\"use\":\"enc\",\"kid\":\"enc-1\",\"crv\":\"P-256\",\"x\":\""
                + ec.getX() + "\",\"y\":\"" + ec.getY() + "\"}";
        // an encryption key in the set is skipped, the rest is used
        Path jwks = TestKeys.write(dir.resolve("jwks.json"),
                "{\"keys\":[" + k.toPublicJWK().toJSONString() + "," + encKey + "]}");
        JwtAuthenticator auth = auth(allKeys().jwksFile(jwks));
        assertAccepted(auth, sign(k, claims("a").build()));
        assertAccepted(auth, TestKeys.hs256(HMAC_SECRET, claims("a").build()));
        assertThat(auth.acceptedAlgorithms()).contains("HS256", "RS256", "ES256", "EdDSA");
        // a set with no usable key is an error
        Path onlyEnc = TestKeys.write(dir.resolve("enc.json"), "{\"keys\":[" + encKey + "]}");
        assertThatThrownBy(() -> new JwtAuthenticator(allKeys().jwksFile(onlyEnc).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no usable signature key");
    }

    private static java.security.KeyPair rsa1024() {
        try {
            var g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static com.nimbusds.jose.JWSSigner signer(RSAKey k) {
        try {
            return new com.nimbusds.jose.crypto.RSASSASigner(k);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(RSAKey k, JWTClaimsSet claims) {
        return TestKeys.sign(JWSAlgorithm.RS256, k.getKeyID(), claims, signer(k));
    }
}
