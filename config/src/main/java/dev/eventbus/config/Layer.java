package dev.eventbus.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One source of configuration values. Layers apply in order (built-in &lt; defaults &lt; overrides &lt; patches): a
 * later layer's value replaces an earlier one's.
 *
 * @param kind what role the layer plays
 * @param name how messages and {@code config show} name it: the file as the user gave it, or the bundled resource name
 * @param file the file it was read from, or {@code null} for bundled or in-memory layers
 */
public record Layer(Kind kind, String name, Path file) {
    /** The role of a layer, lowest precedence first. */
    public enum Kind {
        /** A schema default, for a key the bundled defaults file leaves out (e.g. inside an array-of-tables entry). */
        BUILT_IN("built-in"),
        /** The bundled {@code <app>-defaults.toml}. */
        DEFAULTS("default"),
        /** The saved overrides file (what {@code config patch} maintains). */
        OVERRIDES("override"),
        /** A patch file applied on top. */
        PATCH("patch");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The word {@code config show} prints for this kind. */
        public String label() {
            return label;
        }
    }

    /** The layer of schema defaults. */
    public static final Layer BUILT_IN = new Layer(Kind.BUILT_IN, "schema", null);

    public Layer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return kind == Kind.BUILT_IN ? kind.label() : kind.label() + " " + name;
    }
}
