package dev.eventbus.gateway.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eventbus.gateway.auth.KeyFiles;
import java.util.Set;
import java.util.TreeSet;

/** Signs gateway tokens: compact JWS with {@code typ: JWT} and the key's {@code kid}, if any. */
public final class TokenSigner {
    private TokenSigner() {}

    /**
     * @param key a private JWK (RSA, EC, Ed25519) or an HMAC {@code oct} key, e.g. from {@link KeyFiles#readSigningKey}
     * @param alg null for {@link KeyFiles#defaultAlgorithm(JWK)}
     * @param kid the header's {@code kid}; null to take the key's
     * @throws IllegalArgumentException when the algorithm does not fit the key
     */
    public static String sign(JWK key, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
        JWSAlgorithm a = alg == null ? KeyFiles.defaultAlgorithm(key) : alg;
        Set<JWSAlgorithm> possible = KeyFiles.algorithms(key);
        if (!possible.contains(a)) {
            Set<String> names = new TreeSet<>();
            possible.forEach(p -> names.add(p.getName()));
            throw new IllegalArgumentException("algorithm " + a + " does not fit this " + key.getKeyType()
                    + " key (use one of " + String.join(", ", names) + ")");
        }
        try {
            JWSSigner signer;
            if (key instanceof OctetSequenceKey oct) signer = new MACSigner(oct);
            else if (key instanceof RSAKey rsa) signer = new RSASSASigner(rsa);
            else if (key instanceof ECKey ec) signer = new ECDSASigner(ec);
            else if (key instanceof OctetKeyPair okp) signer = new Ed25519Signer(okp);
            else throw new IllegalArgumentException("unsupported key type " + key.getKeyType());
            JWSHeader header = new JWSHeader.Builder(a).type(JOSEObjectType.JWT)
                    .keyID(kid != null ? kid : key.getKeyID()).build();
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign: " + e.getMessage(), e);
        }
    }
}
