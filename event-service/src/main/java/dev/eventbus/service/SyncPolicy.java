package dev.eventbus.service;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When the on-disk queue calls fsync (fdatasync).
 *
 * <ul>
 *   <li>{@link #always()} (the default): {@code accept()} answers "accepted" only after the event's bytes have been
 *       forced to disk. Concurrent accepts share one fsync (group commit). Survives kill -9, OS crash and power loss.
 *   <li>{@link #interval(Duration)}: writes go to the OS page cache and a background thread forces them every
 *       interval (like JetStream's {@code sync_interval}). {@code accept()} answers as soon as the write returns. A
 *       killed process loses nothing (the page cache survives it), but an OS crash or power loss can lose the events
 *       accepted during the last interval. Handlers only see an event once it has been forced, so delivery latency
 *       grows by up to one interval.
 * </ul>
 */
public final class SyncPolicy {
    public enum Mode { ALWAYS, INTERVAL }

    private static final SyncPolicy ALWAYS = new SyncPolicy(Mode.ALWAYS, Duration.ZERO);

    private final Mode mode;
    private final Duration interval;

    private SyncPolicy(Mode mode, Duration interval) {
        this.mode = mode;
        this.interval = interval;
    }

    public static SyncPolicy always() { return ALWAYS; }

    public static SyncPolicy interval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("sync interval must be > 0 and <= 10m: " + interval);
        }
        return new SyncPolicy(Mode.INTERVAL, interval);
    }

    /** {@code "always"} or {@code "interval"} (case-insensitive); the interval is used only for the latter. */
    public static SyncPolicy parse(String mode, Duration interval) {
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "always" -> always();
            case "interval" -> interval(interval);
            default -> throw new IllegalArgumentException("sync policy must be 'always' or 'interval': '" + mode + "'");
        };
    }

    public Mode mode() { return mode; }

    /** The fsync period for INTERVAL; zero for ALWAYS. */
    public Duration interval() { return interval; }

    public boolean isAlways() { return mode == Mode.ALWAYS; }

    @Override public boolean equals(Object o) {
        return o instanceof SyncPolicy p && p.mode == mode && p.interval.equals(interval);
    }
    @Override public int hashCode() { return mode.hashCode() * 31 + interval.hashCode(); }
    @Override public String toString() { return mode == Mode.ALWAYS ? "always" : "interval(" + interval + ")"; }
}
