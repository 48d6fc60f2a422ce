package dev.eventbus.service;

/**
 * Metrics hooks with no-op defaults; override what you export (the app maps them to Micrometer). Implementations must
 * be fast, thread-safe, take no locks the service could wait on, and never throw.
 */
public interface ServiceMetrics {
    ServiceMetrics NOOP = new ServiceMetrics() {};

    /** An event was durably queued. */
    default void accepted() {}

    /** An event repeated an event_id seen within the dedup window; it was acknowledged but not queued again. */
    default void duplicate() {}

    /** An event was refused. */
    default void refused(RefusalReason reason) {}

    /** The number of events waiting for (or being delivered to) this handler changed to {@code depth}. */
    default void queued(String handler, int depth) {}

    /** The target confirmed an event; {@code latencyNanos} runs from accept (or replay) to confirmation. */
    default void delivered(String handler, long latencyNanos) {}

    /** A delivery attempt failed and will be retried after a backoff. */
    default void retry(String handler) {}

    /** An event was moved to the dead-letter store after {@code maxAttempts} rejected attempts. */
    default void deadLettered(String handler) {}
}
