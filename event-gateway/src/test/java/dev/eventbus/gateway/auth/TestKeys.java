package dev.eventbus.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eventbus.broker.auth.ClientAuthentication;
import dev.eventbus.broker.protocol.ConnectOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Real keys (generated once per JVM) and helpers to mint tokens for the tests. */
public final class TestKeys {
    public static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final String ISS = "https://automate.example.test";
    public static final String AUD = "event-gateway";

    public static final byte[] HMAC_SECRET = random(48);
    public static final KeyPair RSA = generate("RSA", 2048);
    public static final KeyPair RSA_OTHER = generate("RSA", 2048);
    public static final KeyPair EC = generateEc();
    public static final KeyPair ED25519 = generate("Ed25519", 0);

    private TestKeys() {}

    public static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static KeyPair generate(String alg, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            if (bits > 0) g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generateEc() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static Path writePublicPem(Path dir, String name, KeyPair kp) {
        return write(dir.resolve(name), pem("PUBLIC KEY", kp.getPublic().getEncoded()));
    }

    public static Path writePrivatePem(Path dir, String name, KeyPair kp) {
        return write(dir.resolve(name), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    }

    public static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Claims valid at {@link #NOW}: sub, iss, aud, iat now, exp in an hour, a jti. */
    public static JWTClaimsSet.Builder claims(String sub) {
        return claims(sub, NOW);
    }

    public static JWTClaimsSet.Builder claims(String sub, Instant now) {
        return new JWTClaimsSet.Builder().subject(sub).issuer(ISS).audience(AUD)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).jwtID("jti-" + sub);
    }

    public static String hs256(byte[] secret, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.HS256, null, claims, macSigner(secret));
    }

    public static String rs256(KeyPair kp, JWTClaimsSet claims) { return rs256(kp, null, claims); }

    public static String rs256(KeyPair kp, String kid, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, kid, claims, new RSASSASigner(kp.getPrivate()));
    }

    public static String es256(KeyPair kp, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.ES256, null, claims, new ECDSASigner((java.security.interfaces.ECPrivateKey) kp.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String eddsa(OctetKeyPair okp, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.EdDSA, okp.getKeyID(), claims, new Ed25519Signer(okp));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWSSigner macSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with any header, unsigned: {@code header.payload.signature} from JSON texts. */
    public static String raw(String headerJson, JWTClaimsSet claims, String signature) {
        return Base64URL.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    public static RSAKey rsaJwk(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecJwk(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static OctetKeyPair ed25519Jwk(String kid) {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> nats(List<String> pubAllow, List<String> pubDeny, List<String> subAllow,
                                           List<String> subDeny) {
        return Map.of("pub", Map.of("allow", pubAllow, "deny", pubDeny), "sub", Map.of("allow", subAllow, "deny", subDeny));
    }

    /** What the broker hands an authenticator: a CONNECT carrying this token (null: no auth_token). */
    public static ClientAuthentication client(String token) {
        String json = token == null ? "{}" : "{\"auth_token\":\"" + token.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        ConnectOptions co = ConnectOptions.parse(json);
        return new ClientAuthentication() {
            @Override public ConnectOptions connectOptions() { return co; }
            @Override public String remoteAddress() { return "127.0.0.1:40000"; }
            @Override public List<X509Certificate> peerCertificates() { return List.of(); }
            @Override public String nonce() { return null; }
        };
    }
}
