package dev.eventbus.config;

/**
 * One problem found in a configuration file, shaped like a compiler message:
 * {@code patch.toml:3:1: service.port: expected an integer 1..65535, got "abc"}.
 *
 * @param file the file as the user named it, or {@code null} when the problem is not in one file
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param key the dotted key path ({@code frontend_tls[1].cert_path}), or {@code null} for file-level problems
 * @param message what is wrong, e.g. {@code unknown key}
 */
public record ConfigError(String file, int line, int column, String key, String message) {
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file);
            if (line > 0) b.append(':').append(line).append(':').append(column);
            b.append(": ");
        }
        if (key != null) b.append(key).append(": ");
        return b.append(message).toString();
    }
}
