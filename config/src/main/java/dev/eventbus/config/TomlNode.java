package dev.eventbus.config;

import java.util.List;
import java.util.Map;

/**
 * A parsed TOML document as plain Java data, independent of the parser library: tables, arrays and scalars, each with
 * the line:column where its key (or array element) starts. Line 0 means "not from a file" (schema defaults).
 */
sealed interface TomlNode permits TomlNode.Table, TomlNode.Array, TomlNode.Scalar {
    int line();

    int column();

    /** Entries in file order. */
    record Table(Map<String, TomlNode> entries, int line, int column) implements TomlNode {}

    record Array(List<TomlNode> items, int line, int column) implements TomlNode {}

    /** {@code value} is a String, Long, Double, Boolean or a java.time value. */
    record Scalar(Object value, int line, int column) implements TomlNode {}
}
