package dev.eventbus.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Health of the service: unhealthy when some handler's target has been failing (no successful delivery since its
 * first failure) for longer than {@code unhealthyAfter}, when the on-disk queue reported a storage error that no
 * later write has cleared, or when a part of the application (the intake, for one) reported a problem it has not
 * cleared. Thread-safe; {@link #status()} is computed on demand, so no timer is needed.
 *
 * <p>Degraded is a third state, for a problem an operator must see but that does not stop the service from taking
 * and delivering events (recovery skipped damage in the log, say): it stays until the part that reported it clears
 * it, and does not make the service unhealthy, so load balancers and event-gateway keep sending events.
 */
public final class HealthState {
    private final Duration unhealthyAfter;
    private final long unhealthyAfterNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Tracker> handlers = new ConcurrentHashMap<>();
    private volatile String storageError;
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final Map<String, String> degradations = new ConcurrentHashMap<>();

    public HealthState(Duration unhealthyAfter) { this(unhealthyAfter, System::nanoTime); }

    public HealthState(Duration unhealthyAfter, LongSupplier nanoClock) {
        this.unhealthyAfter = Objects.requireNonNull(unhealthyAfter, "unhealthyAfter");
        this.unhealthyAfterNanos = unhealthyAfter.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Makes a handler show up in {@link #status()} before its first delivery. */
    public void register(String handler) { handlers.computeIfAbsent(handler, h -> new Tracker()); }

    public void deliverySucceeded(String handler) {
        Tracker t = handlers.computeIfAbsent(handler, h -> new Tracker());
        synchronized (t) {
            t.failingSince = Long.MIN_VALUE;
            t.lastError = null;
        }
    }

    public void deliveryFailed(String handler, String error) {
        Tracker t = handlers.computeIfAbsent(handler, h -> new Tracker());
        synchronized (t) {
            if (t.failingSince == Long.MIN_VALUE) t.failingSince = nanoClock.getAsLong();
            t.lastError = error;
        }
    }

    public void storageFailed(String error) { storageError = Objects.requireNonNullElse(error, "storage error"); }

    public void storageOk() { if (storageError != null) storageError = null; }

    /**
     * A part of the application outside the core (the NATS intake, say) reports why it is not working, or clears
     * its problem with {@code null}; the service is unhealthy while any problem is set.
     */
    public void problem(String component, String descriptionOrNull) {
        Objects.requireNonNull(component, "component");
        if (descriptionOrNull == null) problems.remove(component);
        else problems.put(component, descriptionOrNull);
    }

    /**
     * A part reports something an operator must act on although the service works (the service is then degraded),
     * or clears it with {@code null}.
     */
    public void degraded(String component, String descriptionOrNull) {
        Objects.requireNonNull(component, "component");
        if (descriptionOrNull == null) degradations.remove(component);
        else degradations.put(component, descriptionOrNull);
    }

    public boolean isHealthy() { return status().healthy(); }

    public Duration unhealthyAfter() { return unhealthyAfter; }

    public Status status() {
        long now = nanoClock.getAsLong();
        Map<String, HandlerStatus> out = new LinkedHashMap<>();
        Map<String, String> parts = new TreeMap<>(problems);
        boolean healthy = storageError == null && parts.isEmpty();
        for (var e : new TreeMap<>(handlers).entrySet()) {
            Tracker t = e.getValue();
            long since;
            String err;
            synchronized (t) {
                since = t.failingSince;
                err = t.lastError;
            }
            Duration failingFor = since == Long.MIN_VALUE ? Duration.ZERO : Duration.ofNanos(now - since);
            boolean ok = since == Long.MIN_VALUE || now - since < unhealthyAfterNanos;
            healthy &= ok;
            out.put(e.getKey(), new HandlerStatus(e.getKey(), ok, failingFor, err));
        }
        return new Status(healthy, Collections.unmodifiableMap(out), storageError, Collections.unmodifiableMap(parts),
                Collections.unmodifiableMap(new TreeMap<>(degradations)));
    }

    /**
     * @param storageError the last storage error, or null when writes are fine
     * @param problems     problems reported with {@link #problem}, by component
     * @param degraded     what {@link #degraded} reported, by component
     */
    public record Status(boolean healthy, Map<String, HandlerStatus> handlers, String storageError, Map<String, String> problems,
                         Map<String, String> degraded) {
        /** {@code ok}, {@code degraded} (healthy, with something to look at) or {@code unhealthy}. */
        public String state() { return !healthy ? "unhealthy" : degraded.isEmpty() ? "ok" : "degraded"; }

        /** Every reason the service is unhealthy or degraded, one sentence each (empty when ok). */
        public List<String> reasons() {
            List<String> out = new ArrayList<>();
            if (storageError != null) out.add("storage: " + storageError);
            for (HandlerStatus h : handlers.values()) {
                if (!h.healthy()) {
                    out.add("handler " + h.handler() + ": failing for " + h.failingFor().toSeconds() + "s: " + h.lastError());
                }
            }
            out.addAll(problems.values());
            out.addAll(degraded.values());
            return out;
        }
    }

    /**
     * @param failingFor zero while the target is fine, else how long since the first failure of the current streak
     * @param lastError  the latest failure of the current streak, or null
     */
    public record HandlerStatus(String handler, boolean healthy, Duration failingFor, String lastError) {}

    private static final class Tracker {
        long failingSince = Long.MIN_VALUE;
        String lastError;
    }
}
