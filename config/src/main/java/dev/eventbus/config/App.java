package dev.eventbus.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The eventbus processes that read a configuration file, each with its schema and bundled defaults. */
public enum App {
    EVENT_SERVICE("event-service", Schemas.EVENT_SERVICE),
    EVENT_GATEWAY("event-gateway", Schemas.EVENT_GATEWAY);

    private final String id;
    private final Schema schema;

    App(String id, Schema schema) {
        this.id = id;
        this.schema = schema;
    }

    /** {@code event-service} or {@code event-gateway}. */
    public String id() {
        return id;
    }

    public Schema schema() {
        return schema;
    }

    /** The bundled defaults file's name, as messages and {@code config show} name it. */
    public String defaultsName() {
        return id + "-defaults.toml";
    }

    /** The bundled defaults file's text. */
    public String defaultsToml() {
        try (InputStream in = App.class.getResourceAsStream(defaultsName())) {
            if (in == null) throw new IllegalStateException("missing resource " + defaultsName());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app called {@code id}; the message lists the valid ids. */
    public static App byId(String id) {
        for (App a : values()) if (a.id.equals(id)) return a;
        throw new IllegalArgumentException("unknown app \"" + id + "\" (expected "
                + Arrays.stream(values()).map(App::id).collect(Collectors.joining(" or ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
