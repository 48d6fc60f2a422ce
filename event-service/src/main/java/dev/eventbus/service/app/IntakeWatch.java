package dev.eventbus.service.app;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jnats's error and connection listener for one intake connection: logs and counts everything jnats reports, and
 * remembers the first thing that makes the connection unusable so that {@link Intake} replaces it.
 *
 * <p>It also runs jnats's reader thread. jnats lets an unexpected exception in its reader (for example a header block
 * it cannot parse) end the reader silently while the socket stays up and the status says CONNECTED; the executor's
 * {@code afterExecute} is the only place that sees that exception, so the connection is replaced at once with the real
 * reason instead of when the liveness probe times out.
 */
final class IntakeWatch implements ErrorListener, ConnectionListener {
    private static final Logger log = LoggerFactory.getLogger(IntakeWatch.class);

    private final String name;
    private final IntakeMetrics metrics;
    private final Runnable wake;
    private volatile String failure;
    private volatile boolean closing;

    /** @param wake called when the connection failed, to replace it without waiting for the next liveness check */
    IntakeWatch(String name, IntakeMetrics metrics, Runnable wake) {
        this.name = name;
        this.metrics = metrics;
        this.wake = wake;
    }

    /** Why the connection is unusable, or null while it is fine as far as jnats has told. */
    String failure() { return failure; }

    /** The intake closes this connection on purpose: its CLOSED event is no failure worth a warning. */
    void closing() { closing = true; }

    /** The liveness probe went unanswered: counted here, replaced by the caller. */
    void probeUnanswered(String why) {
        metrics.error(IntakeMetrics.PROBE_TIMEOUT);
        if (failure == null) failure = why;
    }

    void fail(String why) {
        if (failure == null) failure = why;
        wake.run();
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        metrics.error(IntakeMetrics.SERVER_ERROR);
        log.warn("{}: the internal bus reported: {}", name, error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        if (closing) {
            // closing a failed connection, jnats reports again what killed it; that was logged and counted already
            log.debug("{}: while closing: {}", name, describe(exp));
            return;
        }
        metrics.error(IntakeMetrics.EXCEPTION);
        log.warn("{}: {}", name, describe(exp));
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        // jnats drops messages beyond a dispatcher's pending limit; those events get no answer, so say so loudly
        metrics.error(IntakeMetrics.SLOW_CONSUMER);
        log.warn("{}: slow consumer, jnats dropped events beyond the pending limit ({} dropped so far on this dispatcher)",
                name, consumer.getDroppedCount());
    }

    @Override
    public void socketWriteTimeout(Connection conn) {
        metrics.error(IntakeMetrics.WRITE_TIMEOUT);
        log.warn("{}: socket write timed out", name);
        fail("socket write timed out");
    }

    @Override
    public void connectionEvent(Connection conn, Events type) {
        switch (type) {
            case DISCONNECTED -> {
                if (closing) return;
                metrics.error(IntakeMetrics.DISCONNECTED);
                log.warn("{}: disconnected from the internal bus", name);
                fail("disconnected from the internal bus");
            }
            case CLOSED -> {
                if (closing) return;
                log.warn("{}: closed", name);
                fail("connection closed");
            }
            default -> log.debug("{}: {}", name, type);
        }
    }

    /** A one-thread executor for jnats's reader that reports the reader's death (see the class comment). */
    ExecutorService readerExecutor() {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "eventbus-" + name.replace(' ', '-') + "-reader");
            t.setDaemon(true);
            return t;
        }) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                if (t == null && r instanceof Future<?> f && f.isDone() && !f.isCancelled()) {
                    try {
                        f.get();
                    } catch (ExecutionException ee) {
                        t = ee.getCause();
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (t != null && !closing) {
                    metrics.error(IntakeMetrics.READER_DIED);
                    log.warn("{}: jnats's reader thread died: {}; replacing the connection", name, describe(t));
                    fail("reader thread died: " + describe(t));
                }
            }
        };
        return e;
    }

    static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
