package dev.eventbus.audit.analyze.checks;

/** The whitespace the Go checks look for in names. */
final class Whitespace {
    private Whitespace() {}

    static boolean contains(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return true;
        }
        return false;
    }
}
