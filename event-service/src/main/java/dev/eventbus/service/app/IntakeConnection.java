package dev.eventbus.service.app;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * One intake connection to the internal bus: the queue subscription on {@code events.>} (one dispatcher, which never
 * waits for the disk), the health subject, and a liveness probe on a subject of its own.
 *
 * <p>The probe is a real round trip through everything that can die: the intake publishes a sequence number on its
 * probe subject, the broker sends it back, jnats's reader parses it and a dispatcher thread records it. jnats's own
 * PING only notices a dead reader after two missed PONGs at its ping interval (minutes); a flush would not exercise
 * the dispatchers.
 */
final class IntakeConnection {
    private final Connection nc;
    private final IntakeWatch watch;
    private final ExecutorService reader;
    private final String probeSubject;
    private final AtomicLong probeSent = new AtomicLong();
    private final AtomicLong probeSeen = new AtomicLong();
    private volatile long probeSentAtNanos;
    private final long cid;

    private IntakeConnection(Connection nc, IntakeWatch watch, ExecutorService reader) {
        this.nc = nc;
        this.watch = watch;
        this.reader = reader;
        this.cid = nc.getServerInfo().getClientId();
        // unique per connection, so a probe can only be answered by the connection that sent it
        this.probeSubject = "eventbus.intake.probe." + nc.getServerInfo().getServerId() + "." + cid;
    }

    /**
     * Connects and subscribes. {@code beforeSubscribe} gets the connection's client id before its first subscription
     * (the listener_limit gate exempts the intake by client id).
     */
    static IntakeConnection open(Options.Builder options, IntakeWatch watch, LongConsumer beforeSubscribe,
                                 BiConsumer<Connection, Message> onEvent, BiConsumer<Connection, Message> onHealth)
            throws Exception {
        ExecutorService reader = watch.readerExecutor();
        Connection nc;
        try {
            nc = Nats.connect(options.errorListener(watch).connectionListener(watch).readerExecutor(reader).build());
        } catch (Exception | Error e) {
            reader.shutdownNow();
            throw e;
        }
        IntakeConnection c = new IntakeConnection(nc, watch, reader);
        try {
            beforeSubscribe.accept(c.cid);
            // one dispatcher: it only validates and appends (nobody waits for the fsync, see Intake#onEvent), and a
            // second one would take a publisher's events in parallel and could append them out of order
            nc.createDispatcher(m -> onEvent.accept(nc, m)).subscribe(Intake.SUBJECTS, Intake.QUEUE);
            nc.createDispatcher(m -> onHealth.accept(nc, m)).subscribe(Intake.HEALTH_SUBJECT);
            nc.createDispatcher(c::onProbe).subscribe(c.probeSubject);
            nc.flush(Duration.ofSeconds(5));
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    long cid() { return cid; }

    private void onProbe(Message m) {
        long seq = Long.parseLong(new String(m.getData(), StandardCharsets.US_ASCII));
        probeSeen.accumulateAndGet(seq, Math::max);
    }

    /**
     * Why this connection must be replaced, or null: what jnats reported, or a probe unanswered for longer than
     * {@code timeoutNanos}. Sends the next probe when the last one was answered.
     */
    String check(long nowNanos, long timeoutNanos) {
        String failure = watch.failure();
        if (failure != null) return failure;
        if (nc.getStatus() != Connection.Status.CONNECTED) return "connection " + nc.getStatus().toString().toLowerCase();
        long sent = probeSent.get();
        if (probeSeen.get() < sent) {
            long waited = nowNanos - probeSentAtNanos;
            if (waited > timeoutNanos) {
                watch.probeUnanswered("liveness probe unanswered for " + Duration.ofNanos(waited).toMillis()
                        + " ms (the connection's reader or dispatchers stopped)");
                return watch.failure();
            }
            return null;
        }
        probeSentAtNanos = nowNanos;
        long seq = probeSent.incrementAndGet();
        try {
            nc.publish(probeSubject, Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalStateException e) {
            return "cannot publish the liveness probe: " + e.getMessage();
        }
        return null;
    }

    /** Closes the connection (may take a moment when it is broken; callers use their own thread). */
    void close() {
        watch.closing();
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reader.shutdownNow();
        }
    }
}
