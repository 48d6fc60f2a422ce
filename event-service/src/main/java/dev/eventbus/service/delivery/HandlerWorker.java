package dev.eventbus.service.delivery;

import dev.eventbus.service.HealthState;
import dev.eventbus.service.ServiceMetrics;
import dev.eventbus.service.dlq.DeadLetters;
import dev.eventbus.service.queue.DurableQueue;
import dev.eventbus.service.queue.QueuedEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per handler: takes the handler's oldest undelivered event, delivers it, and only then moves on, so order
 * is kept per handler and exactly one event is in flight. Failed attempts are retried after {@link Backoff} delays:
 * <ul>
 *   <li>UNAVAILABLE (target down, timeout, 502/503/504/429…): retried without limit, the handler stalls (nothing
 *       behind it overtakes) and {@link HealthState} turns unhealthy after {@code unhealthyAfter};</li>
 *   <li>REJECTED (target answered and refused this event): after {@code maxAttempts} such answers the event goes to
 *       the dead-letter store and the handler moves on.</li>
 * </ul>
 */
public final class HandlerWorker {
    private static final Logger log = LoggerFactory.getLogger(HandlerWorker.class);

    private final String handler;
    private final DurableQueue queue;
    private final Delivery delivery;
    private final Backoff backoff;
    private final int maxAttempts;
    private final DeadLetters deadLetters;
    private final HealthState health;
    private final ServiceMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;

    public HandlerWorker(String handler, DurableQueue queue, Delivery delivery, Backoff backoff, int maxAttempts,
                         DeadLetters deadLetters, HealthState health, ServiceMetrics metrics) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        this.maxAttempts = maxAttempts;
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.health = Objects.requireNonNull(health, "health");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.thread = new Thread(this::run, "eventbus-handler-" + handler);
        this.thread.setDaemon(true);
    }

    public String handler() { return handler; }

    public Delivery delivery() { return delivery; }

    public void start() { thread.start(); }

    /** Asks the worker to stop after the current attempt; see {@link #awaitStop}. */
    public void stop() {
        running = false;
        LockSupport.unpark(thread);
    }

    /** Waits up to {@code grace} for the current attempt to end, then interrupts it. */
    public void awaitStop(Duration grace) throws InterruptedException {
        thread.join(Math.max(1, grace.toMillis()));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(2_000);
        }
    }

    private void run() {
        try {
            while (running) {
                QueuedEvent ev;
                try {
                    ev = queue.next(handler, 500, TimeUnit.MILLISECONDS);
                } catch (IOException | RuntimeException e) {
                    log.error("handler {}: reading the queue failed: {}", handler, e.toString());
                    health.storageFailed("handler " + handler + ": " + e);
                    pause(Duration.ofSeconds(1));
                    continue;
                }
                if (ev != null) process(ev);
            }
        } catch (InterruptedException e) {
            // stopping: the event in flight stays unacknowledged and is delivered again after a restart
        }
    }

    private void process(QueuedEvent ev) throws InterruptedException {
        if (ev.corruption() != null) {
            deadLetter(ev, 0, ev.corruption());
            return;
        }
        int rejected = 0;
        for (int attempt = 1; running; attempt++) {
            DeliveryResult r = delivery.deliver(ev, attempt);
            switch (r.kind()) {
                case DELIVERED -> {
                    health.deliverySucceeded(handler);
                    metrics.delivered(handler, System.nanoTime() - ev.acceptedAtNanos());
                    metrics.queued(handler, queue.ack(handler, ev));
                    if (attempt > 1) log.info("handler {}: delivered {} after {} attempts", handler, ev.eventId(), attempt);
                    return;
                }
                case REJECTED -> {
                    health.deliverySucceeded(handler);          // the target is up: it answered
                    if (++rejected >= maxAttempts) {
                        deadLetter(ev, rejected, r.detail());
                        return;
                    }
                    log.warn("handler {}: {} {} refused (attempt {} of {}): {}", handler, ev.type(), ev.eventId(),
                            rejected, maxAttempts, r.detail());
                }
                case UNAVAILABLE -> {
                    health.deliveryFailed(handler, r.detail());
                    if (attempt == 1 || Integer.bitCount(attempt) == 1) {   // 1, 2, 4, 8... : not every retry
                        log.warn("handler {}: target unavailable (attempt {}): {}", handler, attempt, r.detail());
                    }
                }
            }
            metrics.retry(handler);
            if (!pause(backoff.delay(attempt - 1))) return;
        }
    }

    private void deadLetter(QueuedEvent ev, int attempts, String lastError) throws InterruptedException {
        for (int tries = 0; running; tries++) {
            try {
                var d = deadLetters.add(handler, ev, delivery.describe(), attempts, lastError);
                log.warn("handler {}: dead-lettered {} {} as {} after {} refused attempts: {}", handler, ev.type(),
                        ev.eventId(), d.id(), attempts, lastError);
                metrics.deadLettered(handler);
                metrics.queued(handler, queue.ack(handler, ev));
                health.storageOk();
                return;
            } catch (IOException e) {
                log.error("handler {}: could not write dead letter for {}: {}", handler, ev.eventId(), e.toString());
                health.storageFailed("dead-letter store: " + e);
                if (!pause(backoff.delay(tries))) return;
            }
        }
    }

    /** Waits for {@code d} unless stopped; false when the worker should exit. */
    private boolean pause(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); running && left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) throw new InterruptedException();
        }
        return running;
    }
}
