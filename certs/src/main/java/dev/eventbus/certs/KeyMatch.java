package dev.eventbus.certs;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

/** Whether a private key belongs to a public key: a test signature, which works for any key type the JDK signs with. */
public final class KeyMatch {
    private KeyMatch() {}

    public static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) {
            // "EC" from one provider and "ECDSA" from another are the same thing; anything else is a mismatch
            if (!(publicKey instanceof ECKey && privateKey instanceof ECKey)) return false;
        }
        if (publicKey instanceof RSAKey pub && privateKey instanceof RSAKey priv && !pub.getModulus().equals(priv.getModulus())) {
            return false;
        }
        String alg = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> null;
            default -> publicKey.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        if (alg == null) return true; // modulus compared above
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature s = Signature.getInstance(alg);
            s.initSign(privateKey);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(publicKey);
            v.update(data);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
