package dev.eventbus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes checked values back out as TOML 1.0, in schema order (no TOML library needed for that). */
final class TomlWriter {
    private static final int MAX_ALIGN = 44;

    /** How to write. */
    enum Mode {
        /** Every key of the schema; set values followed by their origin, unset keys as comments; paths resolved. */
        EFFECTIVE,
        /** Only set values, no comments; relative paths re-expressed against the target file's folder. */
        SPARSE
    }

    private TomlWriter() {}

    private record Line(String code, String comment) {}

    /**
     * @param targetDir for {@link Mode#SPARSE}: the folder of the file being written, or {@code null} to keep paths as
     *     they were written
     * @param header comment lines put first (each starting with {@code #}), or {@code null}
     */
    static String render(Schema schema, Map<String, Value> values, Mode mode, Path targetDir, String header) {
        StringBuilder out = new StringBuilder();
        if (header != null) out.append(header).append("\n\n");
        Map<String, List<Key>> byTable = new LinkedHashMap<>();
        byTable.put("", new ArrayList<>());
        for (Key k : schema.keys()) byTable.computeIfAbsent(k.parent(), t -> new ArrayList<>()).add(k);
        for (Map.Entry<String, List<Key>> group : byTable.entrySet()) {
            String table = group.getKey();
            List<Line> lines = new ArrayList<>();
            List<Key> blocks = new ArrayList<>();
            for (Key k : group.getValue()) {
                Value v = values.get(k.path());
                if (v == null) {
                    if (mode == Mode.EFFECTIVE) lines.add(new Line("# " + k.name() + ": not set", null));
                } else if (k.type() == ValueType.TABLES && !((List<?>) v.value()).isEmpty()) {
                    blocks.add(k);
                } else {
                    lines.add(line(k.name(), k, v, mode, targetDir));
                }
            }
            if (!lines.isEmpty()) {
                if (!table.isEmpty()) {
                    if (out.length() > 0 && !endsWithBlankLine(out)) out.append('\n');
                    out.append('[').append(table).append("]\n");
                }
                append(out, lines);
            }
            for (Key k : blocks) {
                Value v = values.get(k.path());
                for (Object o : (List<?>) v.value()) {
                    ConfigTable entry = (ConfigTable) o;
                    if (out.length() > 0 && !endsWithBlankLine(out)) out.append('\n');
                    List<Line> head = List.of(new Line("[[" + k.path() + "]]", mode == Mode.EFFECTIVE ? entry.origin().toString() : null));
                    append(out, head);
                    List<Line> entryLines = new ArrayList<>();
                    for (Key sub : entry.schema().keys()) {
                        Value sv = entry.values.get(sub.path());
                        if (sv != null) entryLines.add(line(sub.path(), sub, sv, mode, targetDir));
                        else if (mode == Mode.EFFECTIVE) entryLines.add(new Line("# " + sub.path() + ": not set", null));
                    }
                    append(out, entryLines);
                }
            }
        }
        return out.toString();
    }

    private static boolean endsWithBlankLine(StringBuilder out) {
        int n = out.length();
        return n >= 2 && out.charAt(n - 1) == '\n' && out.charAt(n - 2) == '\n';
    }

    private static Line line(String name, Key k, Value v, Mode mode, Path targetDir) {
        return new Line(name + " = " + value(k, v, mode, targetDir), comment(v, mode));
    }

    private static String comment(Value v, Mode mode) {
        return mode == Mode.EFFECTIVE ? v.origin().toString() : null;
    }

    private static void append(StringBuilder out, List<Line> lines) {
        int width = 0;
        for (Line l : lines) {
            if (l.comment() != null && l.code().length() <= MAX_ALIGN) width = Math.max(width, l.code().length());
        }
        for (Line l : lines) {
            out.append(l.code());
            if (l.comment() != null) {
                out.append(" ".repeat(Math.max(0, width - l.code().length()) + 2)).append("# ").append(l.comment());
            }
            out.append('\n');
        }
    }

    /** One value as {@link Mode#SPARSE} writes it ({@code "2 entries"} for an array of tables). */
    static String sparseValue(Key k, Value v, Path targetDir) {
        if (k.type() == ValueType.TABLES) {
            int n = ((List<?>) v.value()).size();
            return n == 1 ? "1 entry" : n + " entries";
        }
        return value(k, v, Mode.SPARSE, targetDir);
    }

    private static String value(Key k, Value v, Mode mode, Path targetDir) {
        if (k.type() == ValueType.TABLES) return "[]";
        if (k.type() == ValueType.LIST) {
            List<?> values = (List<?>) v.value();
            List<?> raws = (List<?>) v.raw();
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) b.append(", ");
                b.append(scalar(k.scalarType(), values.get(i), raws.get(i), mode, targetDir));
            }
            return b.append(']').toString();
        }
        return scalar(k.type(), v.value(), v.raw(), mode, targetDir);
    }

    private static String scalar(ValueType type, Object value, Object raw, Mode mode, Path targetDir) {
        switch (type) {
            case STRING:
                return quote((String) value);
            case PATH: {
                Path resolved = (Path) value;
                String written = (String) raw;
                if (mode == Mode.EFFECTIVE) return quote(resolved.toString());
                if (targetDir == null || Path.of(written).isAbsolute()) return quote(written);
                try {
                    return quote(targetDir.toAbsolutePath().normalize().relativize(resolved).toString());
                } catch (IllegalArgumentException e) {
                    return quote(resolved.toString());
                }
            }
            case DURATION:
                return quote(Durations.format((Duration) value));
            default:
                return String.valueOf(value);
        }
    }

    /** A TOML basic string. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04X", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
