package dev.eventbus.service;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Remembers event ids for a time window (like JetStream's {@code duplicate_window}) so that a producer retrying an
 * event is acknowledged without queueing it twice. Bounded: beyond {@code maxEntries} the oldest ids are forgotten
 * early. Each id carries a caller-defined token (the service stores the log position of the first copy, so a
 * duplicate can wait until the first copy is on disk). Thread-safe.
 */
public final class Deduplicator {
    private final long windowNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    public Deduplicator(Duration window, int maxEntries) { this(window, maxEntries, System::nanoTime); }

    public Deduplicator(Duration window, int maxEntries, LongSupplier nanoClock) {
        if (window.isNegative()) throw new IllegalArgumentException("dedup window must be >= 0: " + window);
        if (maxEntries < 0) throw new IllegalArgumentException("dedup maxEntries must be >= 0: " + maxEntries);
        this.windowNanos = window.toNanos();
        this.maxEntries = maxEntries;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** The token recorded for {@code id} within the window, or -1 when the id is new (or its window has passed). */
    public synchronized long lookup(String id) {
        long now = nanoClock.getAsLong();
        evict(now);
        Seen s = seen.get(id);
        return s == null ? -1 : s.token;
    }

    /** Records {@code id} as seen now. */
    public void record(String id, long token) { recordAt(id, token, nanoClock.getAsLong()); }

    /** Records {@code id} as seen at {@code atNanos} (same time base as the clock); used when rebuilding on start. */
    public synchronized void recordAt(String id, long token, long atNanos) {
        if (windowNanos == 0 || maxEntries == 0) return;
        long now = nanoClock.getAsLong();
        if (now - atNanos >= windowNanos) return;
        seen.remove(id);                       // re-insert at the tail so expiry stays in order
        seen.put(id, new Seen(atNanos, token));
        evict(now);
    }

    /** Atomically: true and record when {@code id} is new; false when it was seen within the window. */
    public synchronized boolean tryRecord(String id, long token) {
        if (lookup(id) >= 0) return false;
        record(id, token);
        return true;
    }

    public synchronized void forget(String id) { seen.remove(id); }

    public synchronized int size() {
        evict(nanoClock.getAsLong());
        return seen.size();
    }

    private void evict(long now) {
        Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator();
        int excess = seen.size() - maxEntries;
        while (it.hasNext()) {
            Seen s = it.next().getValue();
            if (excess > 0 || now - s.at >= windowNanos) {
                it.remove();
                excess--;
            } else {
                break;   // insertion order is time order (recordAt keeps it nearly so)
            }
        }
    }

    private record Seen(long at, long token) {}
}
