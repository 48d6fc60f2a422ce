package dev.eventbus.certs;

import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/** JDK {@link SSLContext}s from PEM files, for clients that are not Netty (jnats, java.net.http). */
public final class JdkSslContexts {
    private JdkSslContexts() {}

    /**
     * @param ca   trusted CA certificates, or null for the JDK's default trust store
     * @param cert our certificate chain, or null to present none
     * @param key  the private key of {@code cert}
     */
    public static SSLContext client(Path ca, Path cert, Path key) {
        return client(ca, cert, key, false);
    }

    /**
     * As {@link #client}, but {@code cert} is presented whatever CAs the server names in its certificate request. The
     * JDK otherwise sends no certificate when its issuer is not among them, which is right for a server that trusts a
     * CA, and wrong for one that pins this very certificate (event-gateway's agent port admits its own health probe
     * that way, without trusting the internal CA).
     */
    public static SSLContext clientPresentingAlways(Path ca, Path cert, Path key) {
        return client(ca, cert, key, true);
    }

    private static SSLContext client(Path ca, Path cert, Path key, boolean presentAlways) {
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
            KeyManager[] kms = kmf == null ? null : kmf.getKeyManagers();
            if (kms != null && presentAlways) kms = new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kms[0])};
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kms, tmf.getTrustManagers(), null);
            return ctx;
        } catch (CertsException e) {
            throw e;
        } catch (Exception e) {
            throw new CertsException("cannot build a TLS client context from " + ca + ", " + cert + ": " + e.getMessage(), e);
        }
    }

    /** Chooses our one key whatever issuers the server asks for; everything else is the JDK's. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private static final String ALIAS = "me";
        private final X509ExtendedKeyManager delegate;

        AlwaysPresent(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
