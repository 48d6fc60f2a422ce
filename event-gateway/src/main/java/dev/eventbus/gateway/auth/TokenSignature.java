package dev.eventbus.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The second step of {@link JwtAuthenticator#verify}: the signature, with the configured keys only. The algorithm must
 * be one a configured key verifies, the header may name no critical parameter, and a key with the token's
 * {@code kid} (or any key of that algorithm, when either side has no kid) must verify it. Keys the token carries or
 * points to ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are never looked at.
 */
final class TokenSignature {
    private TokenSignature() {}

    /** The parsed token once its signature verified, or why it did not. */
    static Checked<SignedJWT> verify(String token, String alg, List<VerificationKey> keys, Set<JWSAlgorithm> algorithms) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        if (!algorithms.contains(algorithm)) {
            return Checked.refused(Reason.ALG_NOT_ALLOWED, "alg " + SubjectPermissions.printable(alg)
                    + " is not accepted (the configured keys verify " + TokenText.names(algorithms) + ")");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            return Checked.refused(Reason.MALFORMED, "invalid JWS: " + TokenText.oneLine(e.getMessage()));
        }
        JWSHeader header = jwt.getHeader();
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return Checked.refused(Reason.MALFORMED, "unsupported critical header parameters "
                    + SubjectPermissions.printable(String.valueOf(header.getCriticalParams())));
        }
        String kid = header.getKeyID();
        List<VerificationKey> candidates = new ArrayList<>(2);
        for (VerificationKey k : keys) {
            if (k.algorithms().contains(algorithm) && (kid == null || k.kid() == null || kid.equals(k.kid()))) {
                candidates.add(k);
            }
        }
        if (candidates.isEmpty()) {
            return Checked.refused(Reason.UNKNOWN_KEY, "no " + algorithm + " key with kid " + TokenText.quoted(kid));
        }
        byte[] signingInput = jwt.getSigningInput();
        for (VerificationKey k : candidates) {
            if (k.verify(header, signingInput, jwt.getSignature())) return Checked.ok(jwt);
        }
        return Checked.refused(Reason.BAD_SIGNATURE, algorithm + " signature does not verify with "
                + (candidates.size() == 1 ? "the " + candidates.get(0).description() + " key"
                : "any of " + candidates.size() + " keys"));
    }
}
