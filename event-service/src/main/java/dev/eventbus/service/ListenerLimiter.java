package dev.eventbus.service;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent listeners ({@code listener_limit}): NATS subscriptions on {@code events.>} and SSE streams. The seed
 * parsed this key and never enforced it. Never blocks: one more listener than the limit is refused at once.
 *
 * <pre>{@code
 * try (ListenerLimiter.Permit p = limiter.acquire()) {   // throws ListenerLimitException at the limit
 *     streamEvents();
 * }
 * }</pre>
 */
public final class ListenerLimiter {
    private final int limit;
    private final AtomicInteger inUse = new AtomicInteger();

    /** @param limit maximum concurrent listeners; 0 admits none */
    public ListenerLimiter(int limit) {
        if (limit < 0) throw new IllegalArgumentException("listener limit must be >= 0: " + limit);
        this.limit = limit;
    }

    /** Takes a slot if one is free; pair every {@code true} with exactly one {@link #release()}. */
    public boolean tryAcquire() {
        for (;;) {
            int n = inUse.get();
            if (n >= limit) return false;
            if (inUse.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives back a slot taken by {@link #tryAcquire()}. */
    public void release() {
        for (;;) {
            int n = inUse.get();
            if (n == 0) throw new IllegalStateException("release() without a matching tryAcquire()");
            if (inUse.compareAndSet(n, n - 1)) return;
        }
    }

    /** Takes a slot or throws {@link ListenerLimitException} with {@link #refusalMessage()}. */
    public Permit acquire() {
        if (!tryAcquire()) throw new ListenerLimitException(refusalMessage());
        return new Permit();
    }

    public int limit() { return limit; }

    public int inUse() { return inUse.get(); }

    public int available() { return Math.max(0, limit - inUse.get()); }

    /** The refusal text for a listener over the limit. */
    public String refusalMessage() {
        return "listener_limit reached: " + inUse.get() + " of " + limit + " listeners in use";
    }

    /** A slot; closing it releases the slot (idempotent). */
    public final class Permit implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Permit() {}

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) release();
        }
    }

    /** Thrown by {@link #acquire()} when every slot is in use. */
    public static final class ListenerLimitException extends RuntimeException {
        public ListenerLimitException(String message) { super(message); }
    }
}
