package dev.eventbus.service;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Where a handler delivers: an HTTP(S) endpoint that receives a POST of the event JSON, or a NATS subject.
 * {@link #parse(String)} reads the config form: {@code http://host:port/path}, {@code https://…} or
 * {@code nats:SUBJECT}.
 */
public sealed interface HandlerTarget permits HandlerTarget.Http, HandlerTarget.Nats {

    /**
     * POST to {@code uri}. A 2xx answer is success. 408, 425, 429, 502, 503, 504 and connection errors or timeouts mean
     * "target unavailable" (retried without limit); any other status is a rejection, counted towards maxAttempts.
     *
     * @param sslContext client TLS context for https (null: the service-wide one, else the JDK default)
     */
    record Http(URI uri, SSLContext sslContext) implements HandlerTarget {
        public Http {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("HTTP target must be http:// or https://: " + uri);
            }
            if (uri.getHost() == null) throw new IllegalArgumentException("HTTP target has no host: " + uri);
        }

        public boolean https() { return uri.getScheme().equalsIgnoreCase("https"); }

        @Override public String toString() { return uri.toString(); }
    }

    /** Publish to {@code subject} through the service's {@link NatsPublisher}. */
    record Nats(String subject) implements HandlerTarget {
        private static final Pattern SUBJECT = Pattern.compile("[^\\s*>.]+(\\.[^\\s*>.]+)*");

        public Nats {
            Objects.requireNonNull(subject, "subject");
            if (!SUBJECT.matcher(subject).matches()) {
                throw new IllegalArgumentException("NATS target needs a literal subject (no wildcards, no spaces): 'nats:" + subject + "'");
            }
        }

        @Override public String toString() { return "nats:" + subject; }
    }

    static HandlerTarget http(String uri) { return new Http(URI.create(uri), null); }

    static HandlerTarget http(URI uri, SSLContext sslContext) { return new Http(uri, sslContext); }

    static HandlerTarget nats(String subject) { return new Nats(subject); }

    /**
     * Parses {@code http://…}, {@code https://…} or {@code nats:SUBJECT}. A bare {@code host:port} (the seed's gRPC
     * address form) is refused with a hint, since this service does not speak the seed's gRPC.
     */
    static HandlerTarget parse(String spec) {
        Objects.requireNonNull(spec, "target");
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("nats:")) {
            String subject = s.substring(5);
            if (subject.startsWith("//")) {
                throw new IllegalArgumentException("write a NATS target as nats:SUBJECT (the server comes from the NATS connection): '" + spec + "'");
            }
            return new Nats(subject);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                return new Http(new URI(s), null);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("bad handler URL '" + spec + "': " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("handler target must be http://…, https://… or nats:SUBJECT, got '" + spec
                + "' (a bare host:port was the seed's gRPC address)");
    }
}
