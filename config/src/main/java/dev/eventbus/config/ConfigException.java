package dev.eventbus.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration was refused; {@link #errors()} lists every problem found, in file order. */
public class ConfigException extends Exception {
    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one error");
        this.errors = List.copyOf(errors);
    }

    /** Every problem found; never empty. */
    public List<ConfigError> errors() {
        return errors;
    }
}
