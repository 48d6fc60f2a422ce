package dev.eventbus.bench;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * jnats load driver. One invocation connects once and runs one scenario for every requested payload size, each size
 * as a warm-up phase followed by a measured phase on a fresh subject (so the subscriptions of a phase see only that
 * phase's messages). Synchronisation is by flush (PING/PONG round trip) and latches, never by sleeping.
 *
 * <ul>
 *   <li>{@code pub}: one publisher, no subscriber; rate = messages / (first publish .. flush returned).</li>
 *   <li>{@code pubraw}: like {@code pub}, but the publisher is a raw socket writing pre-encoded {@code PUB} frames in
 *       64 KiB chunks and ending with PING/PONG, so the rate is the server's ingest rate rather than jnats'.</li>
 *   <li>{@code pubsub}: 1 publisher, 1 subscriber connection; rate measured at the subscriber.</li>
 *   <li>{@code fanout}: 1 publisher, 4 subscriber connections on the same subject; rate = deliveries (4 x messages)
 *       / (first publish .. last subscriber got its last message).</li>
 *   <li>{@code queue}: 1 publisher, 4 subscriber connections in one queue group; each message is delivered once.</li>
 *   <li>{@code reqrep}: a responder connection and a requester connection, one request in flight; p50/p99 latency.</li>
 * </ul>
 */
final class LoadDriver {
    private static final String QUEUE = "bench-q";

    private final String url;
    private final long pid;
    private final long timeoutMillis;
    private int phaseSeq;

    private LoadDriver(String url, long pid, long timeoutMillis) {
        this.url = url;
        this.pid = pid;
        this.timeoutMillis = timeoutMillis;
    }

    static void run(Args a) throws Exception {
        String url = a.get("url", "nats://127.0.0.1:4222");
        String scenario = a.require("scenario");
        long pid = a.getLong("pid", 0);
        long timeoutMillis = a.getLong("timeout-s", 300) * 1000;
        LoadDriver d = new LoadDriver(url, pid, timeoutMillis);
        if (scenario.equals("reqrep")) {
            int[] sizes = a.ints("sizes", "16");
            int requests = a.getInt("requests", 20_000);
            int warmup = a.getInt("warmup-requests", 10_000);
            for (int size : sizes) d.requestReply(size, warmup, requests);
            return;
        }
        int subs;
        boolean queue = false;
        switch (scenario) {
            case "pub", "pubraw" -> subs = 0;
            case "pubsub" -> subs = 1;
            case "fanout" -> subs = a.getInt("subs", 4);
            case "queue" -> { subs = a.getInt("subs", 4); queue = true; }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        int[] sizes = a.ints("sizes", "16,128,1024");
        long countSmall = a.getLong("count-small", 2_000_000);
        long countLarge = a.getLong("count-large", 500_000);
        if (a.has("count")) countSmall = countLarge = a.getLong("count", 0);
        double warmupFraction = Double.parseDouble(a.get("warmup-fraction", "0.1"));
        d.throughput(scenario, subs, queue, sizes, countSmall, countLarge, warmupFraction);
    }

    // ---------------------------------------------------------------- connections

    private Connection connect(String name) throws Exception {
        Options o = new Options.Builder()
                .server(url)
                .connectionName(name)
                .noReconnect()
                .connectionTimeout(Duration.ofSeconds(10))
                .bufferSize(512 * 1024)
                .maxMessagesInOutgoingQueue(200_000)
                .writeQueuePushTimeout(Duration.ofSeconds(120))
                .errorListener(new LoudErrors(name))
                .build();
        return Nats.connect(o);
    }

    /** jnats' default listener logs via JUL; here a slow consumer or server error is fatal to the measurement. */
    private static final class LoudErrors implements ErrorListener {
        private final String name;
        LoudErrors(String name) { this.name = name; }
        @Override public void errorOccurred(Connection c, String error) { Results.log("%s: server error: %s", name, error); }
        @Override public void exceptionOccurred(Connection c, Exception e) { Results.log("%s: exception: %s", name, e); }
        @Override public void slowConsumerDetected(Connection c, Consumer consumer) {
            Results.log("%s: SLOW CONSUMER (client-side drop), dropped=%d", name, consumer.getDroppedCount());
        }
    }

    private static void flush(Connection c) throws Exception {
        c.flush(Duration.ofSeconds(60));
    }

    private static void closeAll(List<Connection> conns) {
        for (Connection c : conns) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }

    // ---------------------------------------------------------------- throughput

    private void throughput(String scenario, int nsubs, boolean queue, int[] sizes, long countSmall, long countLarge,
                            double warmupFraction) throws Exception {
        List<Connection> all = new ArrayList<>();
        RawPublisher raw = null;
        try {
            Connection pub = connect("bench-pub");
            all.add(pub);
            if (scenario.equals("pubraw")) raw = new RawPublisher(url);
            Connection[] subs = new Connection[nsubs];
            for (int i = 0; i < nsubs; i++) {
                subs[i] = connect("bench-sub-" + i);
                all.add(subs[i]);
            }
            for (int size : sizes) {
                long count = size >= 512 ? countLarge : countSmall;
                long warm = Math.max(1, (long) (count * warmupFraction));
                Results.log("%s size=%d warm-up %d msgs", scenario, size, warm);
                phase(scenario, pub, raw, subs, queue, size, warm, false);
                Results.log("%s size=%d measuring %d msgs", scenario, size, count);
                phase(scenario, pub, raw, subs, queue, size, count, true);
            }
        } finally {
            if (raw != null) raw.close();
            closeAll(all);
        }
    }

    /** One publisher burst of {@code count} messages on a fresh subject, waited for at every subscriber. */
    private void phase(String scenario, Connection pub, RawPublisher raw, Connection[] subs, boolean queue, int size, long count,
                       boolean report) throws Exception {
        String subject = "bench." + scenario + "." + size + "." + (phaseSeq++);
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');

        int n = subs.length;
        // each plain subscriber must see all messages; a queue group sees each message once in total
        int latchCount = queue ? 1 : n;
        CountDownLatch done = new CountDownLatch(latchCount);
        long[] doneAt = new long[latchCount];
        long[] received = new long[n];
        AtomicLong queueTotal = new AtomicLong();
        AtomicLong badPayloads = new AtomicLong();
        Dispatcher[] dispatchers = new Dispatcher[n];
        for (int i = 0; i < n; i++) {
            final int idx = i;
            MessageHandler handler;
            if (queue) {
                handler = msg -> {
                    if (msg.getData().length != size) badPayloads.incrementAndGet();
                    received[idx]++;
                    if (queueTotal.incrementAndGet() == count) {
                        doneAt[0] = System.nanoTime();
                        done.countDown();
                    }
                };
            } else {
                handler = msg -> {
                    if (msg.getData().length != size) badPayloads.incrementAndGet();
                    if (++received[idx] == count) {
                        doneAt[idx] = System.nanoTime();
                        done.countDown();
                    }
                };
            }
            Dispatcher d = subs[i].createDispatcher(handler);
            d.setPendingLimits(0, 0); // unlimited: a client-side drop would make the count unreachable
            if (queue) d.subscribe(subject, QUEUE); else d.subscribe(subject);
            dispatchers[i] = d;
        }
        // the SUBs are on the server once each subscriber's PING has been answered
        for (Connection s : subs) flush(s);
        flush(pub);

        Rss.Sampler sampler = report && pid > 0 ? new Rss.Sampler(pid, 20) : null;
        long start = System.nanoTime();
        if (raw != null) {
            raw.publish(subject, payload, count); // returns after the server's PONG to a trailing PING
        } else {
            for (long i = 0; i < count; i++) pub.publish(subject, payload);
            flush(pub);
        }
        long published = System.nanoTime();
        boolean ok = n == 0 || done.await(timeoutMillis, TimeUnit.MILLISECONDS);
        long end = published;
        for (long t : doneAt) end = Math.max(end, t);
        long peakRss = sampler == null ? -1 : sampler.stop();

        for (int i = 0; i < n; i++) subs[i].closeDispatcher(dispatchers[i]);
        if (!ok) {
            throw new IllegalStateException(String.format("%s size=%d: timed out after %d ms; received per subscriber %s"
                    + (queue ? " (queue total %d of %d)" : " of %d each"), scenario, size, timeoutMillis,
                    Arrays.toString(received), queue ? queueTotal.get() : count, count));
        }
        if (badPayloads.get() > 0) throw new IllegalStateException(badPayloads.get() + " messages with a wrong payload size");
        if (!report) return;

        double pubSecs = (published - start) / 1e9;
        double pubRate = count / pubSecs;
        if (n == 0) {
            Results.emit(scenario, size, "msgs_per_sec", pubRate, "msgs/s");
            Results.emit(scenario, size, "mb_per_sec", pubRate * size / 1e6, "MB/s");
        } else {
            long deliveries = queue ? count : count * n;
            double secs = (end - start) / 1e9;
            double rate = deliveries / secs;
            Results.emit(scenario, size, "msgs_per_sec", rate, "msgs/s");
            Results.emit(scenario, size, "mb_per_sec", rate * size / 1e6, "MB/s");
            Results.emit(scenario, size, "pub_msgs_per_sec", pubRate, "msgs/s");
            if (queue) Results.emit(scenario, size, "queue_split", 0, Arrays.toString(received).replace(" ", ""));
        }
        if (peakRss > 0) Results.emit(scenario, size, "peak_rss_mib", peakRss / (1024.0 * 1024.0), "MiB");
        Results.log("%s size=%d: %.0f msgs/s%s", scenario, size,
                n == 0 ? pubRate : (queue ? count : count * n) / ((end - start) / 1e9),
                peakRss > 0 ? String.format(" peak RSS %.1f MiB", peakRss / 1048576.0) : "");
    }

    // ---------------------------------------------------------------- request/reply

    private void requestReply(int size, int warmup, int requests) throws Exception {
        List<Connection> all = new ArrayList<>();
        try {
            Connection responder = connect("bench-responder");
            all.add(responder);
            Connection requester = connect("bench-requester");
            all.add(requester);
            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) 'r');
            String subject = "bench.req." + size;
            Dispatcher d = responder.createDispatcher(msg -> responder.publish(msg.getReplyTo(), msg.getData()));
            d.subscribe(subject);
            flush(responder);
            String inbox = "_INBOX.bench." + System.nanoTime();
            Subscription replies = requester.subscribe(inbox);
            flush(requester);

            long[] lat = new long[requests];
            for (int i = -warmup; i < requests; i++) {
                long t0 = System.nanoTime();
                requester.publish(subject, inbox, payload);
                Message m = replies.nextMessage(Duration.ofSeconds(10));
                long t1 = System.nanoTime();
                if (m == null) throw new IllegalStateException("no reply within 10 s for request " + i);
                if (m.getData().length != size) throw new IllegalStateException("reply has the wrong size");
                if (i >= 0) lat[i] = t1 - t0;
            }
            Arrays.sort(lat);
            double sum = 0;
            for (long l : lat) sum += l;
            Results.emit("reqrep", size, "p50_us", pct(lat, 50) / 1e3, "us");
            Results.emit("reqrep", size, "p90_us", pct(lat, 90) / 1e3, "us");
            Results.emit("reqrep", size, "p99_us", pct(lat, 99) / 1e3, "us");
            Results.emit("reqrep", size, "p999_us", pct(lat, 99.9) / 1e3, "us");
            Results.emit("reqrep", size, "mean_us", sum / lat.length / 1e3, "us");
            Results.emit("reqrep", size, "max_us", lat[lat.length - 1] / 1e3, "us");
            Results.log("reqrep size=%d: p50 %.1f us, p99 %.1f us over %d requests", size, pct(lat, 50) / 1e3,
                    pct(lat, 99) / 1e3, requests);
        } finally {
            closeAll(all);
        }
    }

    /** Nearest-rank percentile of a sorted array. */
    static long pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
