package dev.eventbus.certs;

import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Several server certificates on one port, chosen by the host name the client sends as SNI.
 *
 * <p>Host names match exactly or through a leading wildcard ({@code *.example.com} matches {@code a.example.com},
 * not {@code example.com} nor {@code a.b.example.com}), case-insensitively. A client that sends no SNI, or a name that
 * matches nothing, gets the default context.
 *
 * <p>Contexts are suppliers, so a {@link ReloadingSslContext} can stand behind each name and reload on its own; plain
 * {@link SslContext}s work too. Use it as a Netty {@link Mapping} (the broker's {@code TlsOptions.sni(...)}) or put
 * {@link #newHandler()} first in a child pipeline: the {@link SniHandler} replaces itself with the chosen context's
 * {@code SslHandler}.
 */
public final class SniMapping implements Mapping<String, SslContext> {
    private final Mapping<String, Supplier<SslContext>> mapping;
    private final List<String> hostnames;

    private SniMapping(Mapping<String, Supplier<SslContext>> mapping, List<String> hostnames) {
        this.mapping = mapping;
        this.hostnames = List.copyOf(hostnames);
    }

    public static Builder builder(SslContext defaultContext) {
        Objects.requireNonNull(defaultContext, "defaultContext");
        return new Builder(() -> defaultContext);
    }

    public static Builder builder(Supplier<SslContext> defaultContext) {
        return new Builder(Objects.requireNonNull(defaultContext, "defaultContext"));
    }

    /** The context for a host name ({@code null}: no SNI, the default). */
    @Override
    public SslContext map(String hostname) {
        return mapping.map(hostname).get();
    }

    /** The host names and patterns added, in order. */
    public List<String> hostnames() {
        return hostnames;
    }

    /** A handler for a new server-side connection. */
    public SniHandler newHandler() {
        return new SniHandler(this);
    }

    /** A handler for a new server-side connection that gives up when no ClientHello arrives in time. */
    public SniHandler newHandler(long handshakeTimeoutMillis) {
        return new SniHandler(this, handshakeTimeoutMillis);
    }

    public static final class Builder {
        private final DomainWildcardMappingBuilder<Supplier<SslContext>> builder;
        private final List<String> hostnames = new ArrayList<>();

        private Builder(Supplier<SslContext> defaultContext) {
            this.builder = new DomainWildcardMappingBuilder<>(defaultContext);
        }

        /** {@code hostname} is a name ({@code gw1.example.com}) or a one-label wildcard ({@code *.example.com}). */
        public Builder add(String hostname, SslContext context) {
            Objects.requireNonNull(context, "context");
            return add(hostname, () -> context);
        }

        /** As {@link #add(String, SslContext)}, with a context that may change (a {@link ReloadingSslContext}). */
        public Builder add(String hostname, Supplier<SslContext> context) {
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(context, "context");
            String h = hostname.trim();
            if (h.isEmpty()) throw new IllegalArgumentException("empty host name");
            if (h.indexOf('*') >= 0 && (!h.startsWith("*.") || h.indexOf('*', 1) >= 0)) {
                throw new IllegalArgumentException("'" + hostname + "': only a leading '*.' wildcard is supported");
            }
            builder.add(h, context);
            hostnames.add(h);
            return this;
        }

        /** Adds the context under every DNS name in the certificate's subject alternative names (wildcards included). */
        public Builder addForCertificate(X509Certificate certificate, Supplier<SslContext> context) {
            List<String> names = dnsNames(certificate);
            if (names.isEmpty()) {
                throw new CertsException("certificate " + certificate.getSubjectX500Principal().getName() + " has no DNS names to map");
            }
            for (String n : names) add(n, context);
            return this;
        }

        public SniMapping build() {
            return new SniMapping(builder.build(), hostnames);
        }

        private static List<String> dnsNames(X509Certificate c) {
            try {
                Collection<List<?>> sans = c.getSubjectAlternativeNames();
                if (sans == null) return List.of();
                List<String> out = new ArrayList<>();
                for (List<?> san : sans) {
                    if ((Integer) san.get(0) == 2) out.add((String) san.get(1));
                }
                return out;
            } catch (CertificateParsingException e) {
                throw new CertsException("cannot read the subject alternative names: " + e.getMessage(), e);
            }
        }
    }
}
