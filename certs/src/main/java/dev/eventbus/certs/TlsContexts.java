package dev.eventbus.certs;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Netty {@link SslContext}s for eventbus: the JDK TLS provider, TLS 1.3 and 1.2 only, and, for mutual TLS, trust in
 * exactly the given CA certificates (never the JDK's default trust store).
 *
 * <p>Every builder checks that the private key belongs to the first certificate of the chain, so a mismatched pair is
 * a clear {@link CertsException} here rather than a failed handshake later.
 *
 * <p>Client contexts verify the server's host name against its certificate (endpoint identification "HTTPS"), so create
 * the handler with {@code ctx.newHandler(alloc, host, port)}; the host is also sent as SNI. Pass
 * {@code verifyHostname=false} only where the peer is identified by its CA alone.
 */
public final class TlsContexts {
    /** The protocols every context enables, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsContexts() {}

    // ---------------------------------------------------------------- servers

    /** A server that does not ask for client certificates. */
    public static SslContext server(List<X509Certificate> certChain, PrivateKey key) {
        checkPair(certChain, key);
        return build(SslContextBuilder.forServer(key, certChain));
    }

    /** A server that REQUIRES a client certificate issued by one of {@code trustedCa}, and trusts nothing else. */
    public static SslContext serverMutual(List<X509Certificate> certChain, PrivateKey key, List<X509Certificate> trustedCa) {
        checkPair(certChain, key);
        checkTrust(trustedCa);
        return build(SslContextBuilder.forServer(key, certChain).trustManager(trustedCa).clientAuth(ClientAuth.REQUIRE));
    }

    /** {@link #server(List, PrivateKey)} from PEM files (the key unencrypted). */
    public static SslContext server(Path certChain, Path key) {
        List<X509Certificate> chain = Pem.readCertificates(certChain);
        PrivateKey k = Pem.readPrivateKey(key, null);
        checkPair(chain, k, key, certChain);
        return server(chain, k);
    }

    /** {@link #serverMutual(List, PrivateKey, List)} from PEM files (the key unencrypted). */
    public static SslContext serverMutual(Path certChain, Path key, Path trustedCa) {
        List<X509Certificate> chain = Pem.readCertificates(certChain);
        PrivateKey k = Pem.readPrivateKey(key, null);
        checkPair(chain, k, key, certChain);
        return serverMutual(chain, k, Pem.readCertificates(trustedCa));
    }

    // ---------------------------------------------------------------- clients

    /** A client with a certificate, trusting only {@code trustedCa} for the server, with host-name verification. */
    public static SslContext clientMutual(List<X509Certificate> certChain, PrivateKey key, List<X509Certificate> trustedCa) {
        return clientMutual(certChain, key, trustedCa, true);
    }

    /** A client with a certificate, trusting only {@code trustedCa} for the server. */
    public static SslContext clientMutual(List<X509Certificate> certChain, PrivateKey key, List<X509Certificate> trustedCa,
                                          boolean verifyHostname) {
        checkPair(certChain, key);
        checkTrust(trustedCa);
        return build(clientBuilder(trustedCa, verifyHostname).keyManager(key, certChain));
    }

    /** A client without a certificate, trusting only {@code trustedCa}, with host-name verification. */
    public static SslContext client(List<X509Certificate> trustedCa) {
        return client(trustedCa, true);
    }

    /** A client without a certificate, trusting only {@code trustedCa}. */
    public static SslContext client(List<X509Certificate> trustedCa, boolean verifyHostname) {
        checkTrust(trustedCa);
        return build(clientBuilder(trustedCa, verifyHostname));
    }

    /** {@link #clientMutual(List, PrivateKey, List)} from PEM files (the key unencrypted). */
    public static SslContext clientMutual(Path certChain, Path key, Path trustedCa) {
        List<X509Certificate> chain = Pem.readCertificates(certChain);
        PrivateKey k = Pem.readPrivateKey(key, null);
        checkPair(chain, k, key, certChain);
        return clientMutual(chain, k, Pem.readCertificates(trustedCa));
    }

    /** {@link #client(List)} from a PEM file. */
    public static SslContext client(Path trustedCa) {
        return client(Pem.readCertificates(trustedCa));
    }

    // ---------------------------------------------------------------- internals

    private static SslContextBuilder clientBuilder(List<X509Certificate> trustedCa, boolean verifyHostname) {
        return SslContextBuilder.forClient().trustManager(trustedCa)
                // explicit, whatever Netty's default: "HTTPS" checks the server's SANs against the host we dial
                .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
    }

    private static SslContext build(SslContextBuilder b) {
        try {
            return b.sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new CertsException("cannot create the TLS context: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CertsException("cannot create the TLS context: " + e.getMessage(), e);
        }
    }

    static void checkPair(List<X509Certificate> certChain, PrivateKey key) {
        Objects.requireNonNull(certChain, "certChain");
        Objects.requireNonNull(key, "key");
        if (certChain.isEmpty()) throw new CertsException("the certificate chain is empty");
        X509Certificate leaf = certChain.get(0);
        if (!KeyMatch.matches(leaf.getPublicKey(), key)) {
            throw new CertsException("the private key does not belong to certificate " + leaf.getSubjectX500Principal().getName());
        }
    }

    /** With file names in the message. */
    static void checkPair(List<X509Certificate> certChain, PrivateKey key, Path keyFile, Path certFile) {
        if (!KeyMatch.matches(certChain.get(0).getPublicKey(), key)) {
            throw new CertsException(keyFile + ": the private key does not belong to the certificate in " + certFile);
        }
    }

    private static void checkTrust(List<X509Certificate> trustedCa) {
        Objects.requireNonNull(trustedCa, "trustedCa");
        if (trustedCa.isEmpty()) throw new CertsException("no trusted CA certificate given");
    }
}
