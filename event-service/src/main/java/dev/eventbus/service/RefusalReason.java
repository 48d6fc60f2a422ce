package dev.eventbus.service;

/**
 * Why {@link EventService#accept(byte[])} refused an event. {@link #code()} is the stable snake_case name for logs,
 * metrics labels and API responses.
 */
public enum RefusalReason {
    /** Not parseable JSON, trailing data, a duplicate field, or not a JSON object. Permanent. */
    MALFORMED_JSON("malformed_json", false),
    /** Larger than {@code maxEventBytes}. Permanent. */
    TOO_LARGE("too_large", false),
    /** {@code event_id} absent, null or blank. Permanent. */
    MISSING_EVENT_ID("missing_event_id", false),
    /** {@code type} absent, null or blank. Permanent. */
    MISSING_TYPE("missing_type", false),
    /** {@code type} is not in the routing table. Permanent (until the routing table changes). */
    UNKNOWN_TYPE("unknown_type", false),
    /** The NATS subject ({@code events.<type>}) names another type than the event's {@code type}. Permanent. */
    TYPE_MISMATCH("type_mismatch", false),
    /** A known field has the wrong shape (for example {@code tags} not an array of strings). Permanent. */
    INVALID_FIELD("invalid_field", false),
    /** {@code event_limit} undelivered events are already held. Retry later with the same event_id. */
    EVENT_LIMIT("event_limit", true),
    /** The event could not be written, or not confirmed on disk in time. Retry with the same event_id. */
    STORAGE_UNAVAILABLE("storage_unavailable", true),
    /**
     * No room for the event: the disk is full, or the log would pass {@code queue.max_bytes}. Clears by itself as
     * deliveries free log segments. Retry later with the same event_id.
     */
    STORAGE_FULL("storage_full", true),
    /** The service is stopping. Retry elsewhere or later. */
    SHUTTING_DOWN("shutting_down", true);

    private final String code;
    private final boolean retryable;

    RefusalReason(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    public String code() { return code; }

    /** True when the same event may succeed later (map to 429/503); false for a bad event (map to 400). */
    public boolean retryable() { return retryable; }

    /** True for the reasons {@link EventValidator} produces. */
    public boolean isValidation() { return !retryable; }
}
