package dev.eventbus.gateway.auth;

import dev.eventbus.broker.auth.Permissions;
import dev.eventbus.broker.subject.Subjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Publish/subscribe allow and deny lists as carried in a token's {@value #CLAIM} claim:
 *
 * <pre>{@code "nats": {"pub": {"allow": ["events.>"], "deny": []}, "sub": {"allow": ["_INBOX.>"], "deny": []}}}</pre>
 *
 * Each of the four lists is optional; an absent list (or section, or the whole claim) takes the configured default's
 * list. An empty {@code allow} list allows nothing. A subject matches as in the broker ({@code *}, {@code >}); a
 * subscribe entry may be {@code "subject queue"} to allow or deny only that queue group. Unknown keys are an error,
 * so a misspelt {@code "dney"} cannot silently widen an agent's rights.
 */
public record SubjectPermissions(List<String> publishAllow, List<String> publishDeny,
                                 List<String> subscribeAllow, List<String> subscribeDeny) {
    public static final String CLAIM = "nats";

    /**
     * What an agent gets when its token has no {@value #CLAIM} claim: publish {@code events.>}, subscribe its own
     * inbox {@code _INBOX.{agent}.>} only (see {@link AgentInbox}), so no agent reads another's replies.
     */
    public static final SubjectPermissions DEFAULT = new SubjectPermissions(List.of("events.>"), List.of(),
            List.of("_INBOX." + AgentInbox.PLACEHOLDER + ".>"), List.of());

    /**
     * The health-check identity: publish {@code healthcheck.>} (the probe's request) and subscribe its own inbox
     * {@value AgentInbox#HEALTH_CHECK_PREFIX}{@code .>} (the answer), nothing else.
     */
    public static final SubjectPermissions HEALTH_CHECK = new SubjectPermissions(
            List.of("healthcheck.>"), List.of(), List.of(AgentInbox.HEALTH_CHECK_PREFIX + ".>"), List.of());

    public SubjectPermissions {
        publishAllow = check(publishAllow, "pub.allow", false);
        publishDeny = check(publishDeny, "pub.deny", false);
        subscribeAllow = check(subscribeAllow, "sub.allow", true);
        subscribeDeny = check(subscribeDeny, "sub.deny", true);
    }

    /**
     * These permissions with {@value AgentInbox#PLACEHOLDER} in any entry replaced by the agent's inbox token
     * ({@link AgentInbox#token(String)}), e.g. {@code _INBOX.{agent}.>} becomes {@code _INBOX.agent-7.>}. The token
     * is one subject token without wildcards, so a valid entry stays valid.
     */
    public SubjectPermissions forAgent(String sub) {
        String token = AgentInbox.token(sub);
        return new SubjectPermissions(expand(publishAllow, token), expand(publishDeny, token),
                expand(subscribeAllow, token), expand(subscribeDeny, token));
    }

    private static List<String> expand(List<String> entries, String token) {
        List<String> out = new ArrayList<>(entries.size());
        for (String e : entries) out.add(e.replace(AgentInbox.PLACEHOLDER, token));
        return out;
    }

    /**
     * The broker's view. Reply subjects are limited to what the agent may receive on ({@link #replyAllow()}), so it
     * cannot aim another service's answer at an internal subject or at another agent's inbox.
     */
    public Permissions toPermissions() {
        return Permissions.builder()
                .publishAllow(publishAllow.toArray(String[]::new))
                .publishDeny(publishDeny.toArray(String[]::new))
                .subscribeAllow(subscribeAllow.toArray(String[]::new))
                .subscribeDeny(subscribeDeny.toArray(String[]::new))
                .replyAllow(replyAllow().toArray(String[]::new))
                .build();
    }

    /**
     * The reply subjects a publish may carry: the plain (non-queue) subscribe allow entries, e.g. the agent's own
     * {@code _INBOX.agent-7.>}. Empty when the agent may subscribe to nothing: it could not receive a reply anyway.
     */
    public List<String> replyAllow() {
        List<String> out = new ArrayList<>(subscribeAllow.size());
        for (String e : subscribeAllow) if (e.indexOf(' ') < 0) out.add(e);
        return out;
    }

    /** The {@value #CLAIM} claim value, with every list spelled out (empty deny lists are left out). */
    public Map<String, Object> toClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("pub", section(publishAllow, publishDeny));
        claim.put("sub", section(subscribeAllow, subscribeDeny));
        return claim;
    }

    private static Map<String, Object> section(List<String> allow, List<String> deny) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allow", allow);
        if (!deny.isEmpty()) m.put("deny", deny);
        return m;
    }

    /**
     * Reads a {@value #CLAIM} claim value as Nimbus parsed it (maps and lists).
     *
     * @param claim    null when the token has no such claim
     * @param defaults supplies every list the claim leaves out
     * @throws IllegalArgumentException with a message naming the offending field
     */
    public static SubjectPermissions fromClaim(Object claim, SubjectPermissions defaults) {
        Objects.requireNonNull(defaults, "defaults");
        if (claim == null) return defaults;
        Map<?, ?> nats = object(claim, CLAIM);
        onlyKeys(nats, CLAIM, "pub", "sub");
        Map<?, ?> pub = nats.get("pub") == null ? Map.of() : object(nats.get("pub"), CLAIM + ".pub");
        Map<?, ?> sub = nats.get("sub") == null ? Map.of() : object(nats.get("sub"), CLAIM + ".sub");
        onlyKeys(pub, CLAIM + ".pub", "allow", "deny");
        onlyKeys(sub, CLAIM + ".sub", "allow", "deny");
        return new SubjectPermissions(
                list(pub.get("allow"), CLAIM + ".pub.allow", defaults.publishAllow),
                list(pub.get("deny"), CLAIM + ".pub.deny", defaults.publishDeny),
                list(sub.get("allow"), CLAIM + ".sub.allow", defaults.subscribeAllow),
                list(sub.get("deny"), CLAIM + ".sub.deny", defaults.subscribeDeny));
    }

    private static Map<?, ?> object(Object v, String field) {
        if (v instanceof Map<?, ?> m) return m;
        throw new IllegalArgumentException(field + " must be a JSON object");
    }

    private static void onlyKeys(Map<?, ?> m, String field, String... allowed) {
        for (Object k : m.keySet()) {
            if (!List.of(allowed).contains(k)) {
                throw new IllegalArgumentException("unknown key \"" + printable(String.valueOf(k)) + "\" in " + field
                        + " (expected " + String.join(", ", allowed) + ")");
            }
        }
    }

    private static List<String> list(Object v, String field, List<String> dflt) {
        if (v == null) return dflt;
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException(field + " must be a JSON array of subjects");
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            if (!(o instanceof String s)) throw new IllegalArgumentException(field + " must contain only strings");
            out.add(s);
        }
        return out;
    }

    private static List<String> check(List<String> subjects, String field, boolean queueAllowed) {
        Objects.requireNonNull(subjects, field);
        for (String s : subjects) {
            if (!validEntry(s, queueAllowed)) {
                throw new IllegalArgumentException("invalid subject \"" + printable(s) + "\" in " + CLAIM + "." + field);
            }
        }
        return List.copyOf(subjects);
    }

    private static boolean validEntry(String s, boolean queueAllowed) {
        if (s == null) return false;
        int sp = s.indexOf(' ');
        if (sp >= 0) {
            if (!queueAllowed) return false;
            return validSubject(s.substring(0, sp)) && validSubject(s.substring(sp + 1));
        }
        return validSubject(s);
    }

    private static boolean validSubject(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) return false;
        }
        return Subjects.isValidSubscribeSubject(s);
    }

    /** Bounded and control-character free, for messages built from untrusted input. */
    static String printable(String s) { return printable(s, 64); }

    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > max) b.append('…');
        return b.toString();
    }
}
