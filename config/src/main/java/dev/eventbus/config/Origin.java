package dev.eventbus.config;

import java.util.Objects;

/**
 * Where an effective value came from: its layer and the line:column of its key in that layer's file
 * ({@code 0:0} for built-in schema defaults).
 */
public record Origin(Layer layer, int line, int column) {
    public Origin {
        Objects.requireNonNull(layer, "layer");
    }

    static Origin builtIn() {
        return new Origin(Layer.BUILT_IN, 0, 0);
    }

    /** {@code patch: patch.toml:3}, {@code default: event-service-defaults.toml:5} or {@code built-in}. */
    @Override
    public String toString() {
        if (layer.kind() == Layer.Kind.BUILT_IN) return "built-in";
        return layer.kind().label() + ": " + layer.name() + (line > 0 ? ":" + line : "");
    }
}
