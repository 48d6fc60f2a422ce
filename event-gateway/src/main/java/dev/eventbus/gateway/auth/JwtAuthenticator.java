package dev.eventbus.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eventbus.broker.auth.AuthResult;
import dev.eventbus.broker.auth.Authenticator;
import dev.eventbus.broker.auth.ClientAuthentication;
import dev.eventbus.broker.auth.User;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates NATS clients by a JWT sent as the CONNECT {@code auth_token}.
 *
 * <p>Checks, in this order (the first failure is the {@link Reason}): present ({@code MISSING_TOKEN}), at most
 * {@link JwtAuthOptions#maxTokenBytes()} ({@code OVERSIZED}), the health-check token, compact-JWS syntax
 * ({@code MALFORMED}), {@code alg} not {@code none} ({@code ALG_NONE}) and verifiable by a configured key type
 * ({@code ALG_NOT_ALLOWED}), a key with the token's {@code kid} ({@code UNKNOWN_KEY}), the signature
 * ({@code BAD_SIGNATURE}), the claims' shape ({@code MALFORMED}: {@code sub}, {@code exp}, {@code nats}), then
 * {@code exp}, {@code nbf}, {@code iat} with the clock skew, {@code iss}, {@code aud}, and the revocation list.
 *
 * <p>Keys embedded in or referenced by the token ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are never
 * used. Thread-safe; runs on the broker's event loop, where it costs one signature check plus, at most once per
 * reload interval, a stat of the JWKS and revocation files.
 */
public final class JwtAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);

    /** The {@code authorized_user} of the health-check identity (the name Chef Automate's event-gateway uses). */
    public static final String HEALTH_CHECK_USER = "health_check_client";

    /** NumericDate bounds: 0000-01-01 and 9999-12-31T23:59:59Z, in epoch seconds. */
    private static final double MIN_NUMERIC_DATE = -62167219200d;
    private static final double MAX_NUMERIC_DATE = 253402300799d;

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
                names(keySet().algorithms()));
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
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') dots++;
            else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return TokenVerification.refused(Reason.MALFORMED, "not a JWT: character outside base64url at " + i);
            }
        }
        if (dots == 4) return TokenVerification.refused(Reason.MALFORMED, "encrypted JWTs (JWE) are not accepted");
        if (dots != 2) return TokenVerification.refused(Reason.MALFORMED, "not a JWT: " + (dots + 1) + " parts, not 3");

        // the algorithm first, from the raw header: Nimbus would not even parse alg=none as a JWS
        String alg;
        try {
            Map<String, Object> header = JSONObjectUtils.parse(
                    utf8(new Base64URL(token.substring(0, token.indexOf('.'))).decode()));
            Object a = header.get("alg");
            if (!(a instanceof String s) || s.isEmpty()) {
                return TokenVerification.refused(Reason.MALFORMED, "no alg in the JWT header");
            }
            alg = s;
        } catch (ParseException | CharacterCodingException | RuntimeException e) {
            return TokenVerification.refused(Reason.MALFORMED, "undecodable JWT header");
        }
        if (alg.equalsIgnoreCase("none")) return TokenVerification.refused(Reason.ALG_NONE, "unsigned token (alg none)");
        KeySet keys = keySet();
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        if (!keys.algorithms().contains(algorithm)) {
            return TokenVerification.refused(Reason.ALG_NOT_ALLOWED, "alg " + SubjectPermissions.printable(alg)
                    + " is not accepted (the configured keys verify " + names(keys.algorithms()) + ")");
        }

        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            return TokenVerification.refused(Reason.MALFORMED, "invalid JWS: " + oneLine(e.getMessage()));
        }
        JWSHeader header = jwt.getHeader();
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return TokenVerification.refused(Reason.MALFORMED, "unsupported critical header parameters "
                    + SubjectPermissions.printable(String.valueOf(header.getCriticalParams())));
        }
        String kid = header.getKeyID();
        List<VerificationKey> candidates = new ArrayList<>(2);
        for (VerificationKey k : keys.keys()) {
            if (k.algorithms().contains(algorithm) && (kid == null || k.kid() == null || kid.equals(k.kid()))) {
                candidates.add(k);
            }
        }
        if (candidates.isEmpty()) {
            return TokenVerification.refused(Reason.UNKNOWN_KEY, "no " + algorithm + " key with kid " + quoted(kid));
        }
        byte[] signingInput = jwt.getSigningInput();
        boolean verified = false;
        for (VerificationKey k : candidates) {
            if (k.verify(header, signingInput, jwt.getSignature())) {
                verified = true;
                break;
            }
        }
        if (!verified) {
            return TokenVerification.refused(Reason.BAD_SIGNATURE, algorithm + " signature does not verify with "
                    + (candidates.size() == 1 ? "the " + candidates.get(0).description() + " key"
                    : "any of " + candidates.size() + " keys"));
        }

        // from here on the claims are the issuer's
        JWTClaimsSet claims;
        Map<String, Object> raw;
        try {
            claims = jwt.getJWTClaimsSet();
            raw = jwt.getPayload().toJSONObject();
        } catch (ParseException e) {
            return TokenVerification.refused(Reason.MALFORMED, "invalid claims: " + oneLine(e.getMessage()));
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) return TokenVerification.refused(Reason.MALFORMED, "no sub claim");
        String who = "token of " + SubjectPermissions.printable(sub);
        SubjectPermissions permissions;
        String boundTo;
        Instant exp;
        Instant nbf;
        Instant iat;
        try {
            permissions = SubjectPermissions.fromClaim(claims.getClaim(SubjectPermissions.CLAIM),
                    options.defaultPermissions()).forAgent(sub);
            boundTo = CertificateBinding.boundThumbprint(claims.getClaim(CertificateBinding.CLAIM));
            exp = numericDate(raw, "exp");
            nbf = numericDate(raw, "nbf");
            iat = numericDate(raw, "iat");
        } catch (IllegalArgumentException e) {
            return TokenVerification.refused(Reason.MALFORMED, sub, who + ": " + e.getMessage());
        }

        Instant now = options.clock().instant();
        Duration skew = options.clockSkew();
        if (exp == null && options.requireExpiration()) {
            return TokenVerification.refused(Reason.MALFORMED, sub, who + " has no exp claim");
        }
        if (exp != null && !now.isBefore(exp.plus(skew))) {
            return TokenVerification.refused(Reason.EXPIRED, sub, who + " expired at " + exp + " (now " + now
                    + ", skew " + skew.toSeconds() + "s)");
        }
        if (nbf != null && now.plus(skew).isBefore(nbf)) {
            return TokenVerification.refused(Reason.NOT_YET_VALID, sub, who + " is not valid before " + nbf
                    + " (now " + now + ", skew " + skew.toSeconds() + "s)");
        }
        if (iat != null && now.plus(skew).isBefore(iat)) {
            return TokenVerification.refused(Reason.ISSUED_IN_FUTURE, sub, who + " was issued at " + iat
                    + ", in the future (now " + now + ", skew " + skew.toSeconds() + "s)");
        }
        if (!options.issuers().isEmpty() && (claims.getIssuer() == null || !options.issuers().contains(claims.getIssuer()))) {
            return TokenVerification.refused(Reason.WRONG_ISSUER, sub, who + " has iss "
                    + quoted(claims.getIssuer()) + ", expected " + sorted(options.issuers()));
        }
        if (!options.audiences().isEmpty()
                && (claims.getAudience() == null || Collections.disjoint(claims.getAudience(), options.audiences()))) {
            return TokenVerification.refused(Reason.WRONG_AUDIENCE, sub, who + " has aud "
                    + SubjectPermissions.printable(String.valueOf(claims.getAudience())) + ", expected one of "
                    + sorted(options.audiences()));
        }
        String jti = claims.getJWTID();
        if (revoked != null && jti != null && revoked.get().contains(jti)) {
            return TokenVerification.refused(Reason.REVOKED, sub, who + " has revoked jti " + quoted(jti));
        }
        if (boundTo != null) {
            String mismatch = CertificateBinding.mismatch(boundTo, peerCertificates);
            if (mismatch != null) return TokenVerification.refused(Reason.CERT_MISMATCH, sub, who + " " + mismatch);
        }
        // the broker closes the connection when the gateway would stop accepting the token: exp plus the skew
        User user = new User(sub, permissions.toPermissions(), exp == null ? null : exp.plus(skew), jti);
        return TokenVerification.accepted(claims, user,
                who + (jti == null ? "" : " (jti " + quoted(jti) + ")") + (boundTo == null ? "" : ", certificate-bound")
                        + " accepted");
    }

    /** NumericDate seconds (RFC 7519 §2) within years 0000-9999, or null when the claim is absent. */
    private static Instant numericDate(Map<String, Object> claims, String name) {
        Object v = claims.get(name);
        if (v == null) return null;
        // Nimbus multiplies by 1000 in a long, so 1e30 or 2^63 would wrap into the past: refuse them instead
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d) && d >= MIN_NUMERIC_DATE && d <= MAX_NUMERIC_DATE) {
                return Instant.ofEpochSecond((long) Math.floor(d), (long) ((d - Math.floor(d)) * 1e9));
            }
            throw new IllegalArgumentException(name + " " + SubjectPermissions.printable(String.valueOf(v))
                    + " is out of range (NumericDate seconds up to year 9999)");
        }
        throw new IllegalArgumentException(name + " must be a number (NumericDate seconds)");
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
    public Set<String> acceptedAlgorithms() { return names(keySet().algorithms()); }

    private KeySet keySet() { return jwks == null ? staticKeySet : jwks.get(); }

    private KeySet parseJwks(byte[] content) {
        JWKSet set;
        try {
            set = JWKSet.parse(utf8(content));
        } catch (ParseException | CharacterCodingException e) {
            throw new IllegalArgumentException("invalid JWK set: " + oneLine(e.getMessage()));
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
            text = utf8(content);
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

    private static String utf8(byte[] b) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    }

    private static Set<String> names(Set<JWSAlgorithm> algs) {
        Set<String> n = new TreeSet<>();
        algs.forEach(a -> n.add(a.getName()));
        return Collections.unmodifiableSet(n);
    }

    private static Set<String> sorted(Set<String> s) { return new TreeSet<>(s); }

    private static String quoted(String s) { return s == null ? "(none)" : "\"" + SubjectPermissions.printable(s) + "\""; }

    private static String oneLine(String s) { return s == null ? "" : SubjectPermissions.printable(s, 200); }
}
