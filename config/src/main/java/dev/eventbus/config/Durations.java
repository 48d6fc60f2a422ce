package dev.eventbus.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration syntax ({@code time.ParseDuration}), as nats-server configs use it: {@code "1h30m"}, {@code "1.5s"}, {@code "250ms"}. */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private Durations() {}

    /** The duration, or {@code null} if {@code text} is not a non-negative Go duration. */
    static Duration parse(String text) {
        if (text.equals("0")) return Duration.ZERO;
        if (text.isEmpty()) return null;
        Matcher m = PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) return null;
            BigDecimal unit = switch (m.group(2)) {
                case "ns" -> BigDecimal.ONE;
                case "us", "µs", "μs" -> BigDecimal.valueOf(1_000L);
                case "ms" -> BigDecimal.valueOf(1_000_000L);
                case "s" -> BigDecimal.valueOf(1_000_000_000L);
                case "m" -> BigDecimal.valueOf(60_000_000_000L);
                default -> BigDecimal.valueOf(3_600_000_000_000L);
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unit));
            at = m.end();
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) return null;
        return Duration.ofNanos(nanos.longValue());
    }

    /** A compact form {@link #parse} reads back: {@code 1h30m}, {@code 2s500ms}, {@code 0s}. */
    static String format(Duration d) {
        if (d.isZero()) return "0s";
        long n = d.toNanos();
        StringBuilder b = new StringBuilder();
        long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] names = {"h", "m", "s", "ms", "us", "ns"};
        for (int i = 0; i < units.length; i++) {
            long q = n / units[i];
            if (q > 0) b.append(q).append(names[i]);
            n %= units[i];
        }
        return b.toString();
    }
}
