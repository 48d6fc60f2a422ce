package dev.eventbus.broker.auth;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The identities a verified certificate proves, in the order nats-server's {@code verify_and_map} looks at them:
 * its subject alternative names (dNSName, uniformResourceIdentifier, iPAddress), then the subject's common name.
 * Used to pin gateway peers ({@code GatewayOptions.peerIdentities}) and to authenticate clients by certificate
 * ({@link CertificateAuthenticator}).
 *
 * <p>Matching is exact: a wildcard dNSName such as {@code *.example.com} proves only the identity
 * {@code *.example.com}. DNS names compare case-insensitively, and IP addresses in their canonical form (so
 * {@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same identity). E-mail SANs and the rest of the subject are not
 * identities here.
 */
public final class CertificateIdentities {
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    private CertificateIdentities() {}

    /** Every identity of {@code cert}: SANs first (DNS lower-cased, IPs canonical), then the CN; never null. */
    public static List<String> of(X509Certificate cert) {
        List<String> out = new ArrayList<>(4);
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            sans = null; // an unparseable SAN extension proves nothing; the CN may still
        }
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) continue;
                switch (type) {
                    case SAN_DNS -> out.add(value.toLowerCase(Locale.ROOT));
                    case SAN_URI -> out.add(value);
                    case SAN_IP -> out.add(canonicalIp(value));
                    default -> { }
                }
            }
        }
        String cn = commonName(cert.getSubjectX500Principal());
        if (cn != null) out.add(cn);
        return out;
    }

    /**
     * The form a configured identity is compared in: IP literals canonical, anything else trimmed. Rejects an
     * empty identity, so a configuration mistake is an error at build time, not a silent "nobody matches".
     */
    public static String normalize(String identity) {
        if (identity == null || identity.isBlank()) throw new IllegalArgumentException("a certificate identity is empty");
        String s = identity.trim();
        return NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s) ? canonicalIp(s) : s;
    }

    /**
     * The first of {@code wanted} (each {@link #normalize normalised}) that {@code cert} proves, or null. "First" is
     * the caller's order, so a configuration decides which entry wins when a certificate has several identities.
     * URIs compare exactly; DNS names and common names ignore case.
     */
    public static String firstMatch(Collection<String> wanted, X509Certificate cert) {
        List<String> have = of(cert);
        for (String w : wanted) {
            for (String h : have) {
                if (h.equals(w) || (!h.contains("://") && h.equalsIgnoreCase(w))) return w;
            }
        }
        return null;
    }

    /** For logs and refusal reasons: what the certificate presents, e.g. {@code [localhost, 127.0.0.1, agent]}. */
    public static String describe(X509Certificate cert) {
        List<String> ids = of(cert);
        return ids.isEmpty() ? "(no identity, subject " + cert.getSubjectX500Principal().getName() + ")" : ids.toString();
    }

    private static String commonName(X500Principal p) {
        try {
            List<Rdn> rdns = new LdapName(p.getName(X500Principal.RFC2253)).getRdns();
            // LdapName lists RDNs right to left: the left-most CN of the name, the most specific one, comes last
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn r = rdns.get(i);
                if (r.getType().equalsIgnoreCase("CN")) return String.valueOf(r.getValue());
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static String canonicalIp(String literal) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(literal);
        if (b == null) return literal;
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
