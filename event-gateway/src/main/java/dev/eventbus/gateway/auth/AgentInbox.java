package dev.eventbus.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Each agent's private inbox prefix, {@code _INBOX.<agent>}, derived from its token's {@code sub}: replies to an
 * agent's requests go there and only that agent may subscribe to it.
 *
 * <p>{@code <agent>} must be exactly one subject token, and two different agents must never get prefixes where one
 * covers the other ({@code _INBOX.a.>} must not match agent {@code a.b}'s inbox). So a {@code sub} made only of
 * {@code [A-Za-z0-9_-]} is used as is (readable in /connz and /subsz), and any other {@code sub} becomes {@code ~}
 * plus 24 hex digits of its SHA-256: {@code ~} cannot occur in the first form, so the two forms never collide, and
 * neither contains a dot. The health-check identity gets {@value #HEALTH_CHECK_PREFIX}, which no {@code sub} maps to
 * ({@code !} is in neither form).
 */
public final class AgentInbox {
    private AgentInbox() {}

    /** The template placeholder in {@link SubjectPermissions} entries that stands for {@link #token(String)}. */
    public static final String PLACEHOLDER = "{agent}";

    /** The health-check identity's private inbox prefix. */
    public static final String HEALTH_CHECK_PREFIX = "_INBOX.!health-check";

    private static final int HASH_HEX_DIGITS = 24;

    /** The agent's inbox token: {@code sub} itself when it is {@code [A-Za-z0-9_-]+}, else {@code ~} and a hash. */
    public static String token(String sub) {
        if (plain(sub)) return sub;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(sub.getBytes(StandardCharsets.UTF_8));
            return "~" + HexFormat.of().formatHex(h).substring(0, HASH_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** {@code _INBOX.<agent>}: what the agent sets as its client's inbox prefix. */
    public static String prefix(String sub) { return "_INBOX." + token(sub); }

    private static boolean plain(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return false;
        }
        return true;
    }
}
