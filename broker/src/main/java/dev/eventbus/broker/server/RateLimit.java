package dev.eventbus.broker.server;

/**
 * A publisher's token buckets, for messages and for bytes (no nats-server counterpart: nats-server has no
 * per-client rate limit; event-gateway needs one so one agent cannot starve the others).
 *
 * <p>Threading: confined to the connection's event loop. {@link #take} is called per message and only subtracts;
 * the clock is read only when a bucket is empty, in {@link #deficitNanos}. Each bucket holds one second of its rate, so a
 * burst up to the rate passes at once.
 */
final class RateLimit {
    private final long msgsPerSecond;
    private final long bytesPerSecond;
    private double msgTokens;
    private double byteTokens;
    private long lastNanos = System.nanoTime();

    private RateLimit(long msgsPerSecond, long bytesPerSecond) {
        this.msgsPerSecond = msgsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.msgTokens = msgsPerSecond;
        this.byteTokens = bytesPerSecond;
    }

    /** @return null when both rates are 0 (unlimited) */
    static RateLimit of(long msgsPerSecond, long bytesPerSecond) {
        return msgsPerSecond <= 0 && bytesPerSecond <= 0 ? null : new RateLimit(msgsPerSecond, bytesPerSecond);
    }

    /** @return true when a bucket went empty: the publisher must wait */
    boolean take(int bytes) {
        msgTokens -= 1;
        byteTokens -= bytes;
        return (msgsPerSecond > 0 && msgTokens < 0) || (bytesPerSecond > 0 && byteTokens < 0);
    }

    /** Refills for the time passed; how long to wait until neither bucket is negative (0 when none is). */
    long deficitNanos(long now) {
        double seconds = (now - lastNanos) / 1e9;
        lastNanos = now;
        double wait = 0;
        if (msgsPerSecond > 0) {
            msgTokens = Math.min(msgsPerSecond, msgTokens + seconds * msgsPerSecond);
            if (msgTokens < 0) wait = Math.max(wait, -msgTokens / msgsPerSecond);
        }
        if (bytesPerSecond > 0) {
            byteTokens = Math.min(bytesPerSecond, byteTokens + seconds * bytesPerSecond);
            if (byteTokens < 0) wait = Math.max(wait, -byteTokens / bytesPerSecond);
        }
        return (long) (wait * 1e9);
    }
}
