package dev.eventbus.audit.analyze;

/**
 * A threshold of a check (Go's {@code CheckConfiguration}).
 *
 * @param key          e.g. {@code cpu}
 * @param description  what it limits
 * @param defaultValue the value used unless set
 * @param unit         {@code %}, {@code int}, {@code uint} or empty
 */
public record ConfigItem(String key, String description, double defaultValue, String unit) {}
