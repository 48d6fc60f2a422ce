package dev.eventbus.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The only class that touches the TOML library (tomlj, see docs/decisions/0003-toml-library.md). It turns text into
 * a {@link TomlNode} tree with positions, and TOML errors into {@link ConfigError}s with line:column. Swapping the
 * library means rewriting this class and nothing else.
 */
final class TomlSource {
    private static final Pattern DUPLICATE = Pattern.compile("(.+) previously defined at line (\\d+), column (\\d+)");

    private TomlSource() {}

    /** The parsed tree (possibly partial when there are errors) and the TOML errors, in file order. */
    record Parsed(TomlNode.Table root, List<ConfigError> errors) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * Parses TOML text.
     *
     * @param text the document (a leading byte-order mark is ignored)
     * @param fileName how errors name the document
     */
    static Parsed parse(String text, String fileName) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        TomlParseResult result = Toml.parse(text);
        List<ConfigError> errors = new ArrayList<>();
        for (TomlParseError e : result.errors()) {
            TomlPosition p = e.position();
            errors.add(new ConfigError(fileName, p == null ? 0 : p.line(), p == null ? 0 : p.column(), null,
                    "invalid TOML: " + describe(e.getMessage())));
        }
        return new Parsed(table(result, 1, 1), List.copyOf(errors));
    }

    /** tomlj's messages, made to read like ours: lower-case start, duplicate keys named as such. */
    private static String describe(String message) {
        if (message == null || message.isEmpty()) return "syntax error";
        Matcher m = DUPLICATE.matcher(message);
        if (m.matches()) {
            return "duplicate key \"" + m.group(1) + "\" (first defined at line " + m.group(2) + ", column " + m.group(3) + ")";
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private static TomlNode.Table table(TomlTable t, int line, int column) {
        Map<String, TomlNode> entries = new LinkedHashMap<>();
        for (String key : t.keySet()) {
            List<String> path = List.of(key);
            TomlPosition p = t.inputPositionOf(path);
            entries.put(key, node(t.get(path), p == null ? line : p.line(), p == null ? column : p.column()));
        }
        return new TomlNode.Table(Collections.unmodifiableMap(entries), line, column);
    }

    private static TomlNode node(Object value, int line, int column) {
        if (value instanceof TomlTable t) return table(t, line, column);
        if (value instanceof TomlArray a) {
            List<TomlNode> items = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                TomlPosition p = a.inputPositionOf(i);
                items.add(node(a.get(i), p == null ? line : p.line(), p == null ? column : p.column()));
            }
            return new TomlNode.Array(List.copyOf(items), line, column);
        }
        return new TomlNode.Scalar(value, line, column);
    }
}
