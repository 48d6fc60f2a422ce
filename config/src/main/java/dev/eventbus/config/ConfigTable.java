package dev.eventbus.config;

import java.util.Map;

/** One entry of an array of tables ({@code [[frontend_tls]]}); key paths are relative to the entry. */
public final class ConfigTable extends ConfigView {
    private final String name;
    private final Origin origin;

    ConfigTable(Schema schema, Map<String, Value> values, String name, Origin origin) {
        super(schema, values);
        this.name = name;
        this.origin = origin;
    }

    /** Where the entry starts (its {@code [[...]]} header or inline table). */
    public Origin origin() {
        return origin;
    }

    /** Its place in the file, as messages name it: {@code frontend_tls[0]}. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + values.keySet();
    }
}
