package dev.eventbus.service.app;

import dev.eventbus.service.ServiceMetrics;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Publish-to-delivery time per handler, exported as a Prometheus summary's sum and count. */
@Singleton
final class DeliveryLatency implements ServiceMetrics {
    record Totals(LongAdder nanos, LongAdder count) {}

    private final ConcurrentHashMap<String, Totals> byHandler = new ConcurrentHashMap<>();

    @Override
    public void delivered(String handler, long latencyNanos) {
        Totals t = byHandler.computeIfAbsent(handler, h -> new Totals(new LongAdder(), new LongAdder()));
        t.nanos().add(latencyNanos);
        t.count().increment();
    }

    double seconds(String handler) {
        Totals t = byHandler.get(handler);
        return t == null ? 0 : t.nanos().sum() / 1e9;
    }

    long count(String handler) {
        Totals t = byHandler.get(handler);
        return t == null ? 0 : t.count().sum();
    }
}
