package dev.eventbus.service.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Callbacks waiting for the log to be durable up to a position: the group commit of the asynchronous accept path.
 * Nobody blocks per event: an accept registers here and returns, and the flusher completes every waiter covered by a
 * force right after it (one fsync for everything appended meanwhile). A waiter whose deadline passes (fsync failing or
 * slower than the accept timeout) is completed as not durable.
 *
 * <p>Waiters are registered right after their append, so ends arrive almost in order; a waiter behind one with a
 * larger end (a duplicate pointing at an earlier record) is only ever completed late, never early.
 */
final class DurableWaiters {
    private record Waiter(long end, long deadlineNanos, DurableCallback callback) {}

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DurableWaiters.class);
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final LongSupplier durableEnd;

    /** @param durableEnd read under this object's lock, so a waiter is never added after the force that covers it */
    DurableWaiters(LongSupplier durableEnd) { this.durableEnd = durableEnd; }

    /** Registers the callback, or returns false when {@code end} is durable already (the caller completes it). */
    synchronized boolean add(long end, long deadlineNanos, DurableCallback callback) {
        if (durableEnd.getAsLong() >= end) return false;
        waiters.addLast(new Waiter(end, deadlineNanos, callback));
        return true;
    }

    /**
     * Completes (outside the lock) every waiter up to {@code durable}, and as not durable every one past its deadline.
     *
     * @return how many were completed as durable
     */
    int complete(long durable, long nowNanos) {
        List<Waiter> done = null, expired = null;
        synchronized (this) {
            Waiter w;
            while ((w = waiters.peekFirst()) != null && w.end <= durable) {
                waiters.pollFirst();
                if (done == null) done = new ArrayList<>();
                done.add(w);
            }
            // the deadline is checked from the head only: waiters are registered in (nearly) deadline order
            while ((w = waiters.peekFirst()) != null && nowNanos - w.deadlineNanos >= 0) {
                waiters.pollFirst();
                if (expired == null) expired = new ArrayList<>();
                expired.add(w);
            }
        }
        if (done != null) for (Waiter w : done) run(w, true);
        if (expired != null) for (Waiter w : expired) run(w, false);
        return done == null ? 0 : done.size();
    }

    /** A callback that throws must not cost the rest of the batch its answer: they are already dequeued. */
    private static void run(Waiter w, boolean durable) {
        try {
            w.callback.done(durable);
        } catch (RuntimeException e) {
            log.error("answering the event that ends at log position {} failed", w.end, e);
        }
    }

    /** The queue closed: every waiter still waiting is completed as not durable. */
    void failAll() {
        List<Waiter> all;
        synchronized (this) {
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : all) run(w, false);
    }

    synchronized boolean isEmpty() { return waiters.isEmpty(); }

    synchronized int size() { return waiters.size(); }
}
