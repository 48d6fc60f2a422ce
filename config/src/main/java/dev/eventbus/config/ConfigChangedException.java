package dev.eventbus.config;

import java.nio.file.Path;

/**
 * {@link ConfigPatcher} refused to write because the file it patches changed after it was read (the compare-and-swap
 * of {@code chef-automate config patch}). Nothing was written; the caller may read it again and retry.
 */
public final class ConfigChangedException extends Exception {
    private final transient Path file;

    public ConfigChangedException(Path file) {
        super(file + " changed since it was read; nothing was written. Run the command again.");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
