package dev.eventbus.certs;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate with its private key.
 *
 * @param certificate the leaf (or CA) certificate
 * @param privateKey  its private key
 * @param chain       the certificate followed by its issuers, without the self-signed root (what a TLS peer sends)
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {
    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty() || !chain.get(0).equals(certificate)) {
            throw new IllegalArgumentException("the chain must start with the certificate");
        }
    }

    /** Writes {@code chain} to {@code certFile} (0644) and the key as PKCS#8 to {@code keyFile} (0600). */
    public void write(Path certFile, Path keyFile) {
        Pem.writeCertificates(certFile, chain);
        Pem.writePrivateKey(keyFile, privateKey, Pem.KeyFormat.PKCS8);
    }
}
