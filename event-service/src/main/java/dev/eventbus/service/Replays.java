package dev.eventbus.service;

import dev.eventbus.service.delivery.Backoff;
import dev.eventbus.service.delivery.Delivery;
import dev.eventbus.service.delivery.ReplayRun;
import dev.eventbus.service.queue.History;
import dev.eventbus.service.queue.HistoryQuery;
import dev.eventbus.service.queue.Retention;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays of history to handlers ({@code service replay}, {@code POST /v1/replays}): checks a request, then runs it as
 * a {@link ReplayRun} beside the handler's live delivery. One replay per handler at a time, so that a handler's
 * target never sees two replayed streams interleaved.
 */
public final class Replays {
    /** Why a replay was not started: {@link #code()} is stable for scripts, the message says what to do. */
    public static final class Refused extends IllegalArgumentException {
        private final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        /** unknown_handler, nothing_in_range, older_than_retention, replay_running. */
        public String code() { return code; }
    }

    private final History history;
    private final Map<String, Delivery> deliveries;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Retention retention;
    private final Map<String, ReplayRun> runs = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    Replays(History history, Map<String, Delivery> deliveries, Backoff backoff, int maxAttempts, Retention retention) {
        this.history = history;
        this.deliveries = Map.copyOf(deliveries);
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.retention = retention;
    }

    /**
     * Starts re-delivering {@code range} (events routed to {@code handler} only) to the handler's target, up to the
     * range's end or, without one, up to the newest event accepted now.
     *
     * @throws Refused with the reason when there is nothing to do or the range is no longer kept
     */
    public synchronized ReplayRun.Status start(String handler, HistoryQuery range) throws IOException {
        Delivery d = deliveries.get(handler);
        if (d == null) {
            throw new Refused("unknown_handler", "unknown handler '" + handler + "': the configured handlers are "
                    + deliveries.keySet().stream().sorted().toList());
        }
        for (ReplayRun r : runs.values()) {
            if (r.handler().equals(handler) && r.running()) {
                throw new Refused("replay_running", "replay " + r.id() + " to handler " + handler
                        + " is still running; wait for it to finish (service replay --status) and start this one then");
            }
        }
        long last = history.lastSeq();
        HistoryQuery q = range.handler(handler);
        if (q.untilSeq() == 0 || q.untilSeq() > last) q = q.untilSeq(Math.max(last, 1));
        History.Page first = history.read(q, 1);
        while (first.events().isEmpty() && !first.complete() && first.nextSeq() <= q.untilSeq()) {
            first = history.read(q.fromSeq(first.nextSeq()), 1);
        }
        if (first.gap()) {
            throw new Refused("older_than_retention", first.firstSeq() > 0
                    ? "the range starts before the oldest event still kept (seq " + first.firstSeq() + "; retention: "
                            + retention + "): start at --from " + first.firstSeq() + " or later"
                    : "no delivered event is kept any more (retention: " + retention + "); nothing before seq "
                            + (last + 1) + " can be replayed");
        }
        if (first.events().isEmpty()) {
            throw new Refused("nothing_in_range", "no event routed to handler " + handler + " in the range"
                    + describe(range) + " (kept history: seq " + Math.max(first.firstSeq(), 0) + ".." + last + ")");
        }
        String id = "replay-" + ids.incrementAndGet();
        ReplayRun run = new ReplayRun(id, handler, q.fromSeq(first.events().get(0).seq()), history, d, backoff, maxAttempts);
        runs.put(id, run);
        run.start();
        return run.status();
    }

    private static String describe(HistoryQuery q) {
        StringBuilder b = new StringBuilder();
        if (q.fromSeq() > 0) b.append(" from seq ").append(q.fromSeq());
        if (q.since() != null) b.append(" since ").append(q.since());
        if (q.untilSeq() > 0) b.append(" until seq ").append(q.untilSeq());
        if (q.until() != null) b.append(" until ").append(q.until());
        if (q.type() != null) b.append(" of type ").append(q.type());
        return b.toString();
    }

    /** Every replay since the start, oldest first. */
    public List<ReplayRun.Status> list() {
        List<ReplayRun.Status> out = new ArrayList<>();
        for (ReplayRun r : runs.values()) out.add(r.status());
        out.sort((a, b) -> Long.compare(number(a.id()), number(b.id())));
        return out;
    }

    public Optional<ReplayRun.Status> get(String id) {
        ReplayRun r = runs.get(id);
        return r == null ? Optional.empty() : Optional.of(r.status());
    }

    private static long number(String id) { return Long.parseLong(id.substring(id.indexOf('-') + 1)); }

    void close(Duration grace) throws InterruptedException {
        runs.values().forEach(ReplayRun::stop);
        for (ReplayRun r : runs.values()) r.awaitStop(grace);
    }
}
