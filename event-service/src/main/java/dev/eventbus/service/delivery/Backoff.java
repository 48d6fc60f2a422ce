package dev.eventbus.service.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": before retry {@code n} (0-based) the cap is
 * {@code min(max, base * 2^n)} and the delay is uniform in {@code [cap/2, cap]}, so retries of many handlers spread out
 * but never collapse to zero.
 */
public final class Backoff {
    private final long baseNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    public Backoff(Duration base, Duration max) {
        this(base, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    public Backoff(Duration base, Duration max, DoubleSupplier random) {
        if (base.isNegative() || base.isZero()) throw new IllegalArgumentException("retry base delay must be > 0: " + base);
        if (max.compareTo(base) < 0) throw new IllegalArgumentException("retry max delay must be >= base: " + max);
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The cap before retry {@code n}. */
    public long capNanos(int n) {
        if (n >= 62 || baseNanos > (maxNanos >> Math.min(n, 62))) return maxNanos;
        return Math.min(maxNanos, baseNanos << n);
    }

    /** The delay before retry {@code n} (0-based). */
    public Duration delay(int n) {
        long cap = capNanos(Math.max(0, n));
        long half = cap / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (cap - half)));
    }
}
