package dev.eventbus.gateway.auth;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.CharacterCodingException;
import java.text.ParseException;
import java.util.Map;

/**
 * The first step of {@link JwtAuthenticator#verify}: the token's shape, before any JOSE library parses it. A compact
 * JWS of three base64url parts, and the {@code alg} of its raw header: Nimbus would not even parse
 * {@code alg=none} as a JWS, and the algorithm decides which keys may verify it.
 */
final class TokenSyntax {
    private TokenSyntax() {}

    /** The {@code alg} of a well-formed compact JWS, or why it is not one (the caller has checked its size). */
    static Checked<String> alg(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') dots++;
            else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return Checked.refused(Reason.MALFORMED, "not a JWT: character outside base64url at " + i);
            }
        }
        if (dots == 4) return Checked.refused(Reason.MALFORMED, "encrypted JWTs (JWE) are not accepted");
        if (dots != 2) return Checked.refused(Reason.MALFORMED, "not a JWT: " + (dots + 1) + " parts, not 3");
        try {
            Map<String, Object> header = JSONObjectUtils.parse(
                    TokenText.utf8(new Base64URL(token.substring(0, token.indexOf('.'))).decode()));
            Object a = header.get("alg");
            if (!(a instanceof String s) || s.isEmpty()) return Checked.refused(Reason.MALFORMED, "no alg in the JWT header");
            if (s.equalsIgnoreCase("none")) return Checked.refused(Reason.ALG_NONE, "unsigned token (alg none)");
            return Checked.ok(s);
        } catch (ParseException | CharacterCodingException | RuntimeException e) {
            return Checked.refused(Reason.MALFORMED, "undecodable JWT header");
        }
    }
}
