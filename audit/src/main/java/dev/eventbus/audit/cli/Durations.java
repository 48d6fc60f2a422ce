package dev.eventbus.audit.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations on the command line: {@code 5s}, {@code 500ms}, {@code 1m}, {@code 1.5s}. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    private Durations() {}

    static Duration parse(String flag, String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) throw new UsageException("flag --" + flag + " needs a duration like 5s or 500ms, not '" + text + "'");
        double n = Double.parseDouble(m.group(1));
        long ms = switch (m.group(2)) {
            case "ms" -> Math.round(n);
            case "s" -> Math.round(n * 1000);
            default -> Math.round(n * 60_000);
        };
        if (ms <= 0) throw new UsageException("flag --" + flag + " must be positive");
        return Duration.ofMillis(ms);
    }
}
