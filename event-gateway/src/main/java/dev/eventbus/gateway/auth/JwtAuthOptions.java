package dev.eventbus.gateway.auth;

import com.nimbusds.jose.jwk.JWK;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable configuration of a {@link JwtAuthenticator}. Static keys are read and checked by {@link Builder#build()};
 * the JWKS and revocation files are read by the authenticator (and re-read when they change).
 *
 * <pre>{@code
 * JwtAuthOptions opts = JwtAuthOptions.builder()
 *         .jwksFile(Path.of("/etc/event-gateway/jwks.json"))
 *         .issuer("https://automate.example.com")
 *         .audience("event-gateway")
 *         .revocationFile(Path.of("/etc/event-gateway/revoked-jti.txt"))
 *         .healthCheckToken(Files.readString(healthTokenFile).strip())
 *         .metrics(myPrometheusMetrics)
 *         .build();
 * }</pre>
 */
public final class JwtAuthOptions {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_TOKEN_BYTES = 8 * 1024;
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(1);
    /** Health-check tokens shorter than this are refused by the builder: they would be guessable. */
    public static final int MIN_HEALTH_CHECK_TOKEN_LENGTH = 16;

    private final List<JWK> keys;
    private final Path jwksFile;
    private final Set<String> issuers;
    private final Set<String> audiences;
    private final Duration clockSkew;
    private final boolean requireExpiration;
    private final Path revocationFile;
    private final int maxTokenBytes;
    private final Clock clock;
    private final String healthCheckToken;
    private final SubjectPermissions defaultPermissions;
    private final Duration reloadInterval;
    private final AuthMetrics metrics;
    private final AuthAudit audit;

    private JwtAuthOptions(Builder b) {
        keys = List.copyOf(b.keys);
        jwksFile = b.jwksFile;
        issuers = Set.copyOf(b.issuers);
        audiences = Set.copyOf(b.audiences);
        clockSkew = b.clockSkew;
        requireExpiration = b.requireExpiration;
        revocationFile = b.revocationFile;
        maxTokenBytes = b.maxTokenBytes;
        clock = b.clock;
        healthCheckToken = b.healthCheckToken;
        defaultPermissions = b.defaultPermissions;
        reloadInterval = b.reloadInterval;
        metrics = b.metrics;
        audit = b.audit;
    }

    public static Builder builder() { return new Builder(); }

    /** Static verification keys (HMAC secrets as {@code oct} JWKs, public keys), in configuration order. */
    public List<JWK> keys() { return keys; }
    /** A JWK set file, re-read when it changes; null when none. */
    public Path jwksFile() { return jwksFile; }
    /** Accepted {@code iss} values; empty means the issuer is not checked. */
    public Set<String> issuers() { return issuers; }
    /** Accepted {@code aud} values (a token must name one); empty means the audience is not checked. */
    public Set<String> audiences() { return audiences; }
    public Duration clockSkew() { return clockSkew; }
    /** Whether a token without {@code exp} is refused (as MALFORMED); true unless changed. */
    public boolean requireExpiration() { return requireExpiration; }
    /** A file of revoked {@code jti} values, one per line; null when none. */
    public Path revocationFile() { return revocationFile; }
    public int maxTokenBytes() { return maxTokenBytes; }
    public Clock clock() { return clock; }
    /** The opaque health-check token, or null when health checks are off. */
    public String healthCheckToken() { return healthCheckToken; }
    /** The permissions of a token that does not say otherwise. */
    public SubjectPermissions defaultPermissions() { return defaultPermissions; }
    /** How often, at most, the JWKS and revocation files are looked at (on authentication). */
    public Duration reloadInterval() { return reloadInterval; }
    public AuthMetrics metrics() { return metrics; }
    /** Where refusals are recorded (logged, rate-limited, and kept for /authz); null when not audited. */
    public AuthAudit audit() { return audit; }

    @Override
    public String toString() {
        return "JwtAuthOptions[keys=" + keys.size() + ", jwksFile=" + jwksFile + ", issuers=" + issuers
                + ", audiences=" + audiences + ", clockSkew=" + clockSkew + ", requireExpiration=" + requireExpiration
                + ", revocationFile=" + revocationFile + ", maxTokenBytes=" + maxTokenBytes
                + ", healthCheck=" + (healthCheckToken != null) + ", defaultPermissions=" + defaultPermissions + "]";
    }

    public static final class Builder {
        private final List<JWK> keys = new ArrayList<>();
        private Path jwksFile;
        private final Set<String> issuers = new LinkedHashSet<>();
        private final Set<String> audiences = new LinkedHashSet<>();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private boolean requireExpiration = true;
        private Path revocationFile;
        private int maxTokenBytes = DEFAULT_MAX_TOKEN_BYTES;
        private Clock clock = Clock.systemUTC();
        private String healthCheckToken;
        private SubjectPermissions defaultPermissions = SubjectPermissions.DEFAULT;
        private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
        private AuthMetrics metrics = AuthMetrics.NONE;
        private AuthAudit audit;

        private Builder() {}

        /** An HS256 secret (HS384/HS512 too when it is at least 48/64 bytes); at least 32 bytes. */
        public Builder hmacSecret(byte[] secret) {
            keys.add(KeyFiles.hmacKey(Objects.requireNonNull(secret, "secret").clone()));
            return this;
        }

        /** An HMAC secret file: its raw bytes, trailing CR/LF removed. */
        public Builder hmacSecretFile(Path file) {
            List<JWK> k = KeyFiles.readVerificationKeys(file, false);
            if (k.size() != 1 || !(k.get(0) instanceof com.nimbusds.jose.jwk.OctetSequenceKey)) {
                throw new IllegalArgumentException(file + ": not an HMAC secret file (it looks like "
                        + KeyFiles.kind(KeyFiles.read(file)) + ")");
            }
            keys.addAll(k);
            return this;
        }

        /** An RSA (at least 2048 bits), EC (P-256/384/521) or Ed25519 public key. */
        public Builder publicKey(PublicKey key) { return publicKey(key, null); }

        /** As {@link #publicKey(PublicKey)}, used only for tokens without a {@code kid} or with this one. */
        public Builder publicKey(PublicKey key, String kid) {
            keys.add(KeyFiles.publicJwk(Objects.requireNonNull(key, "key"), kid));
            return this;
        }

        /** PEM public keys or certificates (every key in the file is added). Private keys are refused. */
        public Builder publicKeyFile(Path file) {
            List<JWK> k = KeyFiles.readVerificationKeys(file, false);
            if (k.stream().anyMatch(j -> j instanceof com.nimbusds.jose.jwk.OctetSequenceKey)) {
                throw new IllegalArgumentException(file + ": not a PEM public key (use hmacSecretFile for a secret)");
            }
            keys.addAll(k);
            return this;
        }

        /** A key as a JWK; private parts of asymmetric keys are dropped. */
        public Builder key(JWK jwk) {
            Objects.requireNonNull(jwk, "jwk");
            keys.add(jwk instanceof com.nimbusds.jose.jwk.OctetSequenceKey ? jwk : jwk.toPublicJWK());
            return this;
        }

        /** A JWK set file ({@code {"keys": [...]}}), re-read when it changes. */
        public Builder jwksFile(Path file) { jwksFile = Objects.requireNonNull(file, "file"); return this; }

        /** Accepted issuers; repeatable. Unset: {@code iss} is not checked. */
        public Builder issuer(String... accepted) { issuers.addAll(nonBlank(accepted, "issuer")); return this; }

        /** Accepted audiences; repeatable. Unset: {@code aud} is not checked. */
        public Builder audience(String... accepted) { audiences.addAll(nonBlank(accepted, "audience")); return this; }

        /** Tolerance for exp/nbf/iat against clocks that disagree; default 60 s. */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative()) throw new IllegalArgumentException("clock skew must not be negative");
            clockSkew = skew;
            return this;
        }

        public Builder requireExpiration(boolean require) { requireExpiration = require; return this; }

        /** A file of revoked {@code jti}s, one per line ({@code #} starts a comment line), re-read when it changes. */
        public Builder revocationFile(Path file) { revocationFile = Objects.requireNonNull(file, "file"); return this; }

        /** Longer tokens are refused as OVERSIZED before any parsing; default 8 KiB. */
        public Builder maxTokenBytes(int max) {
            if (max < 64) throw new IllegalArgumentException("max token size must be at least 64 bytes");
            maxTokenBytes = max;
            return this;
        }

        /** The clock exp/nbf/iat are checked against (tests use a fixed one). */
        public Builder clock(Clock c) { clock = Objects.requireNonNull(c, "clock"); return this; }

        /**
         * An opaque token that authenticates the health-check identity ({@link JwtAuthenticator#HEALTH_CHECK_USER},
         * {@link SubjectPermissions#HEALTH_CHECK}: publish {@code healthcheck.>}, receive on its private inbox).
         * Null turns health checks off.
         */
        public Builder healthCheckToken(String token) {
            if (token != null && token.length() < MIN_HEALTH_CHECK_TOKEN_LENGTH) {
                throw new IllegalArgumentException("health-check token must be at least "
                        + MIN_HEALTH_CHECK_TOKEN_LENGTH + " characters");
            }
            if (token != null && token.chars().filter(c -> c == '.').count() == 2) {
                throw new IllegalArgumentException("health-check token must not look like a JWT");
            }
            healthCheckToken = token;
            return this;
        }

        public Builder defaultPermissions(SubjectPermissions p) {
            defaultPermissions = Objects.requireNonNull(p, "permissions");
            return this;
        }

        /** How often, at most, watched files are looked at; default 1 s. */
        public Builder reloadInterval(Duration interval) {
            if (interval.isNegative()) throw new IllegalArgumentException("reload interval must not be negative");
            reloadInterval = interval;
            return this;
        }

        public Builder metrics(AuthMetrics m) { metrics = Objects.requireNonNull(m, "metrics"); return this; }

        /** Records every refusal with agent, reason and address; default none (the broker still logs each one). */
        public Builder audit(AuthAudit a) { audit = a; return this; }

        /** @throws IllegalArgumentException when no key source is configured or a key is unusable */
        public JwtAuthOptions build() {
            if (keys.isEmpty() && jwksFile == null) {
                throw new IllegalArgumentException("no verification key configured (HMAC secret, public key or JWKS file)");
            }
            for (JWK k : keys) VerificationKey.of(k); // fail now, with the key named, rather than on first use
            return new JwtAuthOptions(this);
        }

        private static List<String> nonBlank(String[] values, String what) {
            for (String v : values) {
                if (v == null || v.isBlank()) throw new IllegalArgumentException(what + " must not be blank");
            }
            return List.of(values);
        }
    }
}
