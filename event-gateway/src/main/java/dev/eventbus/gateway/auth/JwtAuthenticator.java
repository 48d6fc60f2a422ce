package dev.eventbus.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eventbus.broker.auth.AuthResult;
import dev.eventbus.broker.auth.Authenticator;
import dev.eventbus.broker.auth.ClientAuthentication;
import dev.eventbus.broker.auth.User;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates NATS clients by a JWT sent as the CONNECT {@code auth_token}.
 *
 * <p>Checks, in this order (the first failure is the {@link Reason}): present ({@code MISSING_TOKEN}), at most
 * {@link JwtAuthOptions#maxTokenBytes()} ({@code OVERSIZED}), the health-check token; then three steps, each in its
 * own class:
 * <ol>
 *   <li>{@link TokenSyntax}: compact-JWS syntax ({@code MALFORMED}), {@code alg} not {@code none} ({@code ALG_NONE});
 *   <li>{@link TokenSignature}: {@code alg} verifiable by a configured key type ({@code ALG_NOT_ALLOWED}), a key with
 *       the token's {@code kid} ({@code UNKNOWN_KEY}), the signature ({@code BAD_SIGNATURE});
 *   <li>{@link TokenClaims}: the claims' shape ({@code MALFORMED}: {@code sub}, {@code exp}, {@code nats}), then
 *       {@code exp}, {@code nbf}, {@code iat} with the clock skew, {@code iss}, {@code aud}, the revocation list and
 *       the certificate binding.
 * </ol>
 *
 * <p>Keys embedded in or referenced by the token ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are never
 * used. Thread-safe; runs on the broker's event loop, where it costs one signature check plus, at most once per
 * reload interval, a stat of the JWKS and revocation files.
 */
public final class JwtAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);

    /** The {@code authorized_user} of the health-check identity (the name Chef Automate's event-gateway uses). */
    public static final String HEALTH_CHECK_USER = "health_check_client";

    private final JwtAuthOptions options;
    private final List<VerificationKey> staticKeys;
    private final KeySet staticKeySet;
    private final WatchedFile<KeySet> jwks;
    private final WatchedFile<Set<String>> revoked;
    private final byte[] healthCheckToken;
    private final User healthCheckUser;
    private final AuthMetrics metrics;
    private final AuthAudit audit;

    /** Every key that may verify a token, and the union of their algorithms. */
    private record KeySet(List<VerificationKey> keys, Set<JWSAlgorithm> algorithms) {
        static KeySet of(List<VerificationKey> keys) {
            Set<JWSAlgorithm> algs = new HashSet<>();
            keys.forEach(k -> algs.addAll(k.algorithms()));
            return new KeySet(List.copyOf(keys), Set.copyOf(algs));
        }
    }

    /**
     * Reads the JWKS and revocation files.
     *
     * @throws IllegalArgumentException when a file is missing or unusable (the message names it)
     */
    public JwtAuthenticator(JwtAuthOptions options) {
        this.options = options;
        this.metrics = options.metrics();
        this.audit = options.audit();
        List<VerificationKey> keys = new ArrayList<>();
        for (JWK k : options.keys()) keys.add(VerificationKey.of(k));
        this.staticKeys = List.copyOf(keys);
        this.staticKeySet = KeySet.of(staticKeys);
        this.jwks = options.jwksFile() == null ? null
                : new WatchedFile<>("JWKS file", options.jwksFile(), this::parseJwks, options.reloadInterval(), metrics);
        this.revoked = options.revocationFile() == null ? null
                : new WatchedFile<>("revocation file", options.revocationFile(), JwtAuthenticator::parseRevocations,
                        options.reloadInterval(), metrics);
        this.healthCheckToken = options.healthCheckToken() == null ? null
                : options.healthCheckToken().getBytes(StandardCharsets.UTF_8);
        this.healthCheckUser = new User(HEALTH_CHECK_USER, SubjectPermissions.HEALTH_CHECK.toPermissions());
        if (options.issuers().isEmpty()) log.warn("JWT authentication: no issuer configured, iss is not checked");
        if (options.audiences().isEmpty()) log.warn("JWT authentication: no audience configured, aud is not checked");
        log.info("JWT authentication: {} static key(s){}{}, algorithms {}", staticKeys.size(),
                jwks == null ? "" : ", JWKS " + jwks.path(), revoked == null ? "" : ", revocations " + revoked.path(),
                TokenText.names(keySet().algorithms()));
    }

    public JwtAuthOptions options() { return options; }

    @Override
    public AuthResult authenticate(ClientAuthentication client) {
        TokenVerification v = verify(client.connectOptions().authToken(), client.peerCertificates());
        try {
            if (!v.ok()) {
                metrics.failure(v.reason());
                if (audit != null) {
                    audit.record(AuthAudit.Kind.REFUSED, v.agent(), v.reason().name(), client.remoteAddress(), v.detail());
                }
            } else if (v.user() == healthCheckUser) {
                metrics.healthCheck();
            } else {
                metrics.success();
                if (audit != null) audit.connected(client.remoteAddress(), v.agent());
            }
        } catch (RuntimeException e) {
            log.warn("auth metrics listener failed", e);
        }
        if (v.ok()) {
            log.debug("{}: {}", client.remoteAddress(), v.detail());
            return AuthResult.ok(v.user());
        }
        return AuthResult.denied(v.describe());
    }

    /** Checks a token as {@link #authenticate} does on a connection without a client certificate, without counting it. */
    public TokenVerification verify(String token) { return verify(token, List.of()); }

    /**
     * Checks a token exactly as {@link #authenticate} does, without counting it.
     *
     * @param peerCertificates the client's verified chain, leaf first (empty when none): a certificate-bound token
     *                         ({@code cnf} {@code x5t#S256}) is accepted only with its certificate
     */
    public TokenVerification verify(String token, List<X509Certificate> peerCertificates) {
        if (token == null || token.isEmpty()) return TokenVerification.refused(Reason.MISSING_TOKEN, "no auth_token in CONNECT");
        if (token.length() > options.maxTokenBytes()) {
            return TokenVerification.refused(Reason.OVERSIZED, "oversized token: " + token.length()
                    + " bytes, the limit is " + options.maxTokenBytes());
        }
        if (healthCheckToken != null
                && MessageDigest.isEqual(healthCheckToken, token.getBytes(StandardCharsets.UTF_8))) {
            return TokenVerification.accepted(null, healthCheckUser, "health-check token");
        }
        Checked<String> alg = TokenSyntax.alg(token);
        if (!alg.ok()) return alg.refusal();
        KeySet keys = keySet();
        Checked<SignedJWT> jwt = TokenSignature.verify(token, alg.value(), keys.keys(), keys.algorithms());
        if (!jwt.ok()) return jwt.refusal();
        return TokenClaims.check(jwt.value(), options, revokedIds(), peerCertificates);
    }

    /**
     * Looks at the JWKS and revocation files now, whatever the reload interval (e.g. on SIGHUP).
     *
     * @return true when either was reloaded
     */
    public boolean reload() {
        boolean changed = false;
        if (jwks != null) changed |= jwks.check();
        if (revoked != null) changed |= revoked.check();
        return changed;
    }

    /** The jti values currently revoked (empty without a revocation file). */
    public Set<String> revokedIds() { return revoked == null ? Set.of() : revoked.get(); }

    /** The algorithms currently accepted (from the static keys and the current JWKS). */
    public Set<String> acceptedAlgorithms() { return TokenText.names(keySet().algorithms()); }

    private KeySet keySet() { return jwks == null ? staticKeySet : jwks.get(); }

    private KeySet parseJwks(byte[] content) {
        JWKSet set;
        try {
            set = JWKSet.parse(TokenText.utf8(content));
        } catch (ParseException | CharacterCodingException e) {
            throw new IllegalArgumentException("invalid JWK set: " + TokenText.oneLine(e.getMessage()));
        }
        List<VerificationKey> keys = new ArrayList<>(staticKeys);
        int usable = 0;
        for (JWK k : set.getKeys()) {
            try {
                keys.add(VerificationKey.of(k));
                usable++;
            } catch (IllegalArgumentException e) {
                log.warn("JWKS file {}: skipping {}", options.jwksFile(), e.getMessage());
            }
        }
        if (usable == 0) throw new IllegalArgumentException("no usable signature key in the JWK set");
        return KeySet.of(keys);
    }

    private static Set<String> parseRevocations(byte[] content) {
        String text;
        try {
            text = TokenText.utf8(content);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8 text");
        }
        Set<String> ids = new HashSet<>();
        for (String line : text.split("\r?\n")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) ids.add(s);
        }
        return Set.copyOf(ids);
    }
}
