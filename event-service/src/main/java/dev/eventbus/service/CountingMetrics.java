package dev.eventbus.service;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts for {@link ServiceStats} and forwards to the app's metrics, shielding the service from their exceptions. */
final class CountingMetrics implements ServiceMetrics {
    private static final Logger log = LoggerFactory.getLogger(CountingMetrics.class);

    private final ServiceMetrics next;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final Map<RefusalReason, LongAdder> refused = new EnumMap<>(RefusalReason.class);
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();
    private volatile boolean warned;

    CountingMetrics(ServiceMetrics next) {
        this.next = next;
        for (RefusalReason r : RefusalReason.values()) refused.put(r, new LongAdder());
    }

    @Override public void accepted() { accepted.increment(); guard(next::accepted); }
    @Override public void duplicate() { duplicates.increment(); guard(next::duplicate); }
    @Override public void refused(RefusalReason reason) { refused.get(reason).increment(); guard(() -> next.refused(reason)); }
    @Override public void queued(String handler, int depth) { guard(() -> next.queued(handler, depth)); }

    @Override public void delivered(String handler, long latencyNanos) {
        delivered.computeIfAbsent(handler, h -> new LongAdder()).increment();
        guard(() -> next.delivered(handler, latencyNanos));
    }

    @Override public void retry(String handler) {
        retries.computeIfAbsent(handler, h -> new LongAdder()).increment();
        guard(() -> next.retry(handler));
    }

    @Override public void deadLettered(String handler) {
        deadLettered.computeIfAbsent(handler, h -> new LongAdder()).increment();
        guard(() -> next.deadLettered(handler));
    }

    ServiceStats snapshot() {
        Map<RefusalReason, Long> r = new EnumMap<>(RefusalReason.class);
        refused.forEach((k, v) -> r.put(k, v.sum()));
        return new ServiceStats(accepted.sum(), duplicates.sum(), Map.copyOf(r), copy(delivered), copy(retries),
                copy(deadLettered));
    }

    private static Map<String, Long> copy(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return Map.copyOf(out);
    }

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                log.warn("a ServiceMetrics implementation threw (further errors are not logged)", e);
            }
        }
    }
}
