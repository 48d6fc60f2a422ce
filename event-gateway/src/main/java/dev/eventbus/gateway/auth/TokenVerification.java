package dev.eventbus.gateway.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.eventbus.broker.auth.User;

/**
 * The outcome of {@link JwtAuthenticator#verify(String)}: the verified claims and the broker user, or the refusal
 * reason with a detail for logs.
 *
 * @param reason null when accepted
 * @param detail human-readable; never contains the token, and only claims that passed the signature check
 * @param claims the verified claims; null when refused, and for the health-check token (which is not a JWT)
 * @param user   the broker identity; null when refused
 * @param agent  the token's {@code sub} once the signature verified (also when refused afterwards, e.g. EXPIRED);
 *               null before, since an unverified {@code sub} is whatever the sender wrote
 */
public record TokenVerification(Reason reason, String detail, JWTClaimsSet claims, User user, String agent) {
    static TokenVerification accepted(JWTClaimsSet claims, User user, String detail) {
        return new TokenVerification(null, detail, claims, user, user.name());
    }

    static TokenVerification refused(Reason reason, String detail) {
        return new TokenVerification(reason, detail, null, null, null);
    }

    /** A refusal of a token whose signature verified: the agent is known. */
    static TokenVerification refused(Reason reason, String agent, String detail) {
        return new TokenVerification(reason, detail, null, null, agent);
    }

    public boolean ok() { return reason == null; }

    /** {@code "EXPIRED: token of agent-7 expired at …"}: the enum name first, so logs can be grepped and parsed. */
    public String describe() {
        return ok() ? "OK: " + detail : reason.name() + ": " + detail;
    }
}
