package dev.eventbus.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One configuration key in a {@link Schema}: its dotted path, type, constraints, default and description. Immutable;
 * each modifier returns a copy:
 *
 * <pre>{@code
 * Key.port("service.port").defaultValue(10132).doc("gRPC API port")
 * Key.string("log.format").oneOf("text", "json").defaultValue("text").doc("...")
 * Key.tables("frontend_tls", Key.string("server_name").required(), Key.path("cert_path").required())
 * }</pre>
 *
 * Defaults are given as TOML would give them: integers, strings (also for paths and durations), booleans, lists.
 */
public final class Key {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    private final String path;
    private final ValueType type;
    private ValueType element;
    private long min = Long.MIN_VALUE;
    private long max = Long.MAX_VALUE;
    private List<String> allowed = List.of();
    private Pattern pattern;
    private String patternExpected;
    private Object defaultValue;
    private boolean required;
    private String description = "";
    private Schema entries;

    private Key(String path, ValueType type) {
        Objects.requireNonNull(path, "path");
        for (String segment : path.split("\\.", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("bad key path \"" + path + "\": segments are [A-Za-z0-9_-]+");
            }
        }
        this.path = path;
        this.type = type;
    }

    private Key copy() {
        Key k = new Key(path, type);
        k.element = element;
        k.min = min;
        k.max = max;
        k.allowed = allowed;
        k.pattern = pattern;
        k.patternExpected = patternExpected;
        k.defaultValue = defaultValue;
        k.required = required;
        k.description = description;
        k.entries = entries;
        return k;
    }

    public static Key string(String path) {
        return new Key(path, ValueType.STRING);
    }

    public static Key integer(String path) {
        return new Key(path, ValueType.INT);
    }

    /** An integer 1..65535. */
    public static Key port(String path) {
        return integer(path).range(1, 65535);
    }

    public static Key bool(String path) {
        return new Key(path, ValueType.BOOL);
    }

    public static Key path(String path) {
        return new Key(path, ValueType.PATH);
    }

    public static Key duration(String path) {
        return new Key(path, ValueType.DURATION);
    }

    /** An array whose elements are all of {@code element} type (a scalar type); constraints apply to each element. */
    public static Key list(String path, ValueType element) {
        if (element == ValueType.LIST || element == ValueType.TABLES) {
            throw new IllegalArgumentException(path + ": list elements must be a scalar type, not " + element);
        }
        Key k = new Key(path, ValueType.LIST);
        k.element = element;
        return k;
    }

    /**
     * An array of tables ({@code [[path]]}); each entry is checked against {@code entryKeys} (paths relative to the
     * entry). A later layer replaces the whole array. Defaults to an empty array.
     */
    public static Key tables(String path, Key... entryKeys) {
        for (Key e : entryKeys) {
            if (e.type == ValueType.TABLES) {
                throw new IllegalArgumentException(path + ": arrays of tables cannot nest (" + e.path + ")");
            }
        }
        Key k = new Key(path, ValueType.TABLES);
        k.entries = Schema.of(path + "[]", entryKeys);
        k.defaultValue = List.of();
        return k;
    }

    /** Inclusive bounds for an integer (or each element of an integer list). */
    public Key range(long min, long max) {
        if (scalarType() != ValueType.INT) throw new IllegalStateException(path + ": range() applies to integers only");
        if (min > max) throw new IllegalArgumentException(path + ": empty range " + min + ".." + max);
        Key k = copy();
        k.min = min;
        k.max = max;
        return k;
    }

    /** The only strings accepted, compared exactly. */
    public Key oneOf(String... values) {
        if (scalarType() != ValueType.STRING) throw new IllegalStateException(path + ": oneOf() applies to strings only");
        Key k = copy();
        k.allowed = List.of(values);
        return k;
    }

    /**
     * Strings must match {@code regex} as a whole; {@code expected} says what that means to a user, as in
     * "expected <i>an address host:port</i>, got ...".
     */
    public Key pattern(String regex, String expected) {
        if (scalarType() != ValueType.STRING) throw new IllegalStateException(path + ": pattern() applies to strings only");
        Key k = copy();
        k.pattern = Pattern.compile(regex);
        k.patternExpected = Objects.requireNonNull(expected, "expected");
        return k;
    }

    /** The value used when no layer sets the key; checked against the key's type when the schema is built. */
    public Key defaultValue(Object value) {
        Key k = copy();
        k.defaultValue = value instanceof Integer i ? Long.valueOf(i) : Objects.requireNonNull(value, "value");
        return k;
    }

    /** The key must have a value once all layers are merged (inside an array-of-tables entry: in every entry). */
    public Key required() {
        Key k = copy();
        k.required = true;
        return k;
    }

    /** One sentence for operators ({@code eventbus config keys}). */
    public Key doc(String description) {
        Key k = copy();
        k.description = Objects.requireNonNull(description, "description");
        return k;
    }

    public String path() {
        return path;
    }

    public ValueType type() {
        return type;
    }

    /** The element type of a {@link ValueType#LIST}, else empty. */
    public Optional<ValueType> elementType() {
        return Optional.ofNullable(element);
    }

    /** The default as given to {@link #defaultValue(Object)} (integers as {@code Long}). */
    public Optional<Object> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean isRequired() {
        return required;
    }

    public String description() {
        return description;
    }

    /** The schema of one entry of a {@link ValueType#TABLES} key, else {@code null}. */
    public Schema entrySchema() {
        return entries;
    }

    /** The last path segment. */
    public String name() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    /** The dotted path of the table holding this key, {@code ""} at the root. */
    public String parent() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    ValueType scalarType() {
        return type == ValueType.LIST ? element : type;
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }

    List<String> allowed() {
        return allowed;
    }

    Pattern pattern() {
        return pattern;
    }

    /** What a value must be, as in "expected an integer 1..65535". */
    public String expected() {
        if (type == ValueType.LIST) return "an array of " + scalarExpectedPlural();
        return scalarExpected();
    }

    /** What one element (or the scalar value) must be. */
    String scalarExpected() {
        ValueType t = scalarType();
        if (t == ValueType.INT) {
            if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) return "an integer";
            if (max == Long.MAX_VALUE) return "an integer >= " + min;
            if (min == Long.MIN_VALUE) return "an integer <= " + max;
            return "an integer " + min + ".." + max;
        }
        if (t == ValueType.STRING && !allowed.isEmpty()) {
            return "one of " + allowed.stream().map(TomlWriter::quote).collect(Collectors.joining(", "));
        }
        if (t == ValueType.STRING && pattern != null) return patternExpected;
        return t.expected;
    }

    private String scalarExpectedPlural() {
        ValueType t = scalarType();
        if (t == ValueType.INT && (min != Long.MIN_VALUE || max != Long.MAX_VALUE)) {
            return "integers " + scalarExpected().substring("an integer ".length());
        }
        if (!allowed.isEmpty()) return "strings, each " + scalarExpected();
        if (pattern != null) return "strings, each " + patternExpected;
        return t.plural;
    }

    @Override
    public String toString() {
        return path + " (" + (type == ValueType.LIST ? "list of " + element : type) + ")";
    }
}
