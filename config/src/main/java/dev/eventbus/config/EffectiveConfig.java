package dev.eventbus.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checked result of layering an app's configuration files: every key's typed value and the layer it came from.
 * Immutable. Built by {@link ConfigLoader}.
 */
public final class EffectiveConfig extends ConfigView {
    private final App app;
    private final List<Layer> layers;

    EffectiveConfig(App app, Schema schema, List<Layer> layers, Map<String, Value> values) {
        super(schema, values);
        this.app = app;
        this.layers = List.copyOf(layers);
    }

    /** The app whose schema this follows, or {@code null} when loaded with a custom schema. */
    public App app() {
        return app;
    }

    /** The layers that were applied, lowest precedence first (the built-in layer is not listed). */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Every set value as a flat map of dotted keys ({@code service.port}, {@code frontend_tls[0].cert_path}), in schema
     * order, as a Micronaut {@code PropertySource} wants it. Integers are Long, paths absolute Strings, durations
     * {@link java.time.Duration}, lists Lists.
     */
    public Map<String, Object> toProperties() {
        return toProperties("");
    }

    /** {@link #toProperties()} with every key prefixed by {@code prefix} (e.g. {@code "eventbus."}). */
    public Map<String, Object> toProperties(String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten(prefix, this, out);
        return out;
    }

    private static void flatten(String prefix, ConfigView view, Map<String, Object> out) {
        for (Map.Entry<String, Value> e : view.values.entrySet()) {
            Object v = e.getValue().value();
            String key = prefix + e.getKey();
            if (view.schema.key(e.getKey()).orElseThrow().type() == ValueType.TABLES) {
                List<?> entries = (List<?>) v;
                for (int i = 0; i < entries.size(); i++) flatten(key + "[" + i + "].", (ConfigTable) entries.get(i), out);
            } else if (v instanceof List<?> list) {
                List<Object> copy = new ArrayList<>();
                for (Object o : list) copy.add(o instanceof Path p ? p.toString() : o);
                out.put(key, List.copyOf(copy));
            } else {
                out.put(key, v instanceof Path p ? p.toString() : v);
            }
        }
    }

    /**
     * The effective configuration as TOML, every value followed by a comment naming its layer and line
     * ({@code port = 5000  # patch: patch.toml:2}); keys without a value appear as comments. Paths are shown resolved.
     */
    public String toToml() {
        StringBuilder header = new StringBuilder("# Effective ")
                .append(app == null ? schema.name() : app.id()).append(" configuration. Layers, lowest first:");
        for (Layer l : layers) header.append("\n#   ").append(l.kind().label()).append(": ").append(l.name());
        return TomlWriter.render(schema, values, TomlWriter.Mode.EFFECTIVE, null, header.toString());
    }

    @Override
    public String toString() {
        return "EffectiveConfig[" + schema.name() + ", layers=" + layers + "]";
    }
}
