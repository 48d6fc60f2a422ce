package dev.eventbus.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM in and out: X.509 certificates, and private keys in every form OpenSSL writes.
 *
 * <p>Reading accepts {@code CERTIFICATE} blocks (several make a chain, leaf first) and private keys as
 * {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1), {@code EC PRIVATE KEY} (SEC1),
 * {@code ENCRYPTED PRIVATE KEY} (encrypted PKCS#8, needs the password) and OpenSSL's legacy encrypted
 * {@code RSA/EC PRIVATE KEY} with a {@code Proc-Type: 4,ENCRYPTED} header. Text around the blocks is ignored.
 * Keys come back as the JDK's own key classes, so the JDK TLS stack uses them directly.
 *
 * <p>Every problem a user can cause (a missing file, a file that is not PEM, the wrong password) is a
 * {@link CertsException} with a one-line message that names the file.
 *
 * <p>Writers replace the target file atomically; key files get mode 0600, certificate files 0644.
 */
public final class Pem {
    /** How a private key is written. */
    public enum KeyFormat {
        /** {@code -----BEGIN PRIVATE KEY-----}: PKCS#8, any algorithm. The default. */
        PKCS8,
        /** {@code -----BEGIN RSA PRIVATE KEY-----}: PKCS#1, RSA keys only. */
        PKCS1,
        /** {@code -----BEGIN EC PRIVATE KEY-----}: SEC1 with the named curve and the public point, EC keys only. */
        SEC1
    }

    /** PBKDF2 iterations for {@link #writeEncryptedPrivateKey}; OpenSSL 3 uses 2048, we are more careful. */
    public static final int PBKDF2_ITERATIONS = 100_000;

    private static final Set<String> CERT_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE");
    private static final Set<String> KEY_TYPES = Set.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
    private static final String STRING_SOURCE = "<PEM text>";

    private Pem() {}

    // ---------------------------------------------------------------- reading

    /** All certificates in a PEM file, in file order (a chain is leaf first). A DER file with one certificate works too. */
    public static List<X509Certificate> readCertificates(Path file) {
        return certificates(SecureFiles.read(file, "certificate"), file.toString());
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).get(0);
    }

    /** All certificates in PEM text. */
    public static List<X509Certificate> parseCertificates(String pem) {
        return certificates(pem.getBytes(StandardCharsets.UTF_8), STRING_SOURCE);
    }

    /**
     * The (first) private key of a PEM file.
     *
     * @param passwordOrNull needed for {@code ENCRYPTED PRIVATE KEY} and legacy encrypted keys, ignored otherwise
     */
    public static PrivateKey readPrivateKey(Path file, char[] passwordOrNull) {
        return privateKey(SecureFiles.read(file, "private key"), passwordOrNull, file.toString());
    }

    /** The (first) private key in PEM text. */
    public static PrivateKey parsePrivateKey(String pem, char[] passwordOrNull) {
        return privateKey(pem.getBytes(StandardCharsets.UTF_8), passwordOrNull, STRING_SOURCE);
    }

    private static List<X509Certificate> certificates(byte[] data, String source) {
        List<PemObject> objects = pemObjects(data, source);
        if (objects.isEmpty()) {
            List<X509Certificate> der = tryDer(data);
            if (der != null) return der;
            throw new CertsException(source + ": not a PEM certificate file (no -----BEGIN CERTIFICATE----- line)");
        }
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory cf = x509Factory();
        for (PemObject o : objects) {
            if (!CERT_TYPES.contains(o.getType())) continue;
            try {
                certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(o.getContent())));
            } catch (CertificateException | RuntimeException e) {
                throw new CertsException(source + ": certificate " + (certs.size() + 1) + " is damaged: " + reason(e), e);
            }
        }
        if (certs.isEmpty()) {
            throw new CertsException(source + ": no certificate in this PEM file (found " + types(objects) + ")");
        }
        return List.copyOf(certs);
    }

    private static List<X509Certificate> tryDer(byte[] data) {
        if (data.length < 2 || data[0] != 0x30) return null;
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : x509Factory().generateCertificates(new ByteArrayInputStream(data))) {
                out.add((X509Certificate) c);
            }
            return out.isEmpty() ? null : List.copyOf(out);
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }

    private static PrivateKey privateKey(byte[] data, char[] password, String source) {
        List<PemObject> objects = pemObjects(data, source);
        if (objects.isEmpty()) {
            boolean binary = data.length > 0 && data[0] == 0x30;
            throw new CertsException(source + ": not a PEM private key file ("
                    + (binary ? "binary data; DER keys are not read, convert them with 'openssl pkcs8 -topk8 -nocrypt -inform DER'"
                              : "no -----BEGIN PRIVATE KEY----- line") + ")");
        }
        PemObject key = objects.stream().filter(o -> KEY_TYPES.contains(o.getType())).findFirst()
                .orElseThrow(() -> new CertsException(source + ": no private key in this PEM file (found " + types(objects)
                        + "; expected PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY)"));
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(toText(key)))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new CertsException(source + ": the " + key.getType() + " is damaged: " + reason(e), e);
        }
        PrivateKeyInfo info;
        try {
            if (parsed instanceof PrivateKeyInfo pki) {
                info = pki;
            } else if (parsed instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else if (parsed instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                requirePassword(password, source, key.getType());
                try {
                    info = enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(Bc.PROVIDER).build(password));
                } catch (Exception e) {
                    throw wrongPassword(source, e);
                }
            } else if (parsed instanceof PEMEncryptedKeyPair enc) {
                requirePassword(password, source, key.getType() + " (Proc-Type: 4,ENCRYPTED)");
                try {
                    info = enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password))
                            .getPrivateKeyInfo();
                } catch (Exception e) {
                    throw wrongPassword(source, e);
                }
            } else {
                throw new CertsException(source + ": the " + key.getType() + " block holds no private key");
            }
            if (info == null) throw new CertsException(source + ": the " + key.getType() + " block holds no private key");
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (CertsException e) {
            throw e;
        } catch (Exception e) {
            throw new CertsException(source + ": unusable " + key.getType() + ": " + reason(e), e);
        }
    }

    private static void requirePassword(char[] password, String source, String type) {
        if (password == null) {
            throw new CertsException(source + ": the private key is encrypted (" + type + "); a password is needed");
        }
    }

    private static CertsException wrongPassword(String source, Exception e) {
        return new CertsException(source + ": cannot decrypt the private key: wrong password or damaged file", e);
    }

    private static List<PemObject> pemObjects(byte[] data, String source) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<PemObject> out = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            PemObject o;
            while ((o = reader.readPemObject()) != null) out.add(o);
        } catch (IOException | RuntimeException e) {
            throw new CertsException(source + ": malformed PEM: " + reason(e), e);
        }
        return out;
    }

    private static String types(List<PemObject> objects) {
        Set<String> t = new LinkedHashSet<>();
        for (PemObject o : objects) t.add(o.getType());
        return String.join(", ", t);
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }

    // ---------------------------------------------------------------- writing

    /** PEM text of certificates, in the given order. */
    public static String toPem(List<X509Certificate> certificates) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certificates) {
            try {
                sb.append(toText(new PemObject("CERTIFICATE", c.getEncoded())));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("cannot encode certificate " + c.getSubjectX500Principal() + ": " + e.getMessage(), e);
            }
        }
        return sb.toString();
    }

    /** PEM text of certificates, in the given order. */
    public static String toPem(X509Certificate... certificates) {
        return toPem(Arrays.asList(certificates));
    }

    /** PEM text of an unencrypted private key in the given format. */
    public static String toPem(PrivateKey key, KeyFormat format) {
        Objects.requireNonNull(key, "key");
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            switch (format) {
                case PKCS8:
                    return toText(new PemObject("PRIVATE KEY", info.getEncoded()));
                case PKCS1:
                    if (!alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                        throw new IllegalArgumentException("PKCS#1 (RSA PRIVATE KEY) is for RSA keys, not " + key.getAlgorithm());
                    }
                    return toText(new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
                case SEC1:
                    if (!alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                        throw new IllegalArgumentException("SEC1 (EC PRIVATE KEY) is for EC keys, not " + key.getAlgorithm());
                    }
                    return toText(new PemObject("EC PRIVATE KEY", sec1(info).getEncoded()));
                default:
                    throw new IllegalArgumentException("unknown key format " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SEC1 as OpenSSL writes it: with the curve's OID and the public point. The JDK's PKCS#8 encoding of an EC key
     * carries neither inside the inner structure, and OpenSSL cannot read an EC PRIVATE KEY without the curve.
     */
    private static org.bouncycastle.asn1.sec.ECPrivateKey sec1(PrivateKeyInfo info) throws IOException {
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        var params = info.getPrivateKeyAlgorithm().getParameters();
        BigInteger d = inner.getKey();
        DERBitString pub = null;
        X9ECParameters x9 = params instanceof ASN1ObjectIdentifier oid ? ECNamedCurveTable.getByOID(oid) : null;
        if (inner.getPublicKey() != null) {
            pub = new DERBitString(inner.getPublicKey().getBytes());
        } else if (x9 != null) {
            pub = new DERBitString(x9.getG().multiply(d).normalize().getEncoded(false));
        }
        int orderBits = x9 != null ? x9.getN().bitLength() : d.bitLength();
        return new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, d, pub, params);
    }

    /** PEM text of a private key as encrypted PKCS#8 (PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC), as OpenSSL reads it. */
    public static String toEncryptedPem(PrivateKey key, char[] password) {
        Objects.requireNonNull(key, "key");
        if (password == null || password.length == 0) throw new IllegalArgumentException("an empty password does not protect a key");
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                    .setProvider(Bc.PROVIDER)
                    .setRandom(new SecureRandom())
                    .setPRF(org.bouncycastle.openssl.PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setPassword(password)
                    .build();
            return toText(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot encrypt the private key: " + reason(e), e);
        }
    }

    /** Writes certificates (leaf first for a chain) to a PEM file, mode 0644, replacing it atomically. */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) {
        SecureFiles.writeAtomically(file, toPem(certificates).getBytes(StandardCharsets.US_ASCII), false);
    }

    /** Writes certificates (leaf first for a chain) to a PEM file, mode 0644, replacing it atomically. */
    public static void writeCertificates(Path file, X509Certificate... certificates) {
        writeCertificates(file, Arrays.asList(certificates));
    }

    /** Writes an unencrypted private key, mode 0600, replacing the file atomically. */
    public static void writePrivateKey(Path file, PrivateKey key, KeyFormat format) {
        SecureFiles.writeAtomically(file, toPem(key, format).getBytes(StandardCharsets.US_ASCII), true);
    }

    /** Writes a private key as {@code ENCRYPTED PRIVATE KEY}, mode 0600, replacing the file atomically. */
    public static void writeEncryptedPrivateKey(Path file, PrivateKey key, char[] password) {
        SecureFiles.writeAtomically(file, toEncryptedPem(key, password).getBytes(StandardCharsets.US_ASCII), true);
    }

    // ---------------------------------------------------------------- helpers

    private static String toText(PemObject o) {
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with a StringWriter
        }
        return sw.toString();
    }

    private static String reason(Throwable e) {
        // BC wraps the interesting message a level or two down
        Throwable t = e;
        String m = t.getMessage();
        while ((m == null || m.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            m = t.getMessage();
        }
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl).trim();
        // "Could not parse certificate: java.io.IOException: Empty input" -> "Could not parse certificate: Empty input"
        return m.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
    }

    /** One BouncyCastle provider instance, used explicitly: it is never installed in {@code java.security.Security}. */
    static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();

        private Bc() {}
    }
}
