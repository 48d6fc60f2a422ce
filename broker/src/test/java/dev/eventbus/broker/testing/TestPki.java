package dev.eventbus.broker.testing;

import dev.eventbus.certs.CertUsage;
import dev.eventbus.certs.CertificateAuthority;
import dev.eventbus.certs.IssuedCertificate;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.certs.LeafSpec;
import dev.eventbus.certs.Pem;
import dev.eventbus.certs.ReloadingSslContext;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA in a directory, issuing real certificates as files (what the broker's TLS options read), for
 * tests that need identities of their own choosing independent of the development PKI's layout.
 */
public final class TestPki {
    private final Path dir;
    private final CertificateAuthority ca;
    private final Path caFile;

    private TestPki(Path dir, CertificateAuthority ca, Path caFile) {
        this.dir = dir;
        this.ca = ca;
        this.caFile = caFile;
    }

    public static TestPki create(Path dir, String caName) {
        CertificateAuthority ca = CertificateAuthority.create(caName, KeyAlgorithm.ecP256(), Duration.ofDays(2));
        Path caFile = dir.resolve(fileName(caName) + "-ca.crt");
        ca.write(caFile, dir.resolve(fileName(caName) + "-ca.key"));
        return new TestPki(dir, ca, caFile);
    }

    public CertificateAuthority authority() { return ca; }

    public Path caFile() { return caFile; }

    /** A leaf with CN {@code name} and these SANs, valid for a day, written as {@code <name>.crt} and {@code <name>.key}. */
    public Leaf issue(String name, CertUsage usage, String... sans) {
        return issue(LeafSpec.of(name, usage, sans).withValidity(Duration.ofDays(1)));
    }

    public Leaf issue(LeafSpec spec) {
        IssuedCertificate c = ca.issue(spec);
        Path cert = dir.resolve(fileName(spec.commonName()) + ".crt");
        Path key = dir.resolve(fileName(spec.commonName()) + ".key");
        c.write(cert, key);
        return new Leaf(c.certificate(), cert, key);
    }

    public record Leaf(X509Certificate certificate, Path cert, Path key) {}

    /** The server side of mutual TLS with this leaf, trusting this CA (what the broker's gateway and client port take). */
    public ReloadingSslContext serverMutual(Leaf leaf) {
        return ReloadingSslContext.forServerMutual(leaf.cert(), leaf.key(), caFile()).build();
    }

    public ReloadingSslContext clientMutual(Leaf leaf) {
        return ReloadingSslContext.forClientMutual(leaf.cert(), leaf.key(), caFile()).build();
    }

    /** A JDK SSLContext presenting {@code leaf} (null: no certificate) and trusting this CA. */
    public SSLContext jdkContext(Leaf leaf) throws Exception {
        KeyManagerFactory kmf = null;
        if (leaf != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("me", Pem.readPrivateKey(leaf.key(), null), "pw".toCharArray(),
                    Pem.readCertificates(leaf.cert()).toArray(new X509Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), trustManagers(), null);
        return ctx;
    }

    public TrustManager[] trustManagers() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }

    private static String fileName(String s) { return s.replaceAll("[^A-Za-z0-9._-]", "_"); }
}
