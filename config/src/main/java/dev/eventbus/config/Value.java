package dev.eventbus.config;

/**
 * One typed value with its provenance.
 *
 * @param value the typed value (Long, String, Boolean, Path, Duration, List, or List&lt;ConfigTable&gt;)
 * @param raw what the file said, where that differs and matters for writing it back: the path string as written
 *     (for PATH and lists of paths); otherwise equal to {@code value}
 * @param origin the layer and position it came from
 */
record Value(Object value, Object raw, Origin origin) {}
