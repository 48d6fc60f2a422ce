package dev.eventbus.gateway.auth;

import static dev.eventbus.gateway.auth.TestKeys.CLOCK;
import static dev.eventbus.gateway.auth.TestKeys.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JWKS and revocation files are re-read when they change, at most once per reload interval. */
class ReloadTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final RSAKey K1 = TestKeys.rsaJwk("k1");
    private static final RSAKey K2 = TestKeys.rsaJwk("k2");

    @TempDir Path dir;
    private final CountingAuthMetrics metrics = new CountingAuthMetrics();

    private static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    private static String token(RSAKey k, String jti) {
        return JwtAuthenticatorTest.sign(k, claims("agent").jwtID(jti).build());
    }

    private static Reason reason(JwtAuthenticator auth, String token) { return auth.verify(token).reason(); }

    /** Replaces the file the way deployment tools do: write a temporary file, rename it over. */
    private static void replace(Path file, String content) throws Exception {
        Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aRotatedJwksIsPickedUpWithinAboutASecond() throws Exception {
        Path file = TestKeys.write(dir.resolve("jwks.json"), jwks(K1));
        JwtAuthenticator auth = new JwtAuthenticator(JwtAuthOptions.builder().jwksFile(file).clock(CLOCK)
                .metrics(metrics).build()); // default interval: 1 s
        assertThat(reason(auth, token(K1, "a"))).isNull();
        assertThat(reason(auth, token(K2, "b"))).isEqualTo(Reason.UNKNOWN_KEY);

        replace(file, jwks(K1, K2));
        await().atMost(WAIT).until(() -> reason(auth, token(K2, "b")) == null);
        assertThat(metrics.reloads()).isEqualTo(1);

        // rotated out: in-place rewrite this time
        Files.writeString(file, jwks(K2));
        await().atMost(WAIT).until(() -> reason(auth, token(K1, "a")) == Reason.UNKNOWN_KEY);
        assertThat(reason(auth, token(K2, "b"))).isNull();
    }

    @Test
    void aBrokenJwksKeepsTheOldKeysAndTheFixedFileIsLoaded() throws Exception {
        Path file = TestKeys.write(dir.resolve("jwks.json"), jwks(K1));
        JwtAuthenticator auth = new JwtAuthenticator(JwtAuthOptions.builder().jwksFile(file).clock(CLOCK)
                .reloadInterval(Duration.ZERO).metrics(metrics).build());

        replace(file, "{\"keys\": [ {\"kty\": \"RSA\", ");  // a half-written file
        assertThat(auth.reload()).isFalse();
        assertThat(metrics.reloadFailures()).isEqualTo(1);
        assertThat(reason(auth, token(K1, "a"))).isNull();
        assertThat(reason(auth, token(K1, "a"))).isNull();
        assertThat(metrics.reloadFailures()).as("one report per problem, not per check").isEqualTo(1);

        Files.delete(file);
        assertThat(reason(auth, token(K1, "a"))).isNull();
        assertThat(metrics.reloadFailures()).isEqualTo(2);

        replace(file, jwks(K2));
        assertThat(reason(auth, token(K2, "b"))).isNull();
        assertThat(reason(auth, token(K1, "a"))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(metrics.reloads()).isEqualTo(1);
    }

    @Test
    void filesAreLookedAtAtMostOncePerInterval() throws Exception {
        Path file = TestKeys.write(dir.resolve("jwks.json"), jwks(K1));
        JwtAuthenticator auth = new JwtAuthenticator(JwtAuthOptions.builder().jwksFile(file).clock(CLOCK)
                .reloadInterval(Duration.ofHours(1)).build());
        replace(file, jwks(K2));
        // within the interval the old keys stay, however many authentications come
        for (int i = 0; i < 5; i++) assertThat(reason(auth, token(K2, "b"))).isEqualTo(Reason.UNKNOWN_KEY);
        // an explicit reload (e.g. SIGHUP) does not wait
        assertThat(auth.reload()).isTrue();
        assertThat(reason(auth, token(K2, "b"))).isNull();
        assertThat(auth.reload()).isFalse();
    }

    @Test
    void aSameSizeRewriteWithTheSameMtimeIsStillNoticed() throws Exception {
        Path file = TestKeys.write(dir.resolve("revoked.txt"), "jti-aaaa\n");
        FileTime mtime = Files.getLastModifiedTime(file);
        JwtAuthenticator auth = new JwtAuthenticator(JwtAuthOptions.builder().jwksFile(
                TestKeys.write(dir.resolve("jwks.json"), jwks(K1))).revocationFile(file).clock(CLOCK)
                .reloadInterval(Duration.ofHours(1)).build());
        assertThat(reason(auth, token(K1, "jti-bbbb"))).isNull();
        Files.writeString(file, "jti-bbbb\n");
        Files.setLastModifiedTime(file, mtime);
        assertThat(auth.reload()).isTrue();
        assertThat(reason(auth, token(K1, "jti-bbbb"))).isEqualTo(Reason.REVOKED);
        assertThat(reason(auth, token(K1, "jti-aaaa"))).isNull();
    }

    @Test
    void aRevocationIsEnforcedWithinAboutASecondAndCanBeLifted() throws Exception {
        Path file = TestKeys.write(dir.resolve("revoked.txt"), "# none yet\n");
        JwtAuthenticator auth = new JwtAuthenticator(JwtAuthOptions.builder().publicKey(K1.toRSAPublicKey(), "k1")
                .revocationFile(file).clock(CLOCK).metrics(metrics).build());
        String t = token(K1, "jti-7");
        assertThat(reason(auth, t)).isNull();

        Files.writeString(file, "# stolen laptop\njti-7\n");
        await().atMost(WAIT).until(() -> reason(auth, t) == Reason.REVOKED);
        assertThat(auth.revokedIds()).containsExactly("jti-7");

        Files.writeString(file, "");
        await().atMost(WAIT).until(() -> reason(auth, t) == null);
        assertThat(metrics.reloads()).isEqualTo(2);
    }

    @Test
    void aMissingRevocationFileKeepsTheLastList() throws Exception {
        Path file = TestKeys.write(dir.resolve("revoked.txt"), "jti-7\n");
        JwtAuthenticator auth = new JwtAuthenticator(JwtAuthOptions.builder().publicKey(K1.toRSAPublicKey())
                .revocationFile(file).clock(CLOCK).reloadInterval(Duration.ZERO).metrics(metrics).build());
        Files.delete(file);
        assertThat(reason(auth, token(K1, "jti-7"))).isEqualTo(Reason.REVOKED);
        assertThat(metrics.reloadFailures()).isEqualTo(1);
    }
}
