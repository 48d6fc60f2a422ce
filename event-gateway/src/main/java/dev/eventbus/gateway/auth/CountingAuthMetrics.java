package dev.eventbus.gateway.auth;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** An {@link AuthMetrics} that counts in memory: for tests, and as the source an exporter can poll. */
public final class CountingAuthMetrics implements AuthMetrics {
    private final LongAdder successes = new LongAdder();
    private final LongAdder healthChecks = new LongAdder();
    private final LongAdder reloads = new LongAdder();
    private final LongAdder reloadFailures = new LongAdder();
    private final LongAdder permissionViolations = new LongAdder();
    private final LongAdder reservedQueueRefusals = new LongAdder();
    private final LongAdder expiries = new LongAdder();
    private final LongAdder revocations = new LongAdder();
    private final Map<Reason, LongAdder> failures = new EnumMap<>(Reason.class);

    public CountingAuthMetrics() {
        for (Reason r : Reason.values()) failures.put(r, new LongAdder());
    }

    @Override public void success() { successes.increment(); }
    @Override public void failure(Reason reason) { failures.get(reason).increment(); }
    @Override public void healthCheck() { healthChecks.increment(); }
    @Override public void reloaded(Path file) { reloads.increment(); }
    @Override public void reloadFailed(Path file, String error) { reloadFailures.increment(); }
    @Override public void permissionViolation() { permissionViolations.increment(); }
    @Override public void reservedQueueRefused() { reservedQueueRefusals.increment(); }
    @Override public void connectionExpired() { expiries.increment(); }
    @Override public void connectionsRevoked(int connections) { revocations.add(connections); }

    public long successes() { return successes.sum(); }
    public long failures(Reason reason) { return failures.get(reason).sum(); }
    public long healthChecks() { return healthChecks.sum(); }
    public long reloads() { return reloads.sum(); }
    public long reloadFailures() { return reloadFailures.sum(); }
    public long permissionViolations() { return permissionViolations.sum(); }
    public long reservedQueueRefusals() { return reservedQueueRefusals.sum(); }
    public long expiries() { return expiries.sum(); }
    public long revocations() { return revocations.sum(); }

    /** A snapshot of every reason's count, zeros included, in declaration order. */
    public Map<Reason, Long> failures() {
        Map<Reason, Long> m = new EnumMap<>(Reason.class);
        failures.forEach((r, a) -> m.put(r, a.sum()));
        return Collections.unmodifiableMap(m);
    }
}
