package dev.eventbus.service.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * How long delivered events stay in the log as readable history ({@code queue.retention}, {@code queue.retention_bytes}).
 * Undelivered events are never dropped for retention; history goes a whole segment at a time, so what is kept is at
 * least what is configured and at most one segment more.
 *
 * <ul>
 *   <li>{@link #NONE} (both zero): a segment is deleted as soon as every record in it is delivered, at once;</li>
 *   <li>{@code age > 0}: a delivered segment is deleted once its newest record was accepted more than {@code age} ago;</li>
 *   <li>{@code bytes > 0}: delivered segments are deleted, oldest first, while the whole log is larger than
 *       {@code bytes};</li>
 *   <li>both: whichever comes first.</li>
 * </ul>
 * With retention on, deletion is a periodic sweep ({@link DurableQueue#trimHistory}), not work on every acknowledgement.
 *
 * @param age   zero: no age limit (with {@code bytes > 0}) or no history (with {@code bytes == 0})
 * @param bytes zero: no size cap
 */
public record Retention(Duration age, long bytes) {
    public static final Retention NONE = new Retention(Duration.ZERO, 0);

    public Retention {
        Objects.requireNonNull(age, "age");
        if (age.isNegative()) throw new IllegalArgumentException("retention must not be negative: " + age);
        if (bytes < 0) throw new IllegalArgumentException("retention_bytes must not be negative: " + bytes);
    }

    /** False: delivered segments go at once, as before history existed. */
    public boolean keepsHistory() { return !age.isZero() || bytes > 0; }

    /**
     * Whether a fully delivered segment may be deleted now.
     *
     * @param newestAcceptedAtMillis accept time of the segment's newest record
     * @param logBytes               bytes of the whole log right now
     */
    public boolean drops(long newestAcceptedAtMillis, long nowMillis, long logBytes) {
        if (!keepsHistory()) return true;
        if (bytes > 0 && logBytes > bytes) return true;
        return !age.isZero() && nowMillis - newestAcceptedAtMillis > age.toMillis();
    }

    /** How often the sweep runs: often enough that history is not kept much longer than configured. */
    public Duration sweepInterval() {
        if (age.isZero()) return Duration.ofSeconds(10);
        long millis = Math.max(100, Math.min(10_000, age.toMillis() / 10));
        return Duration.ofMillis(millis);
    }

    @Override
    public String toString() {
        if (!keepsHistory()) return "none (deleted once delivered)";
        return (age.isZero() ? "no age limit" : age.toString()) + (bytes > 0 ? ", at most " + bytes + " bytes" : "");
    }
}
