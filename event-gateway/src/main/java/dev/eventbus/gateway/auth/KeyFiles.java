package dev.eventbus.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads keys from files into Nimbus {@link JWK}s. A key file is one of:
 * <ul>
 *   <li>PEM: {@code PUBLIC KEY} (SPKI), {@code RSA PUBLIC KEY}, {@code CERTIFICATE}, {@code PRIVATE KEY} (PKCS#8),
 *       {@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}; RSA, EC (P-256, P-384, P-521) or Ed25519. Encrypted keys are
 *       not supported.</li>
 *   <li>JSON: a JWK or a JWK set ({@code {"keys": [...]}}).</li>
 *   <li>anything else: an HMAC secret, the file's raw bytes with trailing CR/LF removed, at least 32 bytes.</li>
 * </ul>
 * Every method throws {@link IllegalArgumentException} with a one-line message that names the file.
 */
public final class KeyFiles {
    /** HS256 needs a secret at least as long as its hash (RFC 7518 §3.2). */
    public static final int MIN_HMAC_SECRET_BYTES = 32;

    private KeyFiles() {}

    /** What a key file holds, judged from its content. */
    public enum Kind { HMAC_SECRET, PEM, JSON }

    /**
     * Verification keys: public keys, certificates, a JWK(S), or an HMAC secret.
     *
     * @param allowPrivate whether a private key may stand for its public half (convenient in the CLI; the gateway's
     *                     configuration refuses it so that the signing key is not copied where it is not needed)
     */
    public static List<JWK> readVerificationKeys(Path file, boolean allowPrivate) {
        byte[] content = read(file);
        try {
            return switch (kind(content)) {
                case HMAC_SECRET -> List.of(secretFromFile(content));
                case JSON -> publicKeys(parseJson(content), file, allowPrivate);
                case PEM -> parsePem(new String(content, StandardCharsets.UTF_8), false, allowPrivate);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** One signing key: a PEM private key, a private JWK, or an HMAC secret. */
    public static JWK readSigningKey(Path file) {
        byte[] content = read(file);
        try {
            List<JWK> keys = switch (kind(content)) {
                case HMAC_SECRET -> List.of(secretFromFile(content));
                case JSON -> parseJson(content);
                case PEM -> parsePem(new String(content, StandardCharsets.UTF_8), true, false);
            };
            if (keys.size() != 1) throw new IllegalArgumentException("expected one key, found " + keys.size());
            JWK k = keys.get(0);
            if (!k.isPrivate()) throw new IllegalArgumentException("not a private key (a signing key is needed)");
            return k;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** An HMAC key from raw bytes (at least {@value #MIN_HMAC_SECRET_BYTES}). */
    public static OctetSequenceKey hmacKey(byte[] secret) {
        if (secret.length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("HMAC secret too short: " + secret.length + " bytes, need at least "
                    + MIN_HMAC_SECRET_BYTES + " (e.g. openssl rand -base64 48)");
        }
        return new OctetSequenceKey.Builder(secret).build();
    }

    /** A public JWK for an RSA, EC (P-256/384/521) or Ed25519 public key. */
    public static JWK publicJwk(PublicKey key, String kid) {
        JWK jwk;
        if (key instanceof RSAPublicKey rsa) {
            jwk = new RSAKey.Builder(rsa).keyID(kid).build();
        } else if (key instanceof ECPublicKey ec) {
            jwk = new ECKey.Builder(curve(ec.getParams()), ec).keyID(kid).build();
        } else if ("Ed25519".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            jwk = fromSpki(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
            jwk = new OctetKeyPair.Builder((OctetKeyPair) jwk).keyID(kid).build();
        } else {
            throw new IllegalArgumentException("unsupported public key type " + key.getAlgorithm());
        }
        return jwk;
    }

    /**
     * The JWS algorithms this key may sign or verify (by key type and size, narrowed by its JWK {@code alg}).
     *
     * @throws IllegalArgumentException for keys the gateway cannot use (weak, wrong curve, {@code use: enc})
     */
    public static Set<JWSAlgorithm> algorithms(JWK key) {
        JWK k = key instanceof OctetSequenceKey ? key : key.toPublicJWK();
        return VerificationKey.of(k).algorithms();
    }

    /** The algorithm to sign with when none is asked for: HS256, RS256, ES256/384/512 by curve, or EdDSA. */
    public static JWSAlgorithm defaultAlgorithm(JWK key) {
        if (key.getAlgorithm() != null) return JWSAlgorithm.parse(key.getAlgorithm().getName());
        if (key instanceof OctetSequenceKey) return JWSAlgorithm.HS256;
        if (key instanceof RSAKey) return JWSAlgorithm.RS256;
        if (key instanceof OctetKeyPair) return JWSAlgorithm.EdDSA;
        Set<JWSAlgorithm> algs = algorithms(key);
        return algs.iterator().next(); // EC: exactly one, fixed by the curve
    }

    public static Kind kind(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN ")) return Kind.PEM;
        if (text.strip().startsWith("{")) return Kind.JSON;
        return Kind.HMAC_SECRET;
    }

    // ---------------------------------------------------------------------------------------------------------

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(file + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static OctetSequenceKey secretFromFile(byte[] content) {
        int n = content.length;
        while (n > 0 && (content[n - 1] == '\n' || content[n - 1] == '\r')) n--;
        return hmacKey(Arrays.copyOf(content, n));
    }

    private static List<JWK> parseJson(byte[] content) {
        String json = new String(content, StandardCharsets.UTF_8);
        try {
            if (json.contains("\"keys\"")) return JWKSet.parse(json).getKeys();
            return List.of(JWK.parse(json));
        } catch (ParseException e) {
            throw new IllegalArgumentException("invalid JWK/JWKS JSON: " + message(e));
        }
    }

    private static List<JWK> publicKeys(List<JWK> keys, Path file, boolean allowPrivate) {
        List<JWK> out = new ArrayList<>(keys.size());
        for (JWK k : keys) {
            if (k instanceof OctetSequenceKey) {
                out.add(k);
            } else if (k.isPrivate() && !allowPrivate) {
                throw new IllegalArgumentException("contains a private key; configure the public key only");
            } else {
                out.add(k.toPublicJWK());
            }
        }
        return out;
    }

    /**
     * Parses every object in a PEM text.
     *
     * @param wantPrivate true: private keys are returned with their public half; false: public keys only
     */
    static List<JWK> parsePem(String pem, boolean wantPrivate, boolean allowPrivate) {
        List<JWK> keys = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                JWK k;
                if (o instanceof SubjectPublicKeyInfo spki) {
                    k = fromSpki(spki);
                } else if (o instanceof X509CertificateHolder cert) {
                    k = fromSpki(cert.getSubjectPublicKeyInfo());
                } else if (o instanceof PEMKeyPair kp) {
                    k = fromPrivate(kp.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo pki) {
                    k = fromPrivate(pki);
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException("encrypted private keys are not supported "
                            + "(decrypt with: openssl pkey -in KEY -out PLAIN)");
                } else if (o instanceof ASN1ObjectIdentifier) {
                    continue; // "EC PARAMETERS" ahead of an "EC PRIVATE KEY" (openssl ecparam -genkey)
                } else {
                    throw new IllegalArgumentException("unsupported PEM object " + o.getClass().getSimpleName());
                }
                if (k.isPrivate() && !wantPrivate) {
                    if (!allowPrivate) {
                        throw new IllegalArgumentException("contains a private key; configure the public key only");
                    }
                    k = k.toPublicJWK();
                }
                keys.add(k);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid PEM: " + message(e));
        }
        if (keys.isEmpty()) throw new IllegalArgumentException("no key found in the PEM file");
        return keys;
    }

    private static JWK fromSpki(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier oid = spki.getAlgorithm().getAlgorithm();
        if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(spki.getPublicKeyData().getBytes())).build();
        }
        if (EdECObjectIdentifiers.id_Ed448.equals(oid)) throw new IllegalArgumentException("Ed448 keys are not supported");
        try {
            return publicJwk(new JcaPEMKeyConverter().getPublicKey(spki), null);
        } catch (IOException e) {
            throw new IllegalArgumentException("unsupported public key (" + oid + "): " + message(e));
        }
    }

    private static JWK fromPrivate(PrivateKeyInfo pki) {
        ASN1ObjectIdentifier oid = pki.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
                byte[] seed = ASN1OctetString.getInstance(pki.parsePrivateKey()).getOctets();
                byte[] x = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
                return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(seed)).build();
            }
            if (EdECObjectIdentifiers.id_Ed448.equals(oid)) throw new IllegalArgumentException("Ed448 keys are not supported");
            PrivateKey priv = new JcaPEMKeyConverter().getPrivateKey(pki);
            if (priv instanceof RSAPrivateCrtKey rsa) {
                RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
                return new RSAKey.Builder(pub).privateKey(rsa).build();
            }
            if (priv instanceof ECPrivateKey ec) {
                // the public point is d·G; PKCS#8 need not carry it, so compute it
                ECPoint q = EC5Util.convertSpec(ec.getParams()).getG().multiply(ec.getS()).normalize();
                ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                        new ECPublicKeySpec(EC5Util.convertPoint(q), ec.getParams()));
                return new ECKey.Builder(curve(ec.getParams()), pub).privateKey(ec).build();
            }
            throw new IllegalArgumentException("unsupported private key type " + priv.getAlgorithm());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported private key (" + oid + "): " + message(e));
        }
    }

    /** A library's message without the Java class names it tends to embed ("java.io.IOException: …"). */
    static String message(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ?", "")
                .replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static Curve curve(java.security.spec.ECParameterSpec params) {
        Curve c = Curve.forECParameterSpec(params);
        if (c == null || !(c.equals(Curve.P_256) || c.equals(Curve.P_384) || c.equals(Curve.P_521))) {
            throw new IllegalArgumentException("unsupported EC curve " + (c == null ? params.getCurve() : c.getName())
                    + " (use P-256, P-384 or P-521)");
        }
        return c;
    }
}
