package dev.eventbus.broker.monitor;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request's query string read the way Go's {@code url.ParseQuery} + {@code Query().Get} read it, with nats-server's
 * typed decoders ({@code decodeBool}, {@code decodeInt}, {@code decodeUint64}) and their 400 texts.
 *
 * <p>Go skips a {@code key=value} pair it cannot parse (a semicolon in it, a bad {@code %} escape) instead of failing
 * the request, and {@code Get} returns the first value or "" — so a missing parameter and an empty one are the same.
 */
public final class QueryParams {
    public static final QueryParams EMPTY = new QueryParams(Map.of());

    private final Map<String, String> first;

    private QueryParams(Map<String, String> first) { this.first = first; }

    /** From the raw (still escaped) query, without the {@code ?}; null is an empty query. */
    public static QueryParams parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return EMPTY;
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty() || pair.indexOf(';') >= 0) continue;
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                k = QueryStringDecoder.decodeComponent(k, StandardCharsets.UTF_8);
                v = QueryStringDecoder.decodeComponent(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                continue;
            }
            m.putIfAbsent(k, v);
        }
        return new QueryParams(m);
    }

    /** Builds parameters from already-decoded pairs, for callers that are not HTTP. */
    public static QueryParams of(Map<String, String> values) { return new QueryParams(Map.copyOf(values)); }

    /** The first value, or "" when absent. */
    public String get(String key) { return first.getOrDefault(key, ""); }

    /** {@code decodeBool}: "" is false, otherwise Go's {@code strconv.ParseBool}. */
    public boolean bool(String key) {
        String v = get(key);
        if (v.isEmpty()) return false;
        try {
            return GoStrconv.parseBool(v);
        } catch (NumberFormatException e) {
            throw new MonitorException("Error decoding boolean for '" + key + "': " + e.getMessage());
        }
    }

    /** {@code decodeInt}: "" is 0, otherwise Go's 64-bit {@code strconv.Atoi}. */
    public long integer(String key) {
        String v = get(key);
        if (v.isEmpty()) return 0;
        try {
            return GoStrconv.atoi(v);
        } catch (NumberFormatException e) {
            throw new MonitorException("Error decoding int for '" + key + "': " + e.getMessage());
        }
    }

    /** {@code decodeUint64}: "" is 0; values above 2^63-1 come back negative (compare them, don't do arithmetic). */
    public long uint64(String key) {
        String v = get(key);
        if (v.isEmpty()) return 0;
        try {
            return GoStrconv.parseUint64(v);
        } catch (NumberFormatException e) {
            throw new MonitorException("Error decoding uint64 for '" + key + "': " + e.getMessage());
        }
    }
}
