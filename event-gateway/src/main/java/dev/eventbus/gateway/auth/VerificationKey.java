package dev.eventbus.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One configured key with the algorithms it may verify. The algorithm set comes from the key's type (and its JWK
 * {@code alg}, when given), never from the token: that is what defeats algorithm confusion, e.g. an HS256 token
 * "signed" with an RSA public key is checked against HMAC keys only.
 */
record VerificationKey(String kid, Set<JWSAlgorithm> algorithms, JWSVerifier verifier, String description) {
    static final int MIN_RSA_BITS = 2048;

    boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
        try {
            return verifier.verify(header, signingInput, signature);
        } catch (JOSEException | RuntimeException e) {
            return false; // e.g. an ECDSA signature of the wrong length
        }
    }

    /** @throws IllegalArgumentException for keys that cannot sign JWS, weak keys and unsupported curves */
    static VerificationKey of(JWK jwk) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            throw new IllegalArgumentException("key" + kidText(jwk) + " has \"use\": \"" + jwk.getKeyUse().identifier()
                    + "\", not \"sig\"");
        }
        Set<JWSAlgorithm> algs = new LinkedHashSet<>();
        JWSVerifier verifier;
        String what;
        try {
            if (jwk instanceof OctetSequenceKey oct) {
                byte[] secret = oct.toByteArray();
                if (secret.length < KeyFiles.MIN_HMAC_SECRET_BYTES) {
                    throw new IllegalArgumentException("HMAC key" + kidText(jwk) + " is " + secret.length
                            + " bytes, need at least " + KeyFiles.MIN_HMAC_SECRET_BYTES);
                }
                algs.add(JWSAlgorithm.HS256);
                if (secret.length >= 48) algs.add(JWSAlgorithm.HS384);
                if (secret.length >= 64) algs.add(JWSAlgorithm.HS512);
                verifier = new MACVerifier(secret);
                what = "HMAC";
            } else if (jwk instanceof RSAKey rsa) {
                if (rsa.size() < MIN_RSA_BITS) {
                    throw new IllegalArgumentException("RSA key" + kidText(jwk) + " has " + rsa.size()
                            + " bits, need at least " + MIN_RSA_BITS);
                }
                algs.addAll(List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
                        JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512));
                verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
                what = "RSA-" + rsa.size();
            } else if (jwk instanceof ECKey ec) {
                Curve c = ec.getCurve();
                if (Curve.P_256.equals(c)) algs.add(JWSAlgorithm.ES256);
                else if (Curve.P_384.equals(c)) algs.add(JWSAlgorithm.ES384);
                else if (Curve.P_521.equals(c)) algs.add(JWSAlgorithm.ES512);
                else throw new IllegalArgumentException("EC key" + kidText(jwk) + " on unsupported curve " + c);
                verifier = new ECDSAVerifier(ec.toPublicJWK());
                what = "EC " + c.getName();
            } else if (jwk instanceof OctetKeyPair okp) {
                if (!Curve.Ed25519.equals(okp.getCurve())) {
                    throw new IllegalArgumentException("OKP key" + kidText(jwk) + " on unsupported curve "
                            + okp.getCurve() + " (only Ed25519 signs)");
                }
                algs.add(JWSAlgorithm.EdDSA);
                algs.add(JWSAlgorithm.Ed25519);
                verifier = new Ed25519Verifier(okp.toPublicJWK());
                what = "Ed25519";
            } else {
                throw new IllegalArgumentException("unsupported key type " + jwk.getKeyType());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable key" + kidText(jwk) + ": " + e.getMessage(), e);
        }
        if (jwk.getAlgorithm() != null) {
            JWSAlgorithm declared = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
            if (!algs.contains(declared)) {
                throw new IllegalArgumentException("key" + kidText(jwk) + " declares \"alg\": \"" + declared
                        + "\", which a " + what + " key cannot verify");
            }
            algs.retainAll(Set.of(declared));
        }
        return new VerificationKey(jwk.getKeyID(), Set.copyOf(algs), verifier,
                what + (jwk.getKeyID() == null ? "" : " kid=" + jwk.getKeyID()));
    }

    private static String kidText(JWK jwk) {
        return jwk.getKeyID() == null ? "" : " \"" + jwk.getKeyID() + "\"";
    }
}
