package dev.eventbus.service.app;

import dev.eventbus.broker.monitor.PrometheusMetrics;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to the intake's connections to the internal bus: every error, disconnect and replacement is counted
 * here (and logged by {@link IntakeWatch}), so a failing intake shows in /metrics and not only in the log.
 */
@Singleton
final class IntakeMetrics {
    /** Error reasons, pre-created at 0 so that dashboards see every series from the start. */
    static final String EXCEPTION = "exception";
    static final String SERVER_ERROR = "server_error";
    static final String SLOW_CONSUMER = "slow_consumer";
    static final String WRITE_TIMEOUT = "write_timeout";
    static final String DISCONNECTED = "disconnected";
    static final String READER_DIED = "reader_died";
    static final String PROBE_TIMEOUT = "probe_timeout";
    static final String CONNECT_FAILED = "connect_failed";

    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder reconnects = new LongAdder();
    private volatile int configured;
    private volatile int up;

    IntakeMetrics() {
        for (String r : new String[] {EXCEPTION, SERVER_ERROR, SLOW_CONSUMER, WRITE_TIMEOUT, DISCONNECTED, READER_DIED,
                PROBE_TIMEOUT, CONNECT_FAILED}) {
            errors.put(r, new LongAdder());
        }
    }

    void error(String reason) { errors.computeIfAbsent(reason, r -> new LongAdder()).increment(); }

    void reconnected() { reconnects.increment(); }

    void connections(int configuredCount, int upCount) {
        configured = configuredCount;
        up = upCount;
    }

    long errors(String reason) {
        LongAdder a = errors.get(reason);
        return a == null ? 0 : a.sum();
    }

    long reconnects() { return reconnects.sum(); }

    void render(PrometheusMetrics.Writer w) {
        w.family("eventbus_intake_connection_errors_total", "counter",
                "Errors, disconnects and failed liveness probes on the intake's connections to the internal bus, by reason");
        new TreeMap<>(errors).forEach((r, n) -> w.sample("eventbus_intake_connection_errors_total", Map.of("reason", r), n.sum()));
        w.family("eventbus_intake_reconnects_total", "counter", "Intake connections opened to replace a failed one")
                .sample("eventbus_intake_reconnects_total", Map.of(), reconnects.sum());
        w.family("eventbus_intake_connections", "gauge", "Intake connections configured (service.intake_connections)")
                .sample("eventbus_intake_connections", Map.of(), configured);
        w.family("eventbus_intake_connections_up", "gauge", "Intake connections currently connected and subscribed")
                .sample("eventbus_intake_connections_up", Map.of(), up);
    }
}
