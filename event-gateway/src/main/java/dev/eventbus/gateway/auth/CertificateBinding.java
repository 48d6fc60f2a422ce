package dev.eventbus.gateway.auth;

import com.nimbusds.jose.util.Base64URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Certificate-bound tokens (RFC 8705 §3.1): a token whose {@code cnf} claim carries {@code x5t#S256}, the base64url
 * SHA-256 of a certificate's DER encoding, is valid only on a connection whose client presented that certificate over
 * mutual TLS. A stolen bound token is useless without the certificate's private key.
 */
public final class CertificateBinding {
    private CertificateBinding() {}

    /** The confirmation claim (RFC 7800). */
    public static final String CLAIM = "cnf";
    /** Its member for an X.509 certificate SHA-256 thumbprint (RFC 8705). */
    public static final String THUMBPRINT = "x5t#S256";

    /** base64url (no padding) of the SHA-256 of the certificate's DER encoding. */
    public static String thumbprint(X509Certificate cert) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())).toString();
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot hash the certificate: " + e.getMessage(), e);
        }
    }

    /** The claim value {@code {"x5t#S256": thumbprint}} for a token bound to {@code cert}. */
    public static Map<String, Object> claim(X509Certificate cert) { return Map.of(THUMBPRINT, thumbprint(cert)); }

    /**
     * The thumbprint a {@code cnf} claim binds the token to.
     *
     * @param cnf the claim as parsed (null when absent)
     * @return null when the token is not bound
     * @throws IllegalArgumentException when the claim is not an object with a string {@code x5t#S256}: a
     *         confirmation method we cannot check (e.g. {@code jkt}) must not pass as unbound
     */
    public static String boundThumbprint(Object cnf) {
        if (cnf == null) return null;
        if (!(cnf instanceof Map<?, ?> m)) throw new IllegalArgumentException(CLAIM + " must be a JSON object");
        Object t = m.get(THUMBPRINT);
        if (!(t instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException(CLAIM + " has no " + THUMBPRINT + " (the only confirmation method accepted)");
        }
        return s;
    }

    /**
     * @param peer the connection's verified client chain, leaf first (empty without a client certificate)
     * @return null when the leaf's thumbprint is {@code expected}; else why not
     */
    public static String mismatch(String expected, List<X509Certificate> peer) {
        if (peer == null || peer.isEmpty()) return "is bound to a client certificate, none was presented";
        String actual = thumbprint(peer.get(0));
        if (MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            return null;
        }
        return "is bound to certificate " + SubjectPermissions.printable(expected) + ", the client presented "
                + actual + " (" + SubjectPermissions.printable(peer.get(0).getSubjectX500Principal().getName()) + ")";
    }
}
