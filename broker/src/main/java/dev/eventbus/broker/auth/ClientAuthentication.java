package dev.eventbus.broker.auth;

import dev.eventbus.broker.protocol.ConnectOptions;
import java.security.cert.X509Certificate;
import java.util.List;

/** The narrow view of a connection an {@link Authenticator} may look at (nats-server's ClientAuthentication). */
public interface ClientAuthentication {
    ConnectOptions connectOptions();
    /** "ip:port" of the peer. */
    String remoteAddress();
    /** The verified client certificate chain, empty without mutual TLS. */
    List<X509Certificate> peerCertificates();
    /** The nonce sent in INFO, or null when none was sent. */
    String nonce();
}
