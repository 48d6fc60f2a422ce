package dev.eventbus.certs;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** JDK {@link SSLContext}s from PEM files, for clients that are not Netty (jnats, java.net.http). */
public final class JdkSslContexts {
    private JdkSslContexts() {}

    /**
     * @param ca   trusted CA certificates, or null for the JDK's default trust store
     * @param cert our certificate chain, or null to present none
     * @param key  the private key of {@code cert}
     */
    public static SSLContext client(Path ca, Path cert, Path key) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (ca != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate c : Pem.readCertificates(ca)) trust.setCertificateEntry("ca" + i++, c);
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (cert != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("me", Pem.readPrivateKey(key, null), new char[0],
                        Pem.readCertificates(cert).toArray(new X509Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (CertsException e) {
            throw e;
        } catch (Exception e) {
            throw new CertsException("cannot build a TLS client context from " + ca + ", " + cert + ": " + e.getMessage(), e);
        }
    }
}
