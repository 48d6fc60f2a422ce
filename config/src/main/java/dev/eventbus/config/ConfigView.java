package dev.eventbus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Read access by dotted key path to checked, typed values and where each came from. Immutable.
 * Asking for a key the schema does not declare, or with the wrong getter type, is a programming error
 * ({@link IllegalArgumentException}); asking with {@code get*} for a declared key that has no value (no default and
 * no layer sets it) throws {@link NoSuchElementException}: use {@code find*} for optional keys.
 */
public abstract sealed class ConfigView permits EffectiveConfig, ConfigTable {
    final Schema schema;
    final Map<String, Value> values;

    ConfigView(Schema schema, Map<String, Value> values) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(values);
    }

    public Schema schema() {
        return schema;
    }

    /** The keys that have a value, in schema order. */
    public Set<String> keys() {
        return values.keySet();
    }

    public boolean isSet(String path) {
        key(path);
        return values.containsKey(path);
    }

    /** The typed value (Long, String, Boolean, Path, Duration, List, List&lt;ConfigTable&gt;), if set. */
    public Optional<Object> find(String path) {
        key(path);
        Value v = values.get(path);
        return v == null ? Optional.empty() : Optional.of(v.value());
    }

    public Object get(String path) {
        return find(path).orElseThrow(() -> new NoSuchElementException(path + " is not set"));
    }

    /** The layer (and line) the value of {@code path} came from. */
    public Origin originOf(String path) {
        key(path);
        Value v = values.get(path);
        if (v == null) throw new NoSuchElementException(path + " is not set");
        return v.origin();
    }

    public String getString(String path) {
        return (String) typed(path, ValueType.STRING);
    }

    public Optional<String> findString(String path) {
        return Optional.ofNullable((String) typedOrNull(path, ValueType.STRING));
    }

    public long getLong(String path) {
        return (Long) typed(path, ValueType.INT);
    }

    /** An integer key's value; fails if it does not fit an int (declare a range that does). */
    public int getInt(String path) {
        return Math.toIntExact(getLong(path));
    }

    public boolean getBoolean(String path) {
        return (Boolean) typed(path, ValueType.BOOL);
    }

    /** A path key's value, already resolved against the folder of the file that set it. */
    public Path getPath(String path) {
        return (Path) typed(path, ValueType.PATH);
    }

    public Optional<Path> findPath(String path) {
        return Optional.ofNullable((Path) typedOrNull(path, ValueType.PATH));
    }

    public Duration getDuration(String path) {
        return (Duration) typed(path, ValueType.DURATION);
    }

    /** A list key's elements, typed as its element type says. */
    public <T> List<T> getList(String path, Class<T> elementType) {
        List<?> list = (List<?>) typed(path, ValueType.LIST);
        for (Object o : list) elementType.cast(o);
        @SuppressWarnings("unchecked")
        List<T> typedList = (List<T>) list;
        return typedList;
    }

    /** The entries of an array-of-tables key (empty when none). */
    public List<ConfigTable> getTables(String path) {
        @SuppressWarnings("unchecked")
        List<ConfigTable> tables = (List<ConfigTable>) typed(path, ValueType.TABLES);
        return tables;
    }

    private Key key(String path) {
        return schema.key(path).orElseThrow(() ->
                new IllegalArgumentException("no key " + path + " in the " + schema.name() + " schema"));
    }

    private Object typed(String path, ValueType type) {
        Object o = typedOrNull(path, type);
        if (o == null) throw new NoSuchElementException(path + " is not set");
        return o;
    }

    private Object typedOrNull(String path, ValueType type) {
        Key k = key(path);
        if (k.type() != type) throw new IllegalArgumentException(path + " is " + k.type() + ", not " + type);
        Value v = values.get(path);
        return v == null ? null : v.value();
    }
}
