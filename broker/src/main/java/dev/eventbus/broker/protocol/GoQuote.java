package dev.eventbus.broker.protocol;

import java.nio.charset.StandardCharsets;

/** Go's {@code %q}: the form nats-server puts subjects in its permission errors. */
public final class GoQuote {
    private GoQuote() {}

    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x07 -> b.append("\\a");
                case 0x08 -> b.append("\\b");
                case 0x0c -> b.append("\\f");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) b.append(String.format("\\x%02x", cp));
                    else b.appendCodePoint(cp);
                }
            }
        }
        return b.append('"').toString();
    }

    public static String quote(byte[] utf8) {
        return quote(new String(utf8, StandardCharsets.UTF_8));
    }
}
