package dev.eventbus.broker;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * TLS on the client port, as nats-server 2.9 does it: INFO in plaintext with {@code tls_required}, then the
 * server-side handshake. Immutable; build with {@link #builder(Supplier)}.
 *
 * <p>The context is a supplier so certificates can be reloaded: it is asked once per new connection, and live
 * connections keep the context they started with.
 */
public final class TlsOptions {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final Supplier<SslContext> context;
    private final Mapping<String, SslContext> sni;
    private final boolean verify;
    private final Duration timeout;

    private TlsOptions(Builder b) {
        this.context = b.context;
        this.sni = b.sni;
        this.verify = b.verify;
        this.timeout = b.timeout;
    }

    /** @param context the server context; with {@link Builder#verify(boolean)} it must require client certificates */
    public static Builder builder(Supplier<SslContext> context) { return new Builder(context); }

    public Supplier<SslContext> context() { return context; }
    /** Null unless several certificates are chosen by SNI host name. */
    public Mapping<String, SslContext> sni() { return sni; }
    /** Whether a client certificate is required and verified ({@code tls_verify} in INFO). */
    public boolean verify() { return verify; }
    /** Bound on the handshake ({@code tls_timeout}). */
    public Duration timeout() { return timeout; }

    public static final class Builder {
        private final Supplier<SslContext> context;
        private Mapping<String, SslContext> sni;
        private boolean verify;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(Supplier<SslContext> context) { this.context = Objects.requireNonNull(context, "context"); }

        /** Choose the context by the client's SNI host name; the mapping's default serves clients without SNI. */
        public Builder sni(Mapping<String, SslContext> mapping) { this.sni = mapping; return this; }

        public Builder verify(boolean verify) { this.verify = verify; return this; }

        public Builder timeout(Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("tls_timeout is " + d + " (expected: > 0)");
            this.timeout = d;
            return this;
        }

        public TlsOptions build() { return new TlsOptions(this); }
    }
}
