package dev.eventbus.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered set of {@link Key}s: everything a configuration file may contain. Tables are implied by key paths
 * ({@code service.port} makes {@code service} a table). A file is checked against the schema strictly: any other key
 * is an error. Build one from blocks and extend it with {@link #with}:
 *
 * <pre>{@code
 * Schema s = Schema.of("event-gateway", Schemas.TLS, Schemas.LOG).with(Key.port("gateway.port").defaultValue(7222));
 * }</pre>
 *
 * Built-in defaults are checked against their keys when the schema is built, so a bad default fails fast.
 */
public final class Schema {
    private final String name;
    private final Map<String, Key> keys;
    /** Every table path implied by a key, each mapped to its direct children's names, in schema order. */
    private final Map<String, Set<String>> tables;

    private Schema(String name, List<Key> keyList) {
        this.name = name;
        Map<String, Key> byPath = new LinkedHashMap<>();
        Map<String, Set<String>> tableMap = new LinkedHashMap<>();
        tableMap.put("", new LinkedHashSet<>());
        for (Key k : keyList) {
            if (byPath.putIfAbsent(k.path(), k) != null) {
                throw new IllegalArgumentException(name + ": key " + k.path() + " declared twice");
            }
            String[] segments = k.path().split("\\.");
            String prefix = "";
            for (String segment : segments) {
                tableMap.computeIfAbsent(prefix, p -> new LinkedHashSet<>()).add(segment);
                prefix = prefix.isEmpty() ? segment : prefix + "." + segment;
            }
        }
        for (String key : byPath.keySet()) {
            if (tableMap.containsKey(key)) {
                throw new IllegalArgumentException(name + ": " + key + " is declared as a key and used as a table");
            }
        }
        this.keys = byPath;
        this.tables = tableMap;
        for (Key k : keyList) {
            k.defaultValue().ifPresent(d -> {
                String problem = Validator.checkDefault(k, d);
                if (problem != null) throw new IllegalArgumentException(name + ": default of " + k.path() + ": " + problem);
            });
        }
    }

    /** A schema named {@code name} (used in messages) holding {@code keys}, in order. */
    public static Schema of(String name, Key... keys) {
        return new Schema(name, List.of(keys));
    }

    /** A schema built from blocks of keys, in order. */
    @SafeVarargs
    public static Schema of(String name, Collection<Key>... blocks) {
        List<Key> all = new ArrayList<>();
        for (Collection<Key> block : blocks) all.addAll(block);
        return new Schema(name, all);
    }

    /** This schema plus {@code more} keys, appended. */
    public Schema with(Key... more) {
        List<Key> all = new ArrayList<>(keys.values());
        all.addAll(List.of(more));
        return new Schema(name, all);
    }

    /** This schema plus a block of keys, appended. */
    public Schema with(Collection<Key> block) {
        return with(block.toArray(Key[]::new));
    }

    public String name() {
        return name;
    }

    /** Every key, in declaration order. */
    public List<Key> keys() {
        return List.copyOf(keys.values());
    }

    public Optional<Key> key(String path) {
        return Optional.ofNullable(keys.get(path));
    }

    /** Whether {@code path} is a table implied by some key ({@code ""} is the root). */
    public boolean isTable(String path) {
        return tables.containsKey(path);
    }

    /** The names of the keys and tables directly inside table {@code path}. */
    Set<String> children(String path) {
        return tables.getOrDefault(path, Set.of());
    }

    /** Table paths in the order their first key was declared ({@code ""} first). */
    List<String> tablePaths() {
        return List.copyOf(tables.keySet());
    }

    @Override
    public String toString() {
        return "Schema[" + name + ", " + keys.size() + " keys]";
    }
}
