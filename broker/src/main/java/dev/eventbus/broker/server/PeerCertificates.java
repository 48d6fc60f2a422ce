package dev.eventbus.broker.server;

import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The peer's certificate chain after a handshake, and the checks that must hold on EVERY handshake.
 *
 * <p>Why: the JDK's TLS server resumes a session (a TLS 1.2 session id, a TLS 1.3 ticket) without looking at the
 * client's certificate again, so a certificate that expired since the first handshake would get back in (issue 9,
 * item 11). nats-server (Go's crypto/tls) refuses to resume once the certificate has expired. Checking the dates of
 * the session's chain after every completed handshake gives the same result whether the handshake was full or
 * abbreviated: in a full one the trust manager has just checked them too, so this costs a few date compares.
 */
final class PeerCertificates {
    private PeerCertificates() {}

    /** The chain the peer presented (leaf first), or empty when it presented none. */
    static List<X509Certificate> of(SSLSession session) {
        try {
            Certificate[] certs = session.getPeerCertificates();
            List<X509Certificate> out = new ArrayList<>(certs.length);
            for (Certificate c : certs) {
                if (c instanceof X509Certificate x) out.add(x);
            }
            return List.copyOf(out);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** Why the chain is not valid at {@code now}, or null when every certificate in it is. */
    static String validityProblem(List<X509Certificate> chain, Date now) {
        for (X509Certificate c : chain) {
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException e) {
                return "certificate " + c.getSubjectX500Principal().getName() + " expired at " + c.getNotAfter().toInstant();
            } catch (CertificateNotYetValidException e) {
                return "certificate " + c.getSubjectX500Principal().getName() + " is not valid before " + c.getNotBefore().toInstant();
            }
        }
        return null;
    }
}
