package dev.eventbus.service;

import java.util.Map;

/**
 * Counters since start, for health pages and tests (the same events {@link ServiceMetrics} sees).
 *
 * @param refused     by reason; every reason is present
 * @param delivered   by handler
 */
public record ServiceStats(long accepted, long duplicates, Map<RefusalReason, Long> refused,
                           Map<String, Long> delivered, Map<String, Long> retries, Map<String, Long> deadLettered) {
    public long refusedTotal() { return refused.values().stream().mapToLong(Long::longValue).sum(); }

    public long refused(RefusalReason r) { return refused.getOrDefault(r, 0L); }

    public long delivered(String handler) { return delivered.getOrDefault(handler, 0L); }

    public long retries(String handler) { return retries.getOrDefault(handler, 0L); }

    public long deadLettered(String handler) { return deadLettered.getOrDefault(handler, 0L); }
}
