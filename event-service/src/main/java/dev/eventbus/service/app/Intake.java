package dev.eventbus.service.app;

import dev.eventbus.broker.Broker;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.service.AcceptResult;
import dev.eventbus.service.EventService;
import dev.eventbus.service.HealthState;
import io.micronaut.context.annotation.Context;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Options;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events published on {@code events.<type>} (on the internal bus, or by agents through event-gateway) go to the
 * pipeline; a publish with a reply subject is answered once the event is durably queued, or refused with the reason.
 * Also answers event-gateway's health probe.
 *
 * <p>Intake never depends on one connection staying healthy: {@code service.intake_connections} connections each
 * join the queue group, a liveness check probes every one of them every half {@code service.intake_probe_timeout}, and
 * a connection that fails (jnats reports an error or a disconnect, its reader dies, or its probe goes unanswered) is
 * closed and replaced at once. Every such event is logged and counted ({@link IntakeMetrics}); while a connection
 * cannot be replaced the service is unhealthy, and /healthz and the health probe's answer say why.
 *
 * <p>The internal NATS port and the gateway open only once every intake connection is subscribed: the intake
 * connects through the broker's local listener ({@link Broker#localPort()}), then calls {@link Broker#acceptClients()}.
 * Before, a client could publish in the window between the port opening and the intake subscribing (0.4–6.2 s), and
 * get "no responders" or lose a fire-and-forget event.
 */
@Context
final class Intake {
    static final String SUBJECTS = "events.>";
    static final String QUEUE = "event-service";
    static final String HEALTH_SUBJECT = "healthcheck.event-service";
    static final String HEALTH_COMPONENT = "intake";
    static final Duration MIN_PROBE_TIMEOUT = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    private final EffectiveConfig cfg;
    private final Broker broker;
    private final EventService service;
    private final ServiceFactory.ListenerGate gate;
    private final IntakeMetrics metrics;
    private final long probeTimeoutNanos;
    private final Slot[] slots;
    private final ScheduledExecutorService liveness;
    private volatile boolean started;

    /** One of the intake's connections; replaced in place, only by the liveness thread. */
    private static final class Slot {
        final String name;
        volatile IntakeConnection current;
        /** Why the last connection was closed, while it is not replaced. */
        volatile String failure;
        /** Why the latest attempt to replace it failed. */
        volatile String connectError;

        Slot(String name) { this.name = name; }

        String downReason() {
            if (connectError == null) return failure;
            return (failure == null ? "" : failure + "; ") + "cannot reconnect: " + connectError;
        }
    }

    Intake(EffectiveConfig cfg, Broker broker, EventService service, ServiceFactory.ListenerGate gate,
           IntakeMetrics metrics) throws Exception {
        this.cfg = cfg;
        this.broker = broker;
        this.service = service;
        this.gate = gate;
        this.metrics = metrics;
        Duration probeTimeout = cfg.getDuration("service.intake_probe_timeout");
        if (probeTimeout.compareTo(MIN_PROBE_TIMEOUT) < 0) {
            throw new IllegalArgumentException("service.intake_probe_timeout: must be at least "
                    + MIN_PROBE_TIMEOUT.toMillis() + "ms, got " + probeTimeout.toMillis() + "ms");
        }
        this.probeTimeoutNanos = probeTimeout.toNanos();
        this.slots = new Slot[cfg.getInt("service.intake_connections")];
        this.liveness = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventbus-intake-liveness");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new Slot("event-service intake " + (i + 1));
                slots[i].current = open(slots[i]);
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        publishState();
        try {
            broker.acceptClients();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("event-service: internal NATS on port {}, gateway \"{}\" on port {}", broker.port(),
                ServiceFactory.GATEWAY_NAME, broker.gatewayPort());
        started = true;
        long every = Math.max(1, probeTimeoutNanos / 2);
        liveness.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.NANOSECONDS);
        log.info("event-service: taking events on {} (queue group {}) over {} connections, probed every {} ms",
                SUBJECTS, QUEUE, slots.length, TimeUnit.NANOSECONDS.toMillis(every));
    }

    private IntakeConnection open(Slot slot) throws Exception {
        IntakeWatch watch = new IntakeWatch(slot.name, metrics, this::wake);
        long timeoutMillis = Math.max(1000, TimeUnit.NANOSECONDS.toMillis(probeTimeoutNanos));
        Options.Builder o = ServiceFactory.internalClient(cfg, broker).connectionName(slot.name)
                // the liveness check replaces a failed connection itself, so that the new one is exempted from
                // listener_limit (by client id) before it subscribes, and every replacement is logged and counted
                .noReconnect()
                .connectionTimeout(Duration.ofMillis(timeoutMillis));
        return IntakeConnection.open(o, watch, gate.intakeCids::add, this::onEvent, this::onHealth);
    }

    /** A connection reported a failure: check now rather than at the next tick. */
    private void wake() {
        try {
            liveness.execute(this::checkAll);
        } catch (RejectedExecutionException stopping) {
            // shutting down
        }
    }

    /** Runs on the liveness thread only. */
    private void checkAll() {
        if (!started) return; // a connection failed while the constructor was still opening the others
        try {
            long now = System.nanoTime();
            for (Slot slot : slots) {
                IntakeConnection c = slot.current;
                if (c != null) {
                    String why = c.check(now, probeTimeoutNanos);
                    if (why == null) continue;
                    log.warn("{}: {}; closing it and opening a new one", slot.name, why);
                    slot.current = null;
                    slot.failure = why;
                    closeInBackground(c);
                }
                reopen(slot);
            }
            publishState();
        } catch (RuntimeException | Error e) {
            // never let the liveness check die: log and go on at the next tick
            log.error("event-service intake liveness check failed", e);
        }
    }

    private void reopen(Slot slot) {
        try {
            slot.current = open(slot);
            metrics.reconnected();
            log.info("{}: reconnected and subscribed again (it had failed: {})", slot.name, slot.failure);
            slot.failure = null;
            slot.connectError = null;
        } catch (Exception e) {
            metrics.error(IntakeMetrics.CONNECT_FAILED);
            String err = IntakeWatch.describe(e);
            if (!err.equals(slot.connectError)) log.warn("{}: cannot reconnect: {} (retrying at every check)", slot.name, err);
            slot.connectError = err;
        }
    }

    private static void closeInBackground(IntakeConnection c) {
        Thread t = new Thread(c::close, "eventbus-intake-close");
        t.setDaemon(true);
        t.start();
    }

    /** Updates the up/down gauge and the service's health with the reason of the first connection that is down. */
    private void publishState() {
        int down = 0;
        String first = null;
        for (Slot s : slots) {
            if (s == null || s.current == null) {
                down++;
                if (first == null && s != null) first = s.downReason();
            }
        }
        metrics.connections(slots.length, slots.length - down);
        service.health().problem(HEALTH_COMPONENT, down == 0 ? null
                : "intake: " + down + " of " + slots.length + " connections down: " + first);
    }

    /**
     * Runs on the connection's one event dispatcher and does not wait for the disk: the answer is published from the
     * queue's flusher once the fsync covering the event is done (group commit), so the events in flight are limited
     * only by the publishers, and one dispatcher keeps the connection's arrival order.
     */
    private void onEvent(Connection nc, Message m) {
        service.acceptAsync(m.getData(), subjectType(m.getSubject()), r -> {
            if (r.isRefused()) log.info("event refused on {}: {} {}", m.getSubject(), r.reason(), r.message());
            reply(nc, m, answer(r));
        });
    }

    /** The type an {@code events.<type>} subject names: everything after {@code events.}. */
    static String subjectType(String subject) { return subject.substring(SUBJECTS.length() - 1); }

    /**
     * {@code {"accepted":true,"event_id":"…","event_seq":N}} or {@code {"accepted":false,"error":"…"}}, as the issue
     * specifies; a duplicate has no event_seq of its own ({@code "duplicate":true}).
     */
    static String answer(AcceptResult r) {
        if (r.isAccepted()) {
            return "{\"accepted\":true,\"event_id\":" + JsonText.quote(r.eventId()) + (r.seq() > 0 ? ",\"event_seq\":" + r.seq() : "")
                    + (r.isDuplicate() ? ",\"duplicate\":true" : "") + "}";
        }
        return refusal(r.reason().code(), r.message());
    }

    /** {@code {"accepted":false,"error":"…","reason":"…"}}: a refusal, also for the HTTP API's own (415, 413). */
    static String refusal(String reasonCode, String message) {
        return "{\"accepted\":false,\"error\":" + JsonText.quote(message) + ",\"reason\":" + JsonText.quote(reasonCode) + "}";
    }

    /** {@code {"status":"ok"}}, or {@code {"status":"unhealthy","reasons":[…]}} with every reason /healthz gives. */
    private void onHealth(Connection nc, Message m) {
        HealthState.Status s = service.health().status();
        reply(nc, m, s.healthy() ? "{\"status\":\"ok\"}" : "{\"status\":\"unhealthy\",\"reasons\":" + JsonText.array(s.reasons()) + "}");
    }

    private static void reply(Connection nc, Message m, String body) {
        if (m.getReplyTo() == null) return;
        try {
            nc.publish(m.getReplyTo(), body.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalStateException closed) {
            // the connection is being replaced; the sender's request times out and it retries (same event_id)
            log.debug("cannot answer on {}: {}", m.getReplyTo(), closed.getMessage());
        }
    }

    @PreDestroy
    void close() {
        liveness.shutdownNow();
        try {
            liveness.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Slot s : slots) {
            if (s != null && s.current != null) s.current.close();
        }
    }
}
