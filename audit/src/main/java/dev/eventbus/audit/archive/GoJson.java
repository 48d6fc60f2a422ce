package dev.eventbus.audit.archive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON the way Go writes it, so archives read the same whichever tool made them:
 * <ul>
 *   <li>{@link #indent} is {@code json.Indent(dst, src, "", "  ")}: the input's keys, order, numbers and escapes are
 *       kept byte for byte, insignificant whitespace is replaced, empty {@code {}}/{@code []} stay compact, and no
 *       newline is added (what gather stores for server replies);</li>
 *   <li>{@link #encode} is a {@code json.Encoder} with {@code SetIndent("", "  ")}: HTML-safe string escapes
 *       ({@code \u003c \u003e \u0026 \u2028 \u2029}) and a trailing newline (what {@code Writer.Add} stores);</li>
 *   <li>{@link #compact} is {@code json.Marshal}.</li>
 * </ul>
 */
public final class GoJson {
    /** Lenient, order-preserving and lossless (big decimals): for reading what servers and Go tools wrote. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(256 * 1024 * 1024).maxNestingDepth(2000).build());
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private GoJson() {}

    /**
     * Parses exactly one JSON value.
     *
     * @throws ArchiveException when {@code json} is not one well-formed JSON value
     */
    public static JsonNode parse(byte[] json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            JsonNode node = MAPPER.readTree(p);
            if (node == null) throw new ArchiveException("invalid JSON: empty input");
            if (p.nextToken() != null) throw new ArchiveException("invalid JSON: more than one value");
            return node;
        } catch (IOException e) {
            throw new ArchiveException("invalid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /** Reads the first JSON value of {@code json} and ignores what follows, as Go's {@code json.Decoder} does. */
    public static JsonNode parseFirst(byte[] json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new ArchiveException("invalid JSON: empty input");
            return MAPPER.readTree(p);
        } catch (IOException e) {
            throw new ArchiveException("invalid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Go's {@code json.Indent} with prefix "" and indent two spaces, after checking that {@code raw} is exactly one
     * valid JSON value (Indent fails on invalid input too).
     */
    public static byte[] indent(byte[] raw) {
        parse(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 4);
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        boolean needIndent = false; // after { or [: indent only once we know it is not empty
        for (byte b : raw) {
            if (inString) {
                out.write(b);
                if (escaped) escaped = false;
                else if (b == '\\') escaped = true;
                else if (b == '"') inString = false;
                continue;
            }
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') continue;
            if (needIndent && b != '}' && b != ']') {
                needIndent = false;
                depth++;
                newline(out, depth);
            }
            switch (b) {
                case '"' -> { inString = true; out.write(b); }
                case '{', '[' -> { out.write(b); needIndent = true; }
                case ',' -> { out.write(b); newline(out, depth); }
                case ':' -> { out.write(b); out.write(' '); }
                case '}', ']' -> {
                    if (needIndent) {
                        needIndent = false; // empty: keep {} / [] compact
                    } else {
                        depth--;
                        newline(out, depth);
                    }
                    out.write(b);
                }
                default -> out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static void newline(ByteArrayOutputStream out, int depth) { newline(out, depth, "  "); }

    private static void newline(ByteArrayOutputStream out, int depth, String indent) {
        out.write('\n');
        for (int i = 0; i < depth; i++) ascii(out, indent);
    }

    /** A {@code json.Encoder} with {@code SetIndent("", "  ")}: indented, HTML-safe, newline-terminated. */
    public static byte[] encode(JsonNode node) { return encode(node, "  "); }

    /** {@link #encode} with another indent, e.g. three spaces as {@code nats audit analyze --json} prints. */
    public static byte[] encode(JsonNode node, String indent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, node, 0, indent);
        out.write('\n');
        return out.toByteArray();
    }

    /** {@code json.Marshal}: compact and HTML-safe. */
    public static byte[] compact(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, node, 0, null);
        return out.toByteArray();
    }

    /** {@link #encode} of any value Jackson can turn into a tree (records, maps, lists, nodes). */
    public static byte[] encodeValue(Object value) {
        return encode(value instanceof JsonNode n ? n : MAPPER.valueToTree(value));
    }

    private static void write(ByteArrayOutputStream out, JsonNode node, int depth, String indent) {
        boolean pretty = indent != null;
        if (node == null || node.isNull() || node.isMissingNode()) {
            ascii(out, "null");
        } else if (node.isObject()) {
            if (node.isEmpty()) { ascii(out, "{}"); return; }
            out.write('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!first) out.write(',');
                first = false;
                if (pretty) newline(out, depth + 1, indent);
                string(out, e.getKey());
                out.write(':');
                if (pretty) out.write(' ');
                write(out, e.getValue(), depth + 1, indent);
            }
            if (pretty) newline(out, depth, indent);
            out.write('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) { ascii(out, "[]"); return; }
            out.write('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) out.write(',');
                if (pretty) newline(out, depth + 1, indent);
                write(out, node.get(i), depth + 1, indent);
            }
            if (pretty) newline(out, depth, indent);
            out.write(']');
        } else if (node.isTextual()) {
            string(out, node.textValue());
        } else if (node.isBoolean()) {
            ascii(out, node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            ascii(out, node.bigIntegerValue().toString());
        } else if (node.isNumber()) {
            ascii(out, goFloat(node.decimalValue()));
        } else {
            string(out, node.asText());
        }
    }

    /** A float the way Go's encoder prints it: plain digits in [1e-6, 1e21), exponent form outside. */
    static String goFloat(BigDecimal d) {
        BigDecimal abs = d.abs();
        if (d.signum() == 0) return "0";
        if (abs.compareTo(new BigDecimal("1e-6")) >= 0 && abs.compareTo(new BigDecimal("1e21")) < 0) {
            return d.stripTrailingZeros().toPlainString();
        }
        String s = d.stripTrailingZeros().toString().replace('E', 'e'); // like 1e+21 / 1e-7
        int e = s.indexOf('e');
        String exp = s.substring(e + 1);
        char sign = exp.charAt(0) == '-' ? '-' : '+';
        String digits = exp.replaceFirst("^[+-]", "");
        if (digits.length() < 2) digits = "0" + digits;
        return s.substring(0, e) + "e" + sign + digits;
    }

    /** A Go-escaped JSON string (HTML-safe), UTF-8. */
    private static void string(ByteArrayOutputStream out, String s) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> ascii(out, "\\\"");
                case '\\' -> ascii(out, "\\\\");
                case '\n' -> ascii(out, "\\n");
                case '\r' -> ascii(out, "\\r");
                case '\t' -> ascii(out, "\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(out, c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else if (c < 0x80) {
                        out.write(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.writeBytes(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                        i++;
                    } else if (Character.isSurrogate(c)) {
                        out.writeBytes("\ufffd".getBytes(StandardCharsets.UTF_8)); // Go writes U+FFFD for bad UTF-8
                    } else {
                        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        out.write('"');
    }

    private static void unicodeEscape(ByteArrayOutputStream out, char c) {
        ascii(out, "\\u");
        out.write(HEX[(c >> 12) & 0xf]);
        out.write(HEX[(c >> 8) & 0xf]);
        out.write(HEX[(c >> 4) & 0xf]);
        out.write(HEX[c & 0xf]);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
