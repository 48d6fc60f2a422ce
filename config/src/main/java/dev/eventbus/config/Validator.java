package dev.eventbus.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks a parsed file against a {@link Schema} and turns it into typed {@link Value}s, collecting every error. */
final class Validator {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private Validator() {}

    /** Where values come from while checking one layer. */
    private record Ctx(Layer layer, Path dir, List<ConfigError> errors) {
        void error(TomlNode at, String key, String message) {
            errors.add(new ConfigError(layer.name(), at.line(), at.column(), key, message));
        }
    }

    private static final class Mismatch extends Exception {
        Mismatch() {
            super(null, null, false, false);
        }
    }

    private record Conv(Object value, Object raw) {}

    /**
     * The values one layer sets, keyed by dotted path in file order; problems go to {@code errors}.
     *
     * @param dir the folder relative paths resolve against, or {@code null} for the working directory
     */
    static Map<String, Value> check(Schema schema, TomlNode.Table root, Layer layer, Path dir, List<ConfigError> errors) {
        Map<String, Value> out = new LinkedHashMap<>();
        walk(root, "", schema, "", new Ctx(layer, dir, errors), out);
        return out;
    }

    /** The built-in value of a key that has a default. */
    static Value builtIn(Key k) {
        List<ConfigError> errors = new ArrayList<>();
        Value v = convert(k, toNode(k.defaultValue().orElseThrow()), k.path(), new Ctx(Layer.BUILT_IN, null, errors));
        if (v == null) throw new IllegalStateException(errors.toString());
        return v;
    }

    /** Why {@code value} is not a valid default for {@code k}, or {@code null} if it is. */
    static String checkDefault(Key k, Object value) {
        List<ConfigError> errors = new ArrayList<>();
        TomlNode node;
        try {
            node = toNode(value);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        convert(k, node, k.path(), new Ctx(Layer.BUILT_IN, null, errors));
        return errors.isEmpty() ? null : errors.get(0).message();
    }

    private static TomlNode toNode(Object value) {
        if (value instanceof List<?> list) {
            List<TomlNode> items = new ArrayList<>();
            for (Object o : list) items.add(toNode(o));
            return new TomlNode.Array(items, 0, 0);
        }
        if (value instanceof Integer i) return new TomlNode.Scalar(Long.valueOf(i), 0, 0);
        if (value instanceof Long || value instanceof String || value instanceof Boolean) {
            return new TomlNode.Scalar(value, 0, 0);
        }
        throw new IllegalArgumentException("a default must be an integer, string, boolean or list, not "
                + value.getClass().getSimpleName());
    }

    private static void walk(TomlNode.Table table, String prefix, Schema schema, String displayPrefix, Ctx ctx,
                             Map<String, Value> out) {
        for (Map.Entry<String, TomlNode> e : table.entries().entrySet()) {
            String name = e.getKey();
            TomlNode node = e.getValue();
            boolean bare = BARE.matcher(name).matches();
            String rel = prefix.isEmpty() ? name : prefix + "." + name;
            String display = displayPrefix + (bare ? rel : (prefix.isEmpty() ? "" : prefix + ".") + TomlWriter.quote(name));
            Key key = bare ? schema.key(rel).orElse(null) : null;
            if (key != null) {
                Value v = convert(key, node, display, ctx);
                if (v != null) out.put(rel, v);
            } else if (bare && schema.isTable(rel)) {
                if (node instanceof TomlNode.Table t) {
                    walk(t, rel, schema, displayPrefix, ctx, out);
                } else {
                    ctx.error(node, display, "expected a table, got " + got(node));
                }
            } else {
                ctx.error(node, display, "unknown key" + hint(schema, prefix, name, displayPrefix));
            }
        }
    }

    private static String hint(Schema schema, String prefix, String name, String displayPrefix) {
        if (prefix.isEmpty() && displayPrefix.isEmpty() && name.matches("event_service|event_gateway|global")) {
            return " (eventbus files have no [" + name + ".v1.sys] wrapper: write [service], [log], ... directly)";
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : schema.children(prefix)) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null || bestDistance > 2 || bestDistance >= name.length()) return "";
        return " (did you mean " + displayPrefix + (prefix.isEmpty() ? "" : prefix + ".") + best + "?)";
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Value convert(Key k, TomlNode node, String display, Ctx ctx) {
        Origin origin = new Origin(ctx.layer(), node.line(), node.column());
        switch (k.type()) {
            case TABLES:
                return tables(k, node, display, ctx, origin);
            case LIST: {
                if (!(node instanceof TomlNode.Array a)) {
                    ctx.error(node, display, "expected " + k.expected() + ", got " + got(node));
                    return null;
                }
                List<Object> values = new ArrayList<>();
                List<Object> raws = new ArrayList<>();
                boolean ok = true;
                for (int i = 0; i < a.items().size(); i++) {
                    TomlNode item = a.items().get(i);
                    try {
                        Conv c = scalar(k, item, ctx.dir());
                        values.add(c.value());
                        raws.add(c.raw());
                    } catch (Mismatch m) {
                        ctx.error(item, display + "[" + i + "]", "expected " + k.scalarExpected() + ", got " + got(item));
                        ok = false;
                    }
                }
                return ok ? new Value(List.copyOf(values), List.copyOf(raws), origin) : null;
            }
            default:
                try {
                    Conv c = scalar(k, node, ctx.dir());
                    return new Value(c.value(), c.raw(), origin);
                } catch (Mismatch m) {
                    ctx.error(node, display, "expected " + k.expected() + ", got " + got(node));
                    return null;
                }
        }
    }

    private static Value tables(Key k, TomlNode node, String display, Ctx ctx, Origin origin) {
        if (!(node instanceof TomlNode.Array a) || !a.items().stream().allMatch(i -> i instanceof TomlNode.Table)) {
            ctx.error(node, display, "expected " + k.expected() + ", got " + got(node));
            return null;
        }
        Schema entrySchema = k.entrySchema();
        List<ConfigTable> entries = new ArrayList<>();
        int errorsBefore = ctx.errors().size();
        for (int i = 0; i < a.items().size(); i++) {
            TomlNode.Table item = (TomlNode.Table) a.items().get(i);
            String entryDisplay = display + "[" + i + "].";
            Map<String, Value> values = new LinkedHashMap<>();
            walk(item, "", entrySchema, entryDisplay, ctx, values);
            complete(entrySchema, values, missing -> {
                if (!present(item, missing.path())) ctx.error(item, entryDisplay + missing.path(), "required key is missing");
            });
            entries.add(new ConfigTable(entrySchema, values, entryDisplay.substring(0, entryDisplay.length() - 1),
                    new Origin(ctx.layer(), item.line(), item.column())));
        }
        return ctx.errors().size() == errorsBefore ? new Value(List.copyOf(entries), null, origin) : null;
    }

    /** Whether the file sets {@code path} at all (a value already reported as invalid is not also "missing"). */
    private static boolean present(TomlNode.Table table, String path) {
        TomlNode node = table;
        for (String segment : path.split("\\.")) {
            if (!(node instanceof TomlNode.Table t) || !t.entries().containsKey(segment)) return false;
            node = t.entries().get(segment);
        }
        return true;
    }

    /** Puts built-in defaults in for absent keys and reports absent required ones, leaving {@code values} in schema order. */
    static void complete(Schema schema, Map<String, Value> values, java.util.function.Consumer<Key> missing) {
        Map<String, Value> ordered = new LinkedHashMap<>();
        for (Key key : schema.keys()) {
            Value v = values.get(key.path());
            if (v == null && key.defaultValue().isPresent()) v = builtIn(key);
            if (v == null && key.isRequired()) missing.accept(key);
            if (v != null) ordered.put(key.path(), v);
        }
        values.clear();
        values.putAll(ordered);
    }

    private static Conv scalar(Key k, TomlNode node, Path dir) throws Mismatch {
        if (!(node instanceof TomlNode.Scalar s)) throw new Mismatch();
        Object v = s.value();
        switch (k.scalarType()) {
            case STRING: {
                if (!(v instanceof String str)) throw new Mismatch();
                if (!k.allowed().isEmpty() && !k.allowed().contains(str)) throw new Mismatch();
                if (k.pattern() != null && !k.pattern().matcher(str).matches()) throw new Mismatch();
                return new Conv(str, str);
            }
            case INT: {
                long l;
                if (v instanceof Long n) {
                    l = n;
                } else if (v instanceof String str && INTEGER.matcher(str).matches()) {
                    try {
                        l = Long.parseLong(str);
                    } catch (NumberFormatException e) {
                        throw new Mismatch();
                    }
                } else {
                    throw new Mismatch();
                }
                if (l < k.min() || l > k.max()) throw new Mismatch();
                return new Conv(l, l);
            }
            case BOOL: {
                if (!(v instanceof Boolean b)) throw new Mismatch();
                return new Conv(b, b);
            }
            case PATH: {
                if (!(v instanceof String str) || str.isBlank()) throw new Mismatch();
                try {
                    Path p = Path.of(str);
                    Path resolved = (p.isAbsolute() ? p : dir == null ? p.toAbsolutePath() : dir.resolve(p)).normalize();
                    return new Conv(resolved, str);
                } catch (InvalidPathException e) {
                    throw new Mismatch();
                }
            }
            case DURATION: {
                Duration d = v instanceof String str ? Durations.parse(str) : null;
                if (d == null) throw new Mismatch();
                return new Conv(d, v);
            }
            default:
                throw new IllegalStateException("not a scalar type: " + k.scalarType());
        }
    }

    /** How an offending value is shown after "got". */
    static String got(TomlNode node) {
        if (node instanceof TomlNode.Table) return "a table";
        if (node instanceof TomlNode.Array) return "an array";
        Object v = ((TomlNode.Scalar) node).value();
        if (v instanceof String s) {
            String q = TomlWriter.quote(s);
            return q.length() > 60 ? q.substring(0, 56) + "...\"" : q;
        }
        if (v instanceof Double d) {
            if (d.isNaN()) return "nan";
            if (d.isInfinite()) return d > 0 ? "inf" : "-inf";
        }
        return String.valueOf(v);
    }
}
