package dev.eventbus.gateway.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eventbus.broker.auth.User;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last step of {@link JwtAuthenticator#verify}, on a token whose signature verified: the claims' shape
 * ({@code sub}, {@code nats} permissions, {@code cnf}, NumericDates), then {@code exp}, {@code nbf}, {@code iat}
 * with the clock skew, {@code iss}, {@code aud}, the revocation list and the certificate binding. From here on the
 * claims are the issuer's, so refusals name the agent.
 */
final class TokenClaims {
    /** NumericDate bounds: 0000-01-01 and 9999-12-31T23:59:59Z, in epoch seconds. */
    private static final double MIN_NUMERIC_DATE = -62167219200d;
    private static final double MAX_NUMERIC_DATE = 253402300799d;

    private TokenClaims() {}

    static TokenVerification check(SignedJWT jwt, JwtAuthOptions options, Set<String> revoked,
                                   List<X509Certificate> peerCertificates) {
        JWTClaimsSet claims;
        Map<String, Object> raw;
        try {
            claims = jwt.getJWTClaimsSet();
            raw = jwt.getPayload().toJSONObject();
        } catch (ParseException e) {
            return TokenVerification.refused(Reason.MALFORMED, "invalid claims: " + TokenText.oneLine(e.getMessage()));
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
                    + TokenText.quoted(claims.getIssuer()) + ", expected " + TokenText.sorted(options.issuers()));
        }
        if (!options.audiences().isEmpty()
                && (claims.getAudience() == null || Collections.disjoint(claims.getAudience(), options.audiences()))) {
            return TokenVerification.refused(Reason.WRONG_AUDIENCE, sub, who + " has aud "
                    + SubjectPermissions.printable(String.valueOf(claims.getAudience())) + ", expected one of "
                    + TokenText.sorted(options.audiences()));
        }
        String jti = claims.getJWTID();
        if (jti != null && revoked.contains(jti)) {
            return TokenVerification.refused(Reason.REVOKED, sub, who + " has revoked jti " + TokenText.quoted(jti));
        }
        if (boundTo != null) {
            String mismatch = CertificateBinding.mismatch(boundTo, peerCertificates);
            if (mismatch != null) return TokenVerification.refused(Reason.CERT_MISMATCH, sub, who + " " + mismatch);
        }
        // the broker closes the connection when the gateway would stop accepting the token: exp plus the skew
        User user = new User(sub, permissions.toPermissions(), exp == null ? null : exp.plus(skew), jti);
        return TokenVerification.accepted(claims, user,
                who + (jti == null ? "" : " (jti " + TokenText.quoted(jti) + ")") + (boundTo == null ? "" : ", certificate-bound")
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
}
