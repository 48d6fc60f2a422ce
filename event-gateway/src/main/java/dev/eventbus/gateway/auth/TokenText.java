package dev.eventbus.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** How token verification decodes bytes and prints what a sender wrote into a refusal (never raw, never long). */
final class TokenText {
    private TokenText() {}

    /** Strict UTF-8: a token or file with malformed bytes is refused, not repaired. */
    static String utf8(byte[] b) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    }

    static Set<String> names(Set<JWSAlgorithm> algs) {
        Set<String> n = new TreeSet<>();
        algs.forEach(a -> n.add(a.getName()));
        return Collections.unmodifiableSet(n);
    }

    static Set<String> sorted(Set<String> s) { return new TreeSet<>(s); }

    static String quoted(String s) { return s == null ? "(none)" : "\"" + SubjectPermissions.printable(s) + "\""; }

    static String oneLine(String s) { return s == null ? "" : SubjectPermissions.printable(s, 200); }
}
