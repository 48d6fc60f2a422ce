package dev.eventbus.service;

import dev.eventbus.service.delivery.Backoff;
import dev.eventbus.service.delivery.Delivery;
import dev.eventbus.service.delivery.HandlerWorker;
import dev.eventbus.service.delivery.HttpDelivery;
import dev.eventbus.service.delivery.NatsDelivery;
import dev.eventbus.service.dlq.DeadLetter;
import dev.eventbus.service.dlq.DeadLetters;
import dev.eventbus.service.queue.DurableQueue;
import dev.eventbus.service.queue.QueueFiles;
import dev.eventbus.service.queue.QueuedEvent;
import dev.eventbus.service.queue.RecoveryJournal;
import dev.eventbus.service.queue.RecoveryReport;
import dev.eventbus.service.queue.StorageFullException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-service core: validates, deduplicates and durably queues events, and delivers them to their handlers.
 *
 * <pre>{@code
 * try (EventService svc = EventService.start(options)) {
 *     AcceptResult r = svc.accept(jsonBytes);
 *     if (r.isRefused()) respond(r.reason().retryable() ? 503 : 400, r.message());
 * }
 * }</pre>
 *
 * <h2>accept()</h2>
 * Thread-safe and bounded in time: it never waits longer than {@code acceptTimeout} (default 10 s), and at
 * {@code event_limit} it refuses at once instead of blocking (the seed blocked) and never drops what it accepted.
 * "Accepted" means the event is on disk (with the default {@link SyncPolicy#always()}) and will be delivered to every
 * handler its type routes to, at least once, in accept order per handler, across restarts and kill -9.
 *
 * <h2>Threads</h2>
 * Callers of accept(); one worker per handler ({@link HandlerWorker}); the queue's flusher; one scheduler thread that
 * picks up replay requests from the CLI. accept() serialises on one lock only for the dedup check, the limit check
 * and the write (microseconds); the fsync wait happens outside it, so concurrent accepts share fsyncs.
 */
public final class EventService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventService.class);
    private static final String RECOVERY = "recovery";

    private final ServiceOptions options;
    private final EventValidator validator;
    private final Deduplicator dedup;
    private final HealthState health;
    private final CountingMetrics metrics;
    private final ListenerLimiter listeners;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final List<HandlerWorker> workers = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private DurableQueue queue;
    private DeadLetters deadLetters;
    private RecoveryJournal recoveryJournal;
    private volatile boolean closed;
    /** storage_full refusals in the current streak (under acceptLock): one log line per streak, not one per event. */
    private long storageFullRefusals;

    private EventService(ServiceOptions options) {
        this.options = options;
        this.validator = new EventValidator(options.routingTable(), options.maxEventBytes());
        this.dedup = new Deduplicator(options.dedupWindow(), options.dedupMaxEntries());
        this.health = new HealthState(options.unhealthyAfter());
        this.metrics = new CountingMetrics(options.metrics());
        this.listeners = new ListenerLimiter(options.listenerLimit());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventbus-dlq-replay");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the data directory (recovering the queue), and starts one delivery worker per handler target.
     *
     * @throws IllegalStateException when another process has the data directory open
     */
    public static EventService start(ServiceOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        EventService svc = new EventService(options);
        try {
            svc.open();
        } catch (IOException | RuntimeException e) {
            svc.close();
            throw e;
        }
        return svc;
    }

    private void open() throws IOException {
        long nowMillis = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        queue = DurableQueue.open(new DurableQueue.Options(options.dataDir(), options.handlerTargets().keySet(),
                        options.syncPolicy(), options.segmentBytes(), options.maxBytes(), QueueFiles.DEFAULT),
                (pos, end, seq, id, type, acceptedAt) -> dedup.recordAt(id, end,
                        nowNanos - TimeUnit.MILLISECONDS.toNanos(Math.max(0, nowMillis - acceptedAt))));
        deadLetters = new DeadLetters(options.dataDir(), this::replay);
        openRecoveryJournal();
        for (String h : queue.detachedHandlers()) drainDetached(h);

        Map<SSLContext, HttpClient> clients = new IdentityHashMap<>();
        HttpClient plain = null;
        Backoff backoff = new Backoff(options.retryBaseDelay(), options.retryMaxDelay());
        for (var e : options.handlerTargets().entrySet()) {
            String handler = e.getKey();
            Delivery d;
            if (e.getValue() instanceof HandlerTarget.Http http) {
                HttpClient client;
                SSLContext ctx = http.sslContext() != null ? http.sslContext() : options.httpsContext();
                if (http.https() && ctx != null) {
                    client = clients.computeIfAbsent(ctx, c -> HttpDelivery.newClient(c, options.requestTimeout()));
                } else {
                    if (plain == null) plain = HttpDelivery.newClient(null, options.requestTimeout());
                    client = plain;
                }
                d = new HttpDelivery(http.uri(), client, options.requestTimeout());
            } else {
                d = new NatsDelivery(((HandlerTarget.Nats) e.getValue()).subject(), options.natsPublisher());
            }
            health.register(handler);
            workers.add(new HandlerWorker(handler, queue, d, backoff, options.maxAttempts(), deadLetters, health, metrics));
            metrics.queued(handler, queue.pending(handler));
        }
        workers.forEach(HandlerWorker::start);
        long poll = options.replayPollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::pollReplayRequests, 0, poll, TimeUnit.MILLISECONDS);
        RecoveryReport r = queue.recoveryReport();
        log.info("event-service started: data {}, {} pending events, handlers {}, sync {}", options.dataDir(),
                r.pendingEvents(), options.handlerTargets(), options.syncPolicy());
    }

    /** Records still owed to a handler that is no longer configured go to the dead-letter store. */
    private void drainDetached(String handler) throws IOException {
        int n = 0;
        try {
            QueuedEvent ev;
            while ((ev = queue.next(handler, 0, TimeUnit.MILLISECONDS)) != null) {
                deadLetters.add(handler, ev, "(none)", 0, "handler '" + handler + "' is no longer configured");
                queue.ack(handler, ev);
                n++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while dead-lettering events of " + handler);
        }
        log.warn("handler '{}' is no longer configured: moved its {} undelivered events to the dead-letter store", handler, n);
    }

    // ------------------------------------------------------------------------------------------------ accept

    /**
     * Validates and durably queues one event (JSON bytes).
     *
     * @return ACCEPTED once the event is queued (on disk under {@code sync=always}); DUPLICATE when its event_id was
     *         accepted within the dedup window (not queued again); REFUSED with a {@link RefusalReason} and a message
     */
    public AcceptResult accept(byte[] json) { return accept(json, null); }

    /**
     * Like {@link #accept(byte[])} for an event that came on a NATS subject {@code events.<subjectType>}: an event
     * whose {@code type} is another is refused with {@link RefusalReason#TYPE_MISMATCH}.
     *
     * @param subjectType the type the subject names, or null when there is no subject (HTTP)
     */
    public AcceptResult accept(byte[] json, String subjectType) {
        if (closed) return refuse(RefusalReason.SHUTTING_DOWN, "event-service is shutting down", null);
        EventValidator.Validation v = validator.validate(json, subjectType);
        if (!v.valid()) return refuse(v.reason(), v.message(), v.eventId());
        Event event = v.event();
        String id = event.eventId();
        long deadline = System.nanoTime() + options.acceptTimeout().toNanos();
        long end;
        boolean duplicate;
        try {
            if (!acceptLock.tryLock(options.acceptTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                return refuse(RefusalReason.STORAGE_UNAVAILABLE,
                        "the queue did not take the event within " + options.acceptTimeout().toMillis() + " ms; retry with the same event_id", id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refuse(RefusalReason.SHUTTING_DOWN, "interrupted", id);
        }
        try {
            if (closed) return refuse(RefusalReason.SHUTTING_DOWN, "event-service is shutting down", id);
            long seen = dedup.lookup(id);
            duplicate = seen >= 0;
            if (duplicate) {
                end = seen;
            } else {
                int pending = queue.pending();
                if (options.eventLimit() == 0) {
                    return refuse(RefusalReason.EVENT_LIMIT, "event_limit is 0: event-service takes no events", id);
                }
                if (pending >= options.eventLimit()) {
                    return refuse(RefusalReason.EVENT_LIMIT, "event_limit reached: " + pending
                            + " accepted events are not yet delivered (limit " + options.eventLimit()
                            + "); retry later with the same event_id", id);
                }
                List<String> handlers = options.routingTable().handlersFor(event.type());
                end = queue.append(id, event.type(), handlers, event.rawJson(), System.currentTimeMillis()).end();
                if (storageFullRefusals > 0) {
                    log.info("storage has room again: accepting events after {} storage_full refusals", storageFullRefusals);
                    storageFullRefusals = 0;
                }
                dedup.record(id, end);
                for (String h : handlers) metrics.queued(h, queue.pending(h));
            }
        } catch (StorageFullException e) {
            storageFullRefusals++;
            if (storageFullRefusals == 1) {
                log.warn("refusing events with storage_full until deliveries free space: {}", e.getMessage());
            }
            health.storageFailed("storage full: " + e.getMessage());
            return refuse(RefusalReason.STORAGE_FULL, e.getMessage() + "; retry later with the same event_id", id);
        } catch (IOException e) {
            if (closed) return refuse(RefusalReason.SHUTTING_DOWN, "event-service is shutting down", id);
            log.error("writing event {} to the queue failed", id, e);
            health.storageFailed("queue write failed: " + e);
            return refuse(RefusalReason.STORAGE_UNAVAILABLE, "could not write the event to disk: " + e.getMessage()
                    + "; retry with the same event_id", id);
        } finally {
            acceptLock.unlock();
        }
        try {
            if (!queue.awaitDurable(end, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                if (closed) return refuse(RefusalReason.SHUTTING_DOWN, "event-service is shutting down", id);
                IOException f = queue.syncFailure();
                health.storageFailed(f != null ? "fsync failed: " + f : "fsync slower than the accept timeout");
                return refuse(RefusalReason.STORAGE_UNAVAILABLE, "the event was written but not confirmed on disk within "
                        + options.acceptTimeout().toMillis() + " ms; retry with the same event_id", id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refuse(RefusalReason.SHUTTING_DOWN, "interrupted before the event was confirmed on disk", id);
        }
        health.storageOk();
        if (duplicate) {
            metrics.duplicate();
            return AcceptResult.duplicate(id);
        }
        metrics.accepted();
        return AcceptResult.accepted(id);
    }

    private AcceptResult refuse(RefusalReason reason, String message, String eventId) {
        metrics.refused(reason);
        if (log.isDebugEnabled()) log.debug("refused event {}: {} ({})", eventId, reason.code(), message);
        return AcceptResult.refused(reason, message, eventId);
    }

    // ------------------------------------------------------------------------------------------------ replay

    private void replay(DeadLetter d, byte[] payload) throws IOException {
        if (!options.handlerTargets().containsKey(d.handler())) {
            throw new IllegalStateException("handler '" + d.handler() + "' is not configured; cannot replay " + d.id());
        }
        if (closed) throw new IOException("event-service is shutting down");
        long end;
        acceptLock.lock();
        try {
            end = queue.append(d.eventId(), d.type(), List.of(d.handler()), payload, System.currentTimeMillis()).end();
        } finally {
            acceptLock.unlock();
        }
        metrics.queued(d.handler(), queue.pending(d.handler()));
        try {
            if (!queue.awaitDurable(end, options.acceptTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("replay of " + d.id() + " not confirmed on disk in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while replaying " + d.id());
        }
    }

    private void pollReplayRequests() {
        if (closed) return;
        try {
            int n = deadLetters.replayRequested();
            if (n > 0) log.info("replayed {} dead letters requested from the command line", n);
        } catch (IOException | RuntimeException e) {
            log.warn("processing dead-letter replay requests failed: {}", e.toString());
        }
        try {
            int n = recoveryJournal.applyRequests(Instant.now());
            if (n > 0) {
                log.info("{} recovery findings acknowledged from the command line", n);
                showRecoveryFindings();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("processing recovery acknowledgements failed: {}", e.toString());
        }
    }

    /**
     * The journal is bookkeeping for operators: a journal that cannot be read or written is logged and replaced, and
     * never keeps the service from starting (the findings of this start are still shown).
     */
    private void openRecoveryJournal() {
        try {
            recoveryJournal = RecoveryJournal.open(options.dataDir());
        } catch (IOException e) {
            log.error("starting a new recovery journal: {}", e.getMessage());
            recoveryJournal = RecoveryJournal.fresh(options.dataDir());
        }
        try {
            recoveryJournal.record(queue.recoveryReport().findings(), Instant.now());
            recoveryJournal.applyRequests(Instant.now());
        } catch (IOException e) {
            log.error("could not save the recovery journal: {}", e.toString());
        }
        showRecoveryFindings();
    }

    /** Degraded while a recovery finding waits for an operator's acknowledgement. */
    private void showRecoveryFindings() {
        List<RecoveryJournal.Entry> open = recoveryJournal.unacknowledged();
        if (open.isEmpty()) {
            health.degraded(RECOVERY, null);
            return;
        }
        long bytes = 0;
        long records = 0;
        for (RecoveryJournal.Entry e : open) {
            bytes += e.finding().bytes();
            records += Math.max(0, e.finding().skippedRecords());
        }
        health.degraded(RECOVERY, "queue recovery: " + open.size() + " finding" + (open.size() == 1 ? "" : "s")
                + " not yet acknowledged (" + bytes + " bytes damaged or missing, at least " + records
                + " records lost; first: " + open.get(0).finding().message() + "); see /handlerz, then run"
                + " 'eventbus service recovery ack --config FILE'");
    }

    // ------------------------------------------------------------------------------------------------ views

    public ServiceOptions options() { return options; }

    /** The dead-letter store: {@code list()}, {@code replay(id)}. */
    public DeadLetters deadLetters() { return deadLetters; }

    /** The {@code listener_limit} gate for NATS subscriptions on {@code events.>} and SSE streams. */
    public ListenerLimiter listeners() { return listeners; }

    public HealthState health() { return health; }

    /** Accepted events not yet delivered to all their handlers: what {@code event_limit} caps. */
    public int pending() { return queue.pending(); }

    /** Events waiting for one handler (including the one in flight). */
    public int pending(String handler) { return queue.pending(handler); }

    public ServiceStats stats() { return metrics.snapshot(); }

    /** What opening the data directory found (torn tail dropped, pending events...). */
    public RecoveryReport recovery() { return queue.recoveryReport(); }

    /** Every recovery finding not yet acknowledged and acknowledged ones still found; see {@link RecoveryJournal}. */
    public List<RecoveryJournal.Entry> recoveryFindings() { return recoveryJournal.entries(); }

    /** Bytes of queue log on disk (what {@code queue.max_bytes} limits). */
    public long queueDiskBytes() { return queue.diskBytes(); }

    /** Ack-file writes that failed since start (each costs a re-delivery after a restart). */
    public long queueAckWriteFailures() { return queue.ackWriteFailures(); }

    public boolean isClosed() { return closed; }

    // ------------------------------------------------------------------------------------------------ close

    /**
     * Stops accepting (SHUTTING_DOWN), lets each handler finish its current attempt (up to {@code shutdownGrace}),
     * then closes the queue. Undelivered events stay on disk for the next start. Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        scheduler.shutdownNow();
        workers.forEach(HandlerWorker::stop);
        if (queue != null) queue.wakeAll();
        try {
            for (HandlerWorker w : workers) w.awaitStop(options.shutdownGrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (HandlerWorker w : workers) w.delivery().close();
        if (queue != null) {
            acceptLock.lock();          // wait for an accept() that is mid-write
            try {
                queue.close();
            } catch (IOException e) {
                log.warn("closing the queue", e);
            } finally {
                acceptLock.unlock();
            }
        }
        log.info("event-service stopped");
    }
}
