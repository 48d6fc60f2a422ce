package dev.eventbus.service.app;

import dev.eventbus.service.EventService;
import dev.eventbus.service.queue.History;
import dev.eventbus.service.queue.HistoryEvent;
import dev.eventbus.service.queue.HistoryQuery;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The events of {@code GET /v1/events/stream}: each listener is a cursor over the log, not a tap on the accept path.
 * It reads history from where it starts, then follows the log as records become durable, so a listener that
 * reconnects with {@code Last-Event-ID} gets exactly the events after that one (within retention): history and live
 * are one sequence, with no seam to lose or repeat an event at, and in event_seq order even when concurrent accepts
 * finish out of order. A slow listener is never dropped from: it reads at its own pace (backpressure), from disk.
 *
 * <p>Reads run on two shared threads, woken by the queue's flusher and by the listener's demand.
 */
@Singleton
final class EventStream {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final int PAGE = 256;

    private final EventService service;
    private final ExecutorService readers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "eventbus-event-stream");
        t.setDaemon(true);
        return t;
    });

    EventStream(EventService service) { this.service = service; }

    /** The seq the next accepted event will have at the earliest: where a listener without a start point begins. */
    long liveSeq() { return service.history().lastSeq() + 1; }

    /** The events matching {@code q} from its start on: history first, then every event as it becomes durable. */
    Flux<HistoryEvent> from(HistoryQuery q) {
        return Flux.create(sink -> new Cursor(sink, q).start(), FluxSink.OverflowStrategy.BUFFER);
    }

    private final class Cursor {
        final FluxSink<HistoryEvent> sink;
        final History history = service.history();
        final AtomicInteger wip = new AtomicInteger();
        final Runnable wake = this::wake;
        HistoryQuery q;
        volatile boolean done;

        Cursor(FluxSink<HistoryEvent> sink, HistoryQuery q) {
            this.sink = sink;
            this.q = q;
        }

        void start() {
            history.onDurable(wake);
            sink.onRequest(n -> wake());
            sink.onDispose(() -> {
                done = true;
                history.removeOnDurable(wake);
            });
            wake();
        }

        /** Many wakes while a read runs cost one more read, not one each. */
        void wake() {
            if (done || wip.getAndIncrement() != 0) return;
            try {
                readers.execute(this::drain);
            } catch (RejectedExecutionException stopping) {
                wip.set(0);
            }
        }

        void drain() {
            int missed = 1;
            do {
                try {
                    readAvailable();
                } catch (IOException | RuntimeException e) {
                    log.warn("event stream: reading history failed: {}", e.toString());
                    done = true;
                    sink.error(e);
                    return;
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void readAvailable() throws IOException {
            while (!done) {
                long wanted = sink.requestedFromDownstream();
                if (wanted <= 0) return;
                History.Page p = history.read(q, (int) Math.min(wanted, PAGE));
                for (HistoryEvent e : p.events()) sink.next(e);
                q = q.fromSeq(p.nextSeq());
                if (p.complete() && p.events().isEmpty()) return;
            }
        }
    }

    @PreDestroy
    void close() { readers.shutdownNow(); }
}
