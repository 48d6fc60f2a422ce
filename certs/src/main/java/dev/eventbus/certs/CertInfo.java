package dev.eventbus.certs;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * What a person wants to know about a certificate, ready to print ({@code eventbus certs show}).
 *
 * @param subject           RFC 2253 form, e.g. {@code CN=event-service,O=eventbus dev}
 * @param issuer            RFC 2253 form
 * @param serial            the serial number
 * @param subjectAltNames   {@code DNS:localhost}, {@code IP:127.0.0.1}, ...
 * @param notBefore         start of validity
 * @param notAfter          end of validity
 * @param key               "EC P-256", "RSA 2048", ...
 * @param ca                whether basicConstraints says CA:true
 * @param keyUsage          e.g. {@code digitalSignature, keyCertSign}
 * @param extendedKeyUsage  e.g. {@code serverAuth, clientAuth}
 * @param sha256Fingerprint upper-case hex pairs separated by colons, as {@code openssl x509 -fingerprint -sha256}
 */
public record CertInfo(String subject, String issuer, BigInteger serial, List<String> subjectAltNames, Instant notBefore,
                       Instant notAfter, String key, boolean ca, List<String> keyUsage, List<String> extendedKeyUsage,
                       String sha256Fingerprint) {
    private static final String[] KEY_USAGE_NAMES = {"digitalSignature", "nonRepudiation", "keyEncipherment",
        "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    private static final Map<String, String> EKU_NAMES = Map.of(
            "1.3.6.1.5.5.7.3.1", "serverAuth", "1.3.6.1.5.5.7.3.2", "clientAuth", "1.3.6.1.5.5.7.3.3", "codeSigning",
            "1.3.6.1.5.5.7.3.4", "emailProtection", "1.3.6.1.5.5.7.3.8", "timeStamping", "1.3.6.1.5.5.7.3.9", "OCSPSigning",
            "2.5.29.37.0", "anyExtendedKeyUsage");

    public CertInfo {
        subjectAltNames = List.copyOf(subjectAltNames);
        keyUsage = List.copyOf(keyUsage);
        extendedKeyUsage = List.copyOf(extendedKeyUsage);
    }

    public static CertInfo of(X509Certificate c) {
        return new CertInfo(c.getSubjectX500Principal().getName(X500Principal.RFC2253),
                c.getIssuerX500Principal().getName(X500Principal.RFC2253), c.getSerialNumber(), sans(c),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), KeyAlgorithm.describe(c.getPublicKey()),
                c.getBasicConstraints() >= 0, keyUsage(c), extendedKeyUsage(c), fingerprint(c));
    }

    /**
     * The subject's common name, or empty when it has none: the identity {@code certs init} gives a service (its
     * name, also a SAN), and the one a process claims for itself when it pins identities.
     */
    public Optional<String> commonName() {
        try {
            List<Rdn> rdns = new LdapName(subject).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) { // most specific first
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) return Optional.of(String.valueOf(rdns.get(i).getValue()));
            }
        } catch (InvalidNameException e) {
            // an RFC 2253 name from X500Principal always parses; no CN is the honest answer if it ever does not
        }
        return Optional.empty();
    }

    public boolean expired(Instant now) {
        return now.isAfter(notAfter);
    }

    public boolean notYetValid(Instant now) {
        return now.isBefore(notBefore);
    }

    public boolean selfSigned() {
        return subject.equals(issuer);
    }

    /** "no (valid for 364 more days)", "EXPIRED 3 days ago", "NOT YET VALID (starts in 2 hours)". */
    public String validityStatus(Instant now) {
        if (expired(now)) return "EXPIRED " + human(Duration.between(notAfter, now)) + " ago";
        if (notYetValid(now)) return "NOT YET VALID (starts in " + human(Duration.between(now, notBefore)) + ")";
        return "no (valid for " + human(Duration.between(now, notAfter)) + " more)";
    }

    static String human(Duration d) {
        long days = d.toDays();
        if (days >= 2) return days + " days";
        long hours = d.toHours();
        if (hours >= 2) return hours + " hours";
        long minutes = d.toMinutes();
        if (minutes >= 2) return minutes + " minutes";
        return d.toSeconds() + " seconds";
    }

    /** SHA-256 over the DER encoding, {@code AB:CD:...}. */
    public static String fingerprint(X509Certificate c) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate: " + e.getMessage(), e);
        }
    }

    /** Serial as colon-separated hex, as OpenSSL prints it. */
    public String serialHex() {
        byte[] b = serial.toByteArray();
        if (b.length > 1 && b[0] == 0) b = java.util.Arrays.copyOfRange(b, 1, b.length);
        return HexFormat.ofDelimiter(":").formatHex(b);
    }

    private static List<String> sans(X509Certificate c) {
        Collection<List<?>> names;
        try {
            names = c.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
        if (names == null) return List.of();
        List<String> out = new ArrayList<>();
        for (List<?> n : names) {
            int type = (Integer) n.get(0);
            Object v = n.get(1);
            out.add(switch (type) {
                case 1 -> "email:" + v;
                case 2 -> "DNS:" + v;
                case 6 -> "URI:" + v;
                case 7 -> "IP:" + ip(String.valueOf(v));
                case 4 -> "DirName:" + v;
                default -> "other(" + type + ")";
            });
        }
        return out;
    }

    /** The JDK prints ::1 as 0:0:0:0:0:0:0:1; give the RFC 5952 short form. */
    static String ip(String literal) {
        String[] g = literal.split(":", -1);
        if (g.length != 8) return literal;
        for (int i = 0; i < 8; i++) {
            try {
                g[i] = Integer.toHexString(Integer.parseInt(g[i], 16));
            } catch (NumberFormatException e) {
                return literal;
            }
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (!g[i].equals("0")) { i++; continue; }
            int j = i;
            while (j < 8 && g[j].equals("0")) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        if (bestLen < 2) return String.join(":", g);
        String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, 8));
        return head + "::" + tail;
    }

    private static List<String> keyUsage(X509Certificate c) {
        boolean[] ku = c.getKeyUsage();
        if (ku == null) return List.of();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ku.length && i < KEY_USAGE_NAMES.length; i++) {
            if (ku[i]) out.add(KEY_USAGE_NAMES[i]);
        }
        return out;
    }

    private static List<String> extendedKeyUsage(X509Certificate c) {
        try {
            List<String> eku = c.getExtendedKeyUsage();
            if (eku == null) return List.of();
            return eku.stream().map(o -> EKU_NAMES.getOrDefault(o, o)).toList();
        } catch (CertificateParsingException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }
}
