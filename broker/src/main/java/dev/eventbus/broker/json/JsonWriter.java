package dev.eventbus.broker.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A streaming JSON writer that reproduces Go's {@code encoding/json} byte for byte: members come out in the order they
 * are written, {@link #indented()} matches {@code json.MarshalIndent(v, "", "  ")}, {@link #compact()} matches
 * {@code json.Marshal}. Monitoring consumers (prometheus-nats-exporter, dashboards, diff-based tests) compare our
 * output with nats-server's, so escaping and number formatting follow Go rather than RFC 8259's minimum.
 *
 * <pre>{@code
 * String json = JsonWriter.indented().beginObject().name("port").value(4222).endObject().toString();
 * }</pre>
 *
 * <p>Not thread-safe; one writer builds one document.
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256);
    private final boolean indent;
    private final Deque<Frame> open = new ArrayDeque<>();
    /** Set between {@link #name(String)} and the member's value, which then needs no separator of its own. */
    private boolean afterName;

    private JsonWriter(boolean indent) { this.indent = indent; }

    /** Go's {@code json.Marshal}: no whitespace at all. */
    public static JsonWriter compact() { return new JsonWriter(false); }

    /** Go's {@code json.MarshalIndent(v, "", "  ")}: two spaces per level, {@code "key": value}, {@code {}} when empty. */
    public static JsonWriter indented() { return new JsonWriter(true); }

    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        open.push(new Frame(true));
        return this;
    }

    public JsonWriter endObject() { return close(true, '}'); }

    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        open.push(new Frame(false));
        return this;
    }

    public JsonWriter endArray() { return close(false, ']'); }

    /** Starts an object member; the next call writes its value. */
    public JsonWriter name(String name) {
        if (open.isEmpty() || !open.peek().object || afterName) throw new IllegalStateException("name outside an object");
        beforeElement();
        quote(name, out);
        out.append(indent ? ": " : ":");
        afterName = true;
        return this;
    }

    /** A string, or {@code null} for a null reference (Go's nil pointer / nil slice). */
    public JsonWriter value(String s) {
        beforeValue();
        if (s == null) out.append("null");
        else quote(s, out);
        return this;
    }

    public JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    public JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    /** A float64 as Go prints it: {@code 2}, {@code 0.5}, {@code 1e+21}, {@code 1e-7}. */
    public JsonWriter value(double d) {
        beforeValue();
        out.append(formatDouble(d));
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /** The document so far; complete once every container is closed. */
    @Override
    public String toString() { return out.toString(); }

    private JsonWriter close(boolean object, char bracket) {
        if (open.isEmpty() || open.peek().object != object || afterName) {
            throw new IllegalStateException("nothing to close with " + bracket);
        }
        boolean empty = open.pop().empty;
        if (!empty) newline();
        out.append(bracket);
        return this;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!open.isEmpty()) {
            if (open.peek().object) throw new IllegalStateException("object member without a name");
            beforeElement();
        } else if (out.length() > 0) throw new IllegalStateException("a JSON document has one top-level value");
    }

    /** Separator and indentation before a member or array element. */
    private void beforeElement() {
        Frame f = open.peek();
        if (f.empty) f.empty = false;
        else out.append(',');
        newline();
    }

    private void newline() {
        if (!indent) return;
        out.append('\n');
        for (int i = open.size(); i > 0; i--) out.append("  ");
    }

    /** {@code s} as a Go JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(s, b);
        return b.toString();
    }

    /**
     * Go 1.19 {@code encodeState.string} with HTML escaping on (the default for {@code json.Marshal}): {@code <>&} and
     * U+2028/U+2029 become {@code \}{@code u} escapes so the text is safe inside HTML and JavaScript (JSONP);
     * only {@code \" \\ \n \r \t} get short escapes; an unpaired surrogate, which Go would see as invalid UTF-8,
     * becomes U+FFFD.
     */
    private static void quote(String s, StringBuilder b) {
        b.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); continue;
                case '\\': b.append("\\\\"); continue;
                case '\n': b.append("\\n"); continue;
                case '\r': b.append("\\r"); continue;
                case '\t': b.append("\\t"); continue;
                default: break;
            }
            if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                unicodeEscape(c, b);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                b.append('\ufffd');
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    private static void unicodeEscape(char c, StringBuilder b) {
        b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }

    /**
     * Go's {@code floatEncoder} for float64: the shortest decimal that reads back as the same double; plain notation
     * for 1e-6 &lt;= |d| &lt; 1e21, otherwise {@code e} notation with a sign and at least one exponent digit
     * ({@code 1e+21}, {@code 5e-7}).
     *
     * @throws IllegalArgumentException for NaN and infinities, which Go refuses to marshal as well
     */
    public static String formatDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("unsupported value: " + d);
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        BigDecimal shortest = shortest(d);
        double abs = Math.abs(d);
        if (abs >= 1e-6 && abs < 1e21) return shortest.toPlainString();
        BigDecimal unscaled = new BigDecimal(shortest.unscaledValue());
        String digits = unscaled.abs().toPlainString();
        int exponent = digits.length() - 1 - shortest.scale();
        StringBuilder b = new StringBuilder();
        if (d < 0) b.append('-');
        b.append(digits.charAt(0));
        if (digits.length() > 1) b.append('.').append(digits, 1, digits.length());
        b.append('e').append(exponent < 0 ? '-' : '+');
        // strconv pads the exponent to two digits and encoding/json trims "e-07" back to "e-7"; positive exponents
        // are always >= 21 here, so no padding survives either way
        b.append(Math.abs(exponent));
        return b.toString();
    }

    /** The fewest significant digits that round-trip, picking the nearest candidate as Go's Ryu-style code does. */
    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p < 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) return r.stripTrailingZeros();
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** One open container. */
    private static final class Frame {
        final boolean object;
        /** True until the first member or element is written: empty containers print as {} and []. */
        boolean empty = true;

        Frame(boolean object) { this.object = object; }
    }
}
