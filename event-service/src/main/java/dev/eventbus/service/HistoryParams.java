package dev.eventbus.service;

import dev.eventbus.service.queue.HistoryQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of a history read or a replay, as the HTTP API, the NATS API and the CLI spell them:
 * {@code since} (a time), {@code from_seq}, {@code type}, {@code until} (a seq or a time) and {@code limit}. A time is
 * an RFC 3339 timestamp ({@code 2026-12-02T15:04:05Z}) or an age counted back from now ({@code 90s}, {@code 15m},
 * {@code 2h}, {@code 7d}). Every mistake is an {@link IllegalArgumentException} naming the parameter.
 */
public final class HistoryParams {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private HistoryParams() {}

    /**
     * @param param a parameter's value by name, null (or empty) when absent
     * @throws IllegalArgumentException when a value is malformed, or both since and from_seq are given
     */
    public static HistoryQuery query(Function<String, String> param, Instant now) {
        String since = value(param, "since");
        String from = value(param, "from_seq");
        if (since != null && from != null) {
            throw new IllegalArgumentException("give since or from_seq, not both");
        }
        HistoryQuery q = HistoryQuery.all();
        if (from != null) q = q.fromSeq(seq("from_seq", from));
        if (since != null) q = q.since(time("since", since, now));
        String type = value(param, "type");
        if (type != null) q = q.type(type);
        String until = value(param, "until");
        if (until != null) q = until.chars().allMatch(Character::isDigit) ? q.untilSeq(seq("until", until)) : q.until(time("until", until, now));
        return q;
    }

    /** {@code limit}: 1..{@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    public static int limit(Function<String, String> param) {
        String v = value(param, "limit");
        if (v == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException("limit: must be a number from 1 to " + MAX_LIMIT + ", got \"" + v + "\"");
    }

    /** An RFC 3339 time, or an age such as {@code 15m} (that long before {@code now}). */
    public static Instant time(String name, String value, Instant now) {
        Matcher m = AGO.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" is neither a time like 2026-12-02T15:04:05Z"
                    + " nor an age like 15m, 2h or 7d");
        }
    }

    private static long seq(String name, String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException(name + ": an event_seq is a whole number from 1, got \"" + value + "\"");
    }

    private static String value(Function<String, String> param, String name) {
        String v = param.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
