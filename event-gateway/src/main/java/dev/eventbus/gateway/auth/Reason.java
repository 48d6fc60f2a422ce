package dev.eventbus.gateway.auth;

/**
 * Why a connection was refused. The names are stable: they are metric label values ({@code reason="EXPIRED"}) and
 * the first word of the {@link dev.eventbus.broker.auth.AuthResult} reason the broker logs. Add values at the end;
 * never rename one.
 */
public enum Reason {
    /** No {@code auth_token} in CONNECT, or an empty one. */
    MISSING_TOKEN,
    /** Not a compact JWS, undecodable header or claims, missing {@code sub}/{@code exp}, an invalid {@code nats} claim. */
    MALFORMED,
    /** Longer than {@link JwtAuthOptions#maxTokenBytes()}; refused before any parsing. */
    OVERSIZED,
    /** {@code alg: none} (in any letter case): an unsigned token. */
    ALG_NONE,
    /** An algorithm no configured key can verify, e.g. HS256 when only RSA keys are configured. */
    ALG_NOT_ALLOWED,
    /** No configured key produced a valid signature. */
    BAD_SIGNATURE,
    /** {@code exp} is more than the clock skew in the past. */
    EXPIRED,
    /** {@code nbf} is more than the clock skew in the future. */
    NOT_YET_VALID,
    /** {@code iat} is more than the clock skew in the future. */
    ISSUED_IN_FUTURE,
    /** {@code iss} is missing or not one of the expected issuers. */
    WRONG_ISSUER,
    /** {@code aud} is missing or names none of the expected audiences. */
    WRONG_AUDIENCE,
    /** The {@code jti} is in the revocation file. */
    REVOKED,
    /** The token names a {@code kid} that no configured key of its algorithm has. */
    UNKNOWN_KEY,
    /**
     * The token is bound to a client certificate ({@code cnf} {@code x5t#S256}, RFC 8705) and the connection did not
     * present that certificate.
     */
    CERT_MISMATCH
}
