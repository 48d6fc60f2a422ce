package dev.eventbus.broker.auth;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Authenticates a client by the identity of its verified TLS client certificate (nats-server's
 * {@code tls { verify_and_map: true }}): a subject alternative name (dNSName, URI, IP) or the subject's common name,
 * as {@link CertificateIdentities} reads them. The user is named after the configured identity that matched and
 * gets that entry's permissions; entries are tried in the order they were added, and the first the certificate
 * proves wins.
 *
 * <p>Needs mutual TLS on the client port ({@code TlsOptions.verify(true)}): the broker only hands over a chain the
 * TLS layer verified against the trusted CA, and re-checks its validity dates on every handshake, resumed or not.
 * A client without a certificate, or whose certificate proves none of the identities, is refused.
 */
public final class CertificateAuthenticator implements Authenticator {
    private final Map<String, User> users;

    private CertificateAuthenticator(Map<String, User> users) { this.users = users; }

    public static Builder builder() { return new Builder(); }

    /** The configured identities, in matching order. */
    public List<String> identities() { return List.copyOf(users.keySet()); }

    @Override
    public AuthResult authenticate(ClientAuthentication client) {
        List<X509Certificate> chain = client.peerCertificates();
        if (chain == null || chain.isEmpty()) return AuthResult.denied("no client certificate");
        X509Certificate leaf = chain.get(0);
        String match = CertificateIdentities.firstMatch(users.keySet(), leaf);
        if (match == null) {
            return AuthResult.denied("certificate identity " + CertificateIdentities.describe(leaf) + " is not allowed");
        }
        return AuthResult.ok(users.get(match));
    }

    public static final class Builder {
        private final Map<String, User> users = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Admits a certificate that proves {@code identity} (a DNS name, URI or IP from its SANs, or its subject CN),
         * as a user of that name with {@code permissions}.
         */
        public Builder identity(String identity, Permissions permissions) {
            String id = CertificateIdentities.normalize(identity);
            Objects.requireNonNull(permissions, "permissions");
            if (users.containsKey(id)) throw new IllegalArgumentException("duplicate certificate identity " + id);
            users.put(id, new User(id, permissions));
            return this;
        }

        public CertificateAuthenticator build() {
            if (users.isEmpty()) throw new IllegalArgumentException("no certificate identities configured");
            // insertion order is the matching order
            return new CertificateAuthenticator(Collections.unmodifiableMap(new LinkedHashMap<>(users)));
        }
    }
}
