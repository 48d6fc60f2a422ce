package dev.eventbus.certs;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A certificate authority that issues leaf certificates: a new self-signed development CA ({@link #create}), or an
 * existing CA certificate and key ({@link #load}, {@link #of}).
 *
 * <p>Certificates are X.509 v3 with a random 128-bit serial, SHA-256 signatures (ECDSA or RSA, after the CA's key),
 * subject and authority key identifiers, and a not-before five minutes in the past to allow for clock skew. Leaves get
 * {@code basicConstraints CA:false}, {@code keyUsage digitalSignature} (plus {@code keyEncipherment} for RSA),
 * {@code extendedKeyUsage} from their {@link CertUsage}, and their subject alternative names.
 */
public final class CertificateAuthority {
    /** The organisation of every subject this class names. */
    public static final String ORGANISATION = "eventbus dev";
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /**
     * A new self-signed CA: {@code basicConstraints CA:true, pathlen:0} (it signs leaves only),
     * {@code keyUsage keyCertSign, cRLSign, digitalSignature}.
     *
     * @param commonName the CN; the subject is {@code CN=<commonName>, O=eventbus dev}
     */
    public static CertificateAuthority create(String commonName, KeyAlgorithm keyAlgorithm, Duration validity) {
        Objects.requireNonNull(commonName, "commonName");
        requirePositive(validity);
        KeyPair kp = keyAlgorithm.generate();
        X500Name subject = name(commonName);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(CLOCK_SKEW)),
                    Date.from(now.plus(validity)), subject, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(kp.getPrivate())));
            return new CertificateAuthority(cert, kp.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the CA certificate: " + e.getMessage(), e);
        }
    }

    /** An existing CA; checks that the key belongs to the certificate and that the certificate is a CA. */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        if (certificate.getBasicConstraints() < 0) {
            throw new CertsException("certificate " + certificate.getSubjectX500Principal().getName() + " is not a CA (basicConstraints CA:false)");
        }
        if (!KeyMatch.matches(certificate.getPublicKey(), privateKey)) {
            throw new CertsException("the CA private key does not belong to certificate " + certificate.getSubjectX500Principal().getName());
        }
        return new CertificateAuthority(certificate, privateKey);
    }

    /** An existing CA from PEM files (the key may be encrypted). */
    public static CertificateAuthority load(Path certFile, Path keyFile, char[] keyPasswordOrNull) {
        X509Certificate cert = Pem.readCertificate(certFile);
        PrivateKey key = Pem.readPrivateKey(keyFile, keyPasswordOrNull);
        try {
            return of(cert, key);
        } catch (CertsException e) {
            throw new CertsException(certFile + ", " + keyFile + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Writes the CA certificate (0644) and its key as PKCS#8 (0600). */
    public void write(Path certFile, Path keyFile) {
        Pem.writeCertificates(certFile, certificate);
        Pem.writePrivateKey(keyFile, privateKey, Pem.KeyFormat.PKCS8);
    }

    /**
     * Issues a leaf certificate with a new key pair. Its not-after is capped at the CA's. The chain is the leaf, plus
     * this CA when it is an intermediate.
     */
    public IssuedCertificate issue(LeafSpec spec) {
        KeyPair kp = spec.keyAlgorithm().generate();
        X509Certificate leaf = sign(spec, kp.getPublic());
        // a peer needs the intermediates but never the root: send the CA only when it is not self-signed
        boolean caIsRoot = certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
        return new IssuedCertificate(leaf, kp.getPrivate(), caIsRoot ? List.of(leaf) : List.of(leaf, certificate));
    }

    /** Issues a leaf certificate for a public key the caller already has (its private key never comes here). */
    public X509Certificate sign(LeafSpec spec, PublicKey subjectKey) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(spec.validity());
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) notAfter = caNotAfter;
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minus(CLOCK_SKEW)),
                    Date.from(notAfter), new X500Principal(name(spec.commonName()).getEncoded()), subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int ku = KeyUsage.digitalSignature;
            if (subjectKey.getAlgorithm().equals("RSA")) ku |= KeyUsage.keyEncipherment; // TLS 1.2 RSA key exchange
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (spec.usage().server()) purposes.add(KeyPurposeId.id_kp_serverAuth);
            if (spec.usage().client()) purposes.add(KeyPurposeId.id_kp_clientAuth);
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            if (!spec.subjectAltNames().isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, sans(spec.subjectAltNames()));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return new JcaX509CertificateConverter().getCertificate(b.build(signer(privateKey)));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate for " + spec.commonName() + ": " + e.getMessage(), e);
        }
    }

    private static GeneralNames sans(List<String> names) {
        List<ASN1Encodable> out = new ArrayList<>();
        for (String n : names) {
            String s = n.trim();
            if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
            if (IPAddress.isValid(s)) out.add(new GeneralName(GeneralName.iPAddress, s));
            else out.add(new GeneralName(GeneralName.dNSName, s.toLowerCase(java.util.Locale.ROOT)));
        }
        return GeneralNames.getInstance(new DERSequence(out.toArray(ASN1Encodable[]::new)));
    }

    private static X500Name name(String commonName) {
        // most significant first: printed as RFC 2253 it reads CN=<name>,O=eventbus dev
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORGANISATION).addRDN(BCStyle.CN, commonName).build();
    }

    private static BigInteger serial() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[0] &= 0x7f; // positive
        b[0] |= 0x40; // and a full 16 bytes, so it never looks short
        return new BigInteger(b);
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaContentSignerBuilder(alg).build(key);
    }

    private static void requirePositive(Duration d) {
        Objects.requireNonNull(d, "validity");
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("validity must be positive, got " + d);
    }

    /** A short random suffix so two development CAs never share a name: "eventbus dev CA 3f9a2c1b". */
    public static String uniqueDevCaName() {
        return uniqueDevCaName("");
    }

    /**
     * As {@link #uniqueDevCaName()}, with the CA's role in the name ("eventbus dev agent CA 3f9a2c1b"), so that a
     * person reading an issuer can tell which trust domain signed a certificate.
     */
    public static String uniqueDevCaName(String role) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return "eventbus dev " + (role.isEmpty() ? "" : role + " ") + "CA " + HexFormat.of().formatHex(b);
    }
}
