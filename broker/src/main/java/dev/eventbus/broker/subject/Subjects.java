package dev.eventbus.broker.subject;

/**
 * Subject syntax as nats-server's {@code sublist.go} defines it: tokens split on '.', a token is a wildcard only
 * when it is exactly {@code *} or {@code >}, and {@code >} may only be last.
 */
public final class Subjects {
    private Subjects() {}

    /** A subscription subject: non-empty, no empty token, {@code >} only as the last token. */
    public static boolean isValidSubscribeSubject(String s) {
        int n = s.length();
        if (n == 0) return false;
        int tokenStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || s.charAt(i) == '.') {
                int len = i - tokenStart;
                if (len == 0) return false;
                if (len == 1 && s.charAt(tokenStart) == '>' && i != n) return false;
                tokenStart = i + 1;
            }
        }
        return true;
    }

    /** A publish subject: a valid subject with no wildcard token ({@code IsValidLiteralSubject}). */
    public static boolean isValidLiteralSubject(String s) {
        return isValidSubscribeSubject(s) && !hasWildcardToken(s);
    }

    public static boolean hasWildcardToken(String s) {
        int n = s.length();
        int tokenStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || s.charAt(i) == '.') {
                if (i - tokenStart == 1) {
                    char c = s.charAt(tokenStart);
                    if (c == '*' || c == '>') return true;
                }
                tokenStart = i + 1;
            }
        }
        return false;
    }

    /** True when the subject has an empty token, which nats-server routes nowhere (not even to {@code >}). */
    public static boolean hasEmptyToken(String s) {
        int n = s.length();
        if (n == 0) return true;
        return s.charAt(0) == '.' || s.charAt(n - 1) == '.' || s.contains("..");
    }

    /**
     * Does {@code pattern} (which may hold wildcards) match the subject? Used for permission lists, which are short
     * and whose answers are cached per connection, so clarity wins over speed here. A wildcard in the subject is
     * matched as a literal token.
     */
    public static boolean matches(String pattern, String subject) {
        String[] p = pattern.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) return s.length > i;
            if (i >= s.length) return false;
            if (!p[i].equals("*") && !p[i].equals(s[i])) return false;
        }
        return p.length == s.length;
    }

    /**
     * Whether every subject {@code subject} can match is also matched by {@code pattern} (nats-server's
     * {@code subjectIsSubsetMatch}): {@code foo.*} covers {@code foo.bar} and itself, but not {@code foo.>}.
     */
    public static boolean isSubsetMatch(String subject, String pattern) {
        String[] s = subject.split("\\.", -1);
        String[] p = pattern.split("\\.", -1);
        for (int i = 0; i < s.length; i++) {
            if (i >= p.length) return false;
            if (p[i].equals(">")) return true;
            if (s[i].equals(">")) return false;
            if (p[i].equals("*")) continue;
            if (s[i].equals("*") || !p[i].equals(s[i])) return false;
        }
        return s.length == p.length;
    }

    /** Whether some subject is matched by both (each may hold wildcards). */
    public static boolean overlaps(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i].equals(">") || y[i].equals(">")) return true;
            if (x[i].equals("*") || y[i].equals("*")) continue;
            if (!x[i].equals(y[i])) return false;
        }
        return x.length == y.length;
    }
}
