package dev.eventbus.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;

/**
 * The kind of key pair to generate: EC P-256 (the default) or RSA with a bit size.
 *
 * @param type {@code "EC"} or {@code "RSA"}
 * @param bits 256 for EC P-256, the modulus size for RSA
 */
public record KeyAlgorithm(String type, int bits) {
    public static final int MIN_RSA_BITS = 2048;
    public static final int MAX_RSA_BITS = 8192;
    public static final int DEFAULT_RSA_BITS = 2048;

    public KeyAlgorithm {
        Objects.requireNonNull(type, "type");
        if (type.equals("EC")) {
            if (bits != 256) throw new IllegalArgumentException("EC keys are P-256 only (got " + bits + " bits)");
        } else if (type.equals("RSA")) {
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS || bits % 8 != 0) {
                throw new IllegalArgumentException("RSA key size " + bits + " is not supported (expected a multiple of 8 from "
                        + MIN_RSA_BITS + " to " + MAX_RSA_BITS + ")");
            }
        } else {
            throw new IllegalArgumentException("unknown key type '" + type + "' (expected EC or RSA)");
        }
    }

    /** EC on NIST P-256 (secp256r1), signed with SHA256withECDSA. */
    public static KeyAlgorithm ecP256() {
        return new KeyAlgorithm("EC", 256);
    }

    /** RSA with the given modulus size, signed with SHA256withRSA. */
    public static KeyAlgorithm rsa(int bits) {
        return new KeyAlgorithm("RSA", bits);
    }

    public boolean isRsa() {
        return type.equals("RSA");
    }

    public KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(type);
            if (isRsa()) g.initialize(bits, new SecureRandom());
            else g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key pair: " + e.getMessage(), e);
        }
    }

    /** "EC P-256" or "RSA 2048". */
    @Override
    public String toString() {
        return isRsa() ? "RSA " + bits : "EC P-256";
    }

    /** A short description of any public key: "EC P-256", "RSA 3072", or the JCA algorithm name. */
    public static String describe(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) return "RSA " + rsa.getModulus().bitLength();
        if (key instanceof ECPublicKey ec) {
            int size = ec.getParams().getCurve().getField().getFieldSize();
            return switch (size) {
                case 256 -> "EC P-256";
                case 384 -> "EC P-384";
                case 521 -> "EC P-521";
                default -> "EC " + size + "-bit";
            };
        }
        return key.getAlgorithm();
    }
}
