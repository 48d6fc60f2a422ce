package dev.eventbus.config;

/** The value types a {@link Key} can declare. */
public enum ValueType {
    /** A TOML string. Java: {@code String}. */
    STRING("a string", "strings"),
    /** A TOML integer, or a string holding one ({@code "4222"}). Java: {@code Long}. */
    INT("an integer", "integers"),
    /** {@code true} or {@code false}. Java: {@code Boolean}. */
    BOOL("true or false", "booleans"),
    /** A non-empty string naming a file; relative paths resolve against the folder of the file that sets it. Java: {@code Path}. */
    PATH("a path", "paths"),
    /** A Go-style duration string: {@code "10s"}, {@code "2m"}, {@code "1h30m"}, {@code "500ms"}. Java: {@code Duration}. */
    DURATION("a duration such as \"10s\", \"2m\" or \"1h30m\"", "durations"),
    /** An array of one element type, replaced as a whole by a later layer. Java: {@code List}. */
    LIST("an array", "arrays"),
    /** An array of tables ({@code [[name]]}) with its own key schema, replaced as a whole. Java: {@code List<ConfigTable>}. */
    TABLES("an array of tables", "arrays of tables");

    final String expected;
    final String plural;

    ValueType(String expected, String plural) {
        this.expected = expected;
        this.plural = plural;
    }
}
