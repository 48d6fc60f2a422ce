package dev.eventbus.broker.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The text forms Go gives times and durations in nats-server's monitoring JSON. Tools parse these with Go's own
 * functions ({@code time.Parse(time.RFC3339Nano)}, {@code time.ParseDuration}), so Java's ISO-8601 forms
 * ({@code PT1.5S}) would break them.
 */
public final class GoFormat {
    /** What Go prints for a zero {@code time.Time}, which is what nats-server shows for a time never set. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private GoFormat() {}

    /**
     * {@code t.UTC().Format(time.RFC3339Nano)}: nanoseconds with trailing zeros trimmed (no fraction at all when
     * zero), always {@code Z}. Null prints as Go's zero time.
     */
    public static String rfc3339Nano(Instant t) {
        if (t == null) return ZERO_TIME;
        LocalDateTime u = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(30);
        int year = u.getYear();
        if (year < 0) b.append('-');
        pad(b, Math.abs(year), 4).append('-');
        pad(b, u.getMonthValue(), 2).append('-');
        pad(b, u.getDayOfMonth(), 2).append('T');
        pad(b, u.getHour(), 2).append(':');
        pad(b, u.getMinute(), 2).append(':');
        pad(b, u.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            b.append('.');
            pad(b, nanos, digits);
        }
        return b.append('Z').toString();
    }

    /**
     * nats-server's {@code myUptime}: whole seconds (truncated toward zero, like Go's integer division) as {@code Xs},
     * {@code XmYs}, {@code XhYmZs}, {@code XdXhXmXs} or {@code XyXdXhXmXs}; no zero padding, 365-day years.
     */
    public static String uptime(Duration d) {
        long tsecs = truncatedSeconds(d);
        long tmins = tsecs / 60;
        long thrs = tmins / 60;
        long tdays = thrs / 24;
        long tyrs = tdays / 365;
        if (tyrs > 0) return tyrs + "y" + tdays % 365 + "d" + thrs % 24 + "h" + tmins % 60 + "m" + tsecs % 60 + "s";
        if (tdays > 0) return tdays + "d" + thrs % 24 + "h" + tmins % 60 + "m" + tsecs % 60 + "s";
        if (thrs > 0) return thrs + "h" + tmins % 60 + "m" + tsecs % 60 + "s";
        if (tmins > 0) return tmins + "m" + tsecs % 60 + "s";
        return tsecs + "s";
    }

    /**
     * Go's {@code time.Duration.String()}: {@code 0s}, {@code 250ns}, {@code 512µs} (U+00B5), {@code 1.234567ms},
     * {@code 1.5s}, {@code 2m0s}, {@code 1h0m0s}. Durations beyond Go's int64-nanosecond range saturate as Go's would
     * have on construction.
     */
    public static String duration(Duration d) {
        long nanos = saturatedNanos(d);
        boolean neg = nanos < 0;
        // magnitude as unsigned, so Long.MIN_VALUE works like Go's uint64 negation
        long u = neg ? -nanos : nanos;
        StringBuilder b = new StringBuilder(24);
        if (Long.compareUnsigned(u, NANOS_PER_SECOND) < 0) {
            if (u == 0) return "0s";
            String unit;
            int prec;
            if (u < 1_000L) {
                unit = "ns";
                prec = 0;
            } else if (u < 1_000_000L) {
                unit = "\u00b5s";
                prec = 3;
            } else {
                unit = "ms";
                prec = 6;
            }
            appendScaled(b, u, prec);
            b.append(unit);
        } else {
            long secs = Long.divideUnsigned(u, NANOS_PER_SECOND);
            long frac = Long.remainderUnsigned(u, NANOS_PER_SECOND);
            long mins = secs / 60;
            long hours = mins / 60;
            if (hours > 0) b.append(hours).append('h');
            if (mins > 0) b.append(mins % 60).append('m');
            b.append(secs % 60);
            appendFraction(b, frac, 9);
            b.append('s');
        }
        return neg ? "-" + b : b.toString();
    }

    /** {@code v / 10^prec} with its fraction trimmed of trailing zeros, as Go's {@code fmtFrac} + {@code fmtInt}. */
    private static void appendScaled(StringBuilder b, long v, int prec) {
        long pow = 1;
        for (int i = 0; i < prec; i++) pow *= 10;
        b.append(v / pow);
        appendFraction(b, v % pow, prec);
    }

    private static void appendFraction(StringBuilder b, long frac, int prec) {
        if (frac == 0) return;
        int digits = prec;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        b.append('.');
        pad(b, frac, digits);
    }

    private static long truncatedSeconds(Duration d) {
        long secs = d.getSeconds();
        // Duration floors negative values (-0.5s is -1s + 500ms); Go's integer division truncates toward zero
        if (secs < 0 && d.getNano() > 0) secs++;
        return secs;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static StringBuilder pad(StringBuilder b, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) b.append('0');
        return b.append(s);
    }
}
