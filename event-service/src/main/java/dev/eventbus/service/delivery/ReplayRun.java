package dev.eventbus.service.delivery;

import dev.eventbus.service.queue.History;
import dev.eventbus.service.queue.HistoryEvent;
import dev.eventbus.service.queue.HistoryQuery;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay of history to one handler: reads the range page by page and delivers each event, in seq order, through
 * the handler's own {@link Delivery} marked as a replay. It is a cursor of its own beside the handler's live queue,
 * not copies appended to it: live events keep flowing in their order while the replay runs, nothing is written to
 * the log, and the replayed events keep their event_seq. The target sees two ordered streams (live, and replayed
 * with {@code X-Eventbus-Replay: true}), each in seq order.
 *
 * <p>A target that is unavailable is retried without limit, as live delivery is; an event the target refuses
 * {@code maxAttempts} times is skipped (it is still in history; replay it again) and counted. A replay is not resumed
 * after a restart: its status says how far it got ({@code next_seq}).
 */
public final class ReplayRun {
    private static final Logger log = LoggerFactory.getLogger(ReplayRun.class);
    private static final int PAGE = 256;

    public enum State { RUNNING, DONE, FAILED, STOPPED }

    /** A snapshot of a run, for the API and the CLI. */
    public record Status(String id, String handler, HistoryQuery range, State state, long delivered, long skipped,
                         long nextSeq, Instant started, String error) {}

    private final String id;
    private final String handler;
    private final HistoryQuery range;
    private final History history;
    private final Delivery delivery;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Instant started = Instant.now();
    private final Thread thread;
    private volatile State state = State.RUNNING;
    private volatile long delivered;
    private volatile long skipped;
    private volatile long nextSeq;
    private volatile String error;

    /**
     * @param range must have an end ({@code untilSeq}): a replay never follows the live log, whose events the
     *              handler gets anyway
     */
    public ReplayRun(String id, String handler, HistoryQuery range, History history, Delivery delivery, Backoff backoff,
                     int maxAttempts) {
        this.id = Objects.requireNonNull(id, "id");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.range = Objects.requireNonNull(range, "range");
        if (range.untilSeq() <= 0) throw new IllegalArgumentException("a replay needs an end seq");
        this.history = Objects.requireNonNull(history, "history");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.maxAttempts = maxAttempts;
        this.nextSeq = range.fromSeq();
        this.thread = new Thread(this::run, "eventbus-replay-" + id);
        this.thread.setDaemon(true);
    }

    public String id() { return id; }

    public String handler() { return handler; }

    public void start() { thread.start(); }

    public boolean running() { return state == State.RUNNING; }

    public Status status() {
        return new Status(id, handler, range, state, delivered, skipped, nextSeq, started, error);
    }

    /** Stops after the current attempt. */
    public void stop() {
        if (state == State.RUNNING) state = State.STOPPED;
        LockSupport.unpark(thread);
    }

    public void awaitStop(Duration grace) throws InterruptedException {
        thread.join(Math.max(1, grace.toMillis()));
        if (thread.isAlive()) thread.interrupt();
    }

    private void run() {
        log.info("replay {} to handler {}: seq {}..{}{}{} started", id, handler, range.fromSeq(), range.untilSeq(),
                range.since() == null ? "" : " since " + range.since(), range.type() == null ? "" : " type " + range.type());
        try {
            HistoryQuery q = range;
            while (state == State.RUNNING) {
                History.Page page = history.read(q, PAGE);
                for (HistoryEvent e : page.events()) {
                    if (!deliver(e)) return;
                    nextSeq = e.seq() + 1;
                }
                nextSeq = page.nextSeq();
                if (nextSeq > range.untilSeq()) break;
                if (page.complete()) {
                    // the end of the range is appended but not yet on disk: it is, within a sync interval
                    if (!pause(Duration.ofMillis(50))) return;
                }
                q = q.fromSeq(nextSeq);
            }
            if (state == State.RUNNING) state = State.DONE;
            log.info("replay {} to handler {}: {} ({} delivered, {} skipped)", id, handler, state.name().toLowerCase(),
                    delivered, skipped);
        } catch (IOException | RuntimeException e) {
            error = e.toString();
            state = State.FAILED;
            log.error("replay {} to handler {} failed at seq {}: {}", id, handler, nextSeq, e.toString());
        } catch (InterruptedException e) {
            state = State.STOPPED;
        }
    }

    /** @return false when the run should end (stopped) */
    private boolean deliver(HistoryEvent e) throws InterruptedException {
        int rejected = 0;
        for (int attempt = 1; state == State.RUNNING; attempt++) {
            DeliveryResult r = delivery.deliver(e.asReplay(), attempt);
            switch (r.kind()) {
                case DELIVERED -> {
                    delivered++;
                    error = null;
                    return true;
                }
                case REJECTED -> {
                    if (++rejected >= maxAttempts) {
                        skipped++;
                        log.warn("replay {} to handler {}: {} {} (seq {}) refused {} times, skipped: {}", id, handler,
                                e.type(), e.eventId(), e.seq(), rejected, r.detail());
                        return true;
                    }
                }
                case UNAVAILABLE -> {
                    error = r.detail();
                    if (attempt == 1 || Integer.bitCount(attempt) == 1) {
                        log.warn("replay {} to handler {}: target unavailable (attempt {}): {}", id, handler, attempt, r.detail());
                    }
                }
            }
            if (!pause(backoff.delay(attempt - 1))) return false;
        }
        return false;
    }

    private boolean pause(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); state == State.RUNNING && left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) throw new InterruptedException();
        }
        return state == State.RUNNING;
    }
}
