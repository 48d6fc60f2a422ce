package dev.eventbus.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Layers an app's configuration and checks it: bundled defaults &lt; saved overrides &lt; patch files, in the order
 * given. Each file is checked strictly against the schema on its own (unknown keys, wrong types and out-of-range
 * values are errors naming file, line:column and key); then the layers are merged: tables deep-merge, a scalar or an
 * array set by a later layer replaces the earlier value whole, and a value set explicitly (even {@code 0}, {@code ""}
 * or {@code false}) always wins over a default. Every error of every file is reported at once.
 *
 * <pre>{@code
 * EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE).overrides(Path.of("/etc/eventbus/event-service.toml")).load();
 * int port = cfg.getInt("service.port");
 * }</pre>
 */
public final class ConfigLoader {
    private static final Comparator<ConfigError> IN_FILE_ORDER =
            Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column);

    private final App app;
    private final Schema schema;
    private final List<Source> sources = new ArrayList<>();

    /** A layer still to be read: from {@code text} if non-null, else from {@code layer.file()}. */
    private record Source(Layer layer, String text, Path dir) {}

    private ConfigLoader(App app, Schema schema, String defaultsName, String defaultsToml) {
        this.app = app;
        this.schema = schema;
        if (defaultsToml != null) sources.add(new Source(new Layer(Layer.Kind.DEFAULTS, defaultsName, null), defaultsToml, null));
    }

    /** A loader whose first layer is the app's bundled defaults. */
    public static ConfigLoader forApp(App app) {
        return new ConfigLoader(app, app.schema(), app.defaultsName(), app.defaultsToml());
    }

    /**
     * A loader for any schema (a later module's own file, tests).
     *
     * @param defaultsToml the defaults layer's text, or {@code null} for none (schema defaults still apply)
     */
    public static ConfigLoader forSchema(Schema schema, String defaultsName, String defaultsToml) {
        return new ConfigLoader(null, schema, defaultsName, defaultsToml);
    }

    /** Adds the saved overrides file as the next layer. */
    public ConfigLoader overrides(Path file) {
        return file(Layer.Kind.OVERRIDES, file);
    }

    /** Adds a patch file as the next layer. */
    public ConfigLoader patch(Path file) {
        return file(Layer.Kind.PATCH, file);
    }

    /** Adds a file as the next layer, named in messages as {@code file.toString()}. */
    public ConfigLoader file(Layer.Kind kind, Path file) {
        Objects.requireNonNull(file, "file");
        sources.add(new Source(new Layer(kind, file.toString(), file), null, folderOf(file)));
        return this;
    }

    /**
     * Adds TOML text as the next layer.
     *
     * @param name how messages name it
     * @param dir the folder relative paths resolve against, or {@code null} for the working directory
     */
    public ConfigLoader layer(Layer.Kind kind, String name, String toml, Path dir) {
        sources.add(new Source(new Layer(kind, name, null), Objects.requireNonNull(toml, "toml"), dir));
        return this;
    }

    /**
     * Reads, checks and merges every layer.
     *
     * @throws ConfigException listing every problem of every layer
     */
    public EffectiveConfig load() throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        List<Layer> layers = new ArrayList<>();
        List<Map<String, Value>> values = new ArrayList<>();
        for (Source s : sources) {
            String text = s.text() != null ? s.text() : read(s.layer().file(), s.layer().name(), errors);
            layers.add(s.layer());
            values.add(text == null ? Map.of() : check(schema, s.layer(), text, s.dir(), errors));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return assemble(app, schema, layers, values);
    }

    /** Merges checked layers (lowest first), fills in schema defaults and checks required keys. */
    static EffectiveConfig assemble(App app, Schema schema, List<Layer> layers, List<Map<String, Value>> values)
            throws ConfigException {
        Map<String, Value> merged = new LinkedHashMap<>();
        for (Map<String, Value> layer : values) merged.putAll(layer);
        List<ConfigError> errors = new ArrayList<>();
        Validator.complete(schema, merged, k -> errors.add(new ConfigError(null, 0, 0, k.path(),
                "required key is missing (no layer sets it)")));
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new EffectiveConfig(app, schema, layers, merged);
    }

    /** Parses and checks one layer; its values by dotted path, or nothing if it has errors (added to {@code errors}). */
    static Map<String, Value> check(Schema schema, Layer layer, String text, Path dir, List<ConfigError> errors) {
        TomlSource.Parsed parsed = TomlSource.parse(text, layer.name());
        List<ConfigError> found = new ArrayList<>(parsed.errors());
        Map<String, Value> values = parsed.ok() ? Validator.check(schema, parsed.root(), layer, dir, found) : Map.of();
        found.sort(IN_FILE_ORDER);
        errors.addAll(found);
        return found.isEmpty() ? values : Map.of();
    }

    /** The folder relative paths in {@code file} resolve against. */
    static Path folderOf(Path file) {
        return file.toAbsolutePath().normalize().getParent();
    }

    /** A config file's text (strict UTF-8), or {@code null} with a one-line error naming the file. */
    static String read(Path file, String name, List<ConfigError> errors) {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            errors.add(new ConfigError(name, 0, 0, null, cannotRead(file, e)));
            return null;
        }
    }

    /** One line saying why {@code file} could not be read. */
    static String cannotRead(Path file, IOException e) {
        if (e instanceof NoSuchFileException) return "cannot read: no such file";
        if (e instanceof AccessDeniedException) return "cannot read: permission denied";
        if (e instanceof CharacterCodingException) return "cannot read: not UTF-8 text";
        if (Files.isDirectory(file)) return "cannot read: is a directory";
        return "cannot read: " + e.getMessage();
    }

    static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
