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
import java.util.concurrent.atomic.AtomicBoolean;
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
 *
 * <p>Two servers: {@code --sub-url} (default: {@code --url}) is where the subscriber and responder connections go;
 * the publisher and the requester stay on {@code --url}. A scenario name with the prefix {@code gw-} ({@code gw-pubsub},
 * {@code gw-reqrep}, ...) runs the scenario after the prefix and reports under the full name, so a run across a
 * gateway link does not mix with the single-server rows. When the two URLs differ, every phase first waits until the
 * link carries its subject: interest crosses a gateway asynchronously (the subscriber's flush only proves that its own
 * server has the SUB), so the publisher sends probe messages on the phase's subject until each subscriber has received
 * one (request/reply: probe requests until a probe reply comes back, which proves both directions). Probes carry a
 * reply subject (pub/sub) or a payload starting with {@code 'p'} (request/reply), and the measuring handlers skip
 * stragglers by that mark.
 */
final class LoadDriver {
    private static final String QUEUE = "bench-q";
    /** Reply subject that marks a pub/sub probe message; nobody subscribes to it. */
    private static final String PROBE_MARK = "bench.probe";
    /** How long one probe waits for its echo before the next one is sent. */
    private static final long PROBE_INTERVAL_MILLIS = 20;

    private final String url;
    private final String subUrl;
    private final boolean crossLink;
    private final long pid;
    private final long timeoutMillis;
    private final long linkTimeoutMillis;
    private int phaseSeq;

    private LoadDriver(String url, String subUrl, long pid, long timeoutMillis, long linkTimeoutMillis) {
        this.url = url;
        this.subUrl = subUrl;
        this.crossLink = !subUrl.equals(url);
        this.pid = pid;
        this.timeoutMillis = timeoutMillis;
        this.linkTimeoutMillis = linkTimeoutMillis;
    }

    static void run(Args a) throws Exception {
        String url = a.get("url", "nats://127.0.0.1:4222");
        String subUrl = a.get("sub-url", url);
        String scenario = a.require("scenario");
        // gw-X runs scenario X (meant with --sub-url on the other side of a gateway) and reports it as gw-X
        String base = scenario.startsWith("gw-") ? scenario.substring(3) : scenario;
        long pid = a.getLong("pid", 0);
        long timeoutMillis = a.getLong("timeout-s", 300) * 1000;
        long linkTimeoutMillis = a.getLong("link-timeout-s", 30) * 1000;
        LoadDriver d = new LoadDriver(url, subUrl, pid, timeoutMillis, linkTimeoutMillis);
        if (!base.equals(scenario) && !d.crossLink) {
            Results.log("WARNING: %s with --sub-url equal to --url: both sides are on one server", scenario);
        }
        if (base.equals("reqrep")) {
            int[] sizes = a.ints("sizes", "16");
            int requests = a.getInt("requests", 20_000);
            int warmup = a.getInt("warmup-requests", 10_000);
            for (int size : sizes) d.requestReply(scenario, size, warmup, requests);
            return;
        }
        int subs;
        boolean queue = false;
        switch (base) {
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
        d.throughput(scenario, base.equals("pubraw"), subs, queue, sizes, countSmall, countLarge, warmupFraction);
    }

    // ---------------------------------------------------------------- connections

    private Connection connect(String name, String server) throws Exception {
        Options o = new Options.Builder()
                .server(server)
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

    private void throughput(String scenario, boolean rawPublisher, int nsubs, boolean queue, int[] sizes, long countSmall,
                            long countLarge, double warmupFraction) throws Exception {
        List<Connection> all = new ArrayList<>();
        RawPublisher raw = null;
        try {
            Connection pub = connect("bench-pub", url);
            all.add(pub);
            if (rawPublisher) raw = new RawPublisher(url);
            Connection[] subs = new Connection[nsubs];
            for (int i = 0; i < nsubs; i++) {
                subs[i] = connect("bench-sub-" + i, subUrl);
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
        // link probes (crossLink only): each plain subscriber, or the queue group once, must see one
        CountDownLatch linked = new CountDownLatch(latchCount);
        boolean[] probed = new boolean[latchCount]; // slot idx is touched only by subscriber idx's dispatcher thread
        AtomicBoolean queueProbed = new AtomicBoolean();
        Dispatcher[] dispatchers = new Dispatcher[n];
        for (int i = 0; i < n; i++) {
            final int idx = i;
            MessageHandler handler;
            if (queue) {
                handler = msg -> {
                    if (msg.getReplyTo() != null) { // a probe: counts for the link check only
                        if (queueProbed.compareAndSet(false, true)) linked.countDown();
                        return;
                    }
                    if (msg.getData().length != size) badPayloads.incrementAndGet();
                    received[idx]++;
                    if (queueTotal.incrementAndGet() == count) {
                        doneAt[0] = System.nanoTime();
                        done.countDown();
                    }
                };
            } else {
                handler = msg -> {
                    if (msg.getReplyTo() != null) {
                        if (!probed[idx]) {
                            probed[idx] = true;
                            linked.countDown();
                        }
                        return;
                    }
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
        // across a gateway the publisher's server learns of the SUBs asynchronously: wait until messages get through
        if (crossLink && n > 0) awaitLink(scenario + " size=" + size, pub, subject, linked);

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

    /**
     * Publishes probe messages (marked by a reply subject, empty payload) on {@code subject} until {@code linked} is
     * released, i.e. until every subscriber (or the queue group) has received one; fails after --link-timeout-s.
     */
    private void awaitLink(String what, Connection pub, String subject, CountDownLatch linked) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + linkTimeoutMillis * 1_000_000L;
        byte[] empty = new byte[0];
        int probes = 0;
        do {
            pub.publish(subject, PROBE_MARK, empty);
            probes++;
            flush(pub);
            if (linked.await(PROBE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
                Results.log("%s: link open after %d probe(s), %.1f ms", what, probes, (System.nanoTime() - t0) / 1e6);
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException(String.format("%s: no probe crossed from %s to %s within %d ms (%d probes)",
                what, url, subUrl, linkTimeoutMillis, probes));
    }

    // ---------------------------------------------------------------- request/reply

    /** Probe requests and their echoed replies start with this byte; measured requests are filled with 'r'. */
    private static final byte PROBE_BYTE = 'p';

    private static boolean isProbe(Message m) {
        byte[] data = m.getData();
        return data != null && data.length > 0 && data[0] == PROBE_BYTE;
    }

    private void requestReply(String scenario, int size, int warmup, int requests) throws Exception {
        List<Connection> all = new ArrayList<>();
        try {
            Connection responder = connect("bench-responder", subUrl);
            all.add(responder);
            Connection requester = connect("bench-requester", url);
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
            if (crossLink) awaitRequestLink(scenario + " size=" + size, requester, replies, subject, inbox, size);

            long[] lat = new long[requests];
            int statusReplies = 0;
            for (int i = -warmup; i < requests; i++) {
                long t0 = System.nanoTime();
                requester.publish(subject, inbox, payload);
                Message m;
                do {
                    m = replies.nextMessage(Duration.ofSeconds(10));
                    if (m != null && m.isStatusMessage()) statusReplies++;
                } while (m != null && (isProbe(m) || m.isStatusMessage())); // late answers to link probes
                long t1 = System.nanoTime();
                if (m == null) {
                    throw new IllegalStateException("no reply within 10 s for request " + i
                            + " (" + statusReplies + " status replies such as no-responders skipped so far)");
                }
                if (m.getData().length != size) throw new IllegalStateException("reply has the wrong size");
                if (i >= 0) lat[i] = t1 - t0;
            }
            Arrays.sort(lat);
            double sum = 0;
            for (long l : lat) sum += l;
            Results.emit(scenario, size, "p50_us", pct(lat, 50) / 1e3, "us");
            Results.emit(scenario, size, "p90_us", pct(lat, 90) / 1e3, "us");
            Results.emit(scenario, size, "p99_us", pct(lat, 99) / 1e3, "us");
            Results.emit(scenario, size, "p999_us", pct(lat, 99.9) / 1e3, "us");
            Results.emit(scenario, size, "mean_us", sum / lat.length / 1e3, "us");
            Results.emit(scenario, size, "max_us", lat[lat.length - 1] / 1e3, "us");
            Results.log("%s size=%d: p50 %.1f us, p99 %.1f us over %d requests", scenario, size, pct(lat, 50) / 1e3,
                    pct(lat, 99) / 1e3, requests);
        } finally {
            closeAll(all);
        }
    }

    /**
     * Sends probe requests (payload of 'p') until one reply comes back: the request subject's interest has reached
     * the requester's server and the inbox's interest (or the gateway reply mapping) the responder's. Fails after
     * --link-timeout-s. Replies to earlier probes that arrive later are skipped by the measuring loop.
     */
    private void awaitRequestLink(String what, Connection requester, Subscription replies, String subject, String inbox,
                                  int size) throws Exception {
        byte[] probe = new byte[Math.max(1, size)];
        Arrays.fill(probe, PROBE_BYTE);
        long t0 = System.nanoTime();
        long deadline = t0 + linkTimeoutMillis * 1_000_000L;
        int probes = 0;
        int noResponders = 0;
        do {
            requester.publish(subject, inbox, probe);
            probes++;
            long until = System.nanoTime() + PROBE_INTERVAL_MILLIS * 1_000_000L;
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                Message m = replies.nextMessage(Duration.ofNanos(left));
                if (m == null) break;
                // jnats asks for no-responders: while the request subject's interest has not crossed yet, the
                // requester's server answers a probe at once with a 503 status message
                if (m.isStatusMessage()) {
                    noResponders++;
                    continue;
                }
                if (!isProbe(m)) throw new IllegalStateException(what + ": unexpected reply before the first request");
                Results.log("%s: link open after %d probe(s) (%d no-responders replies), %.1f ms", what, probes,
                        noResponders, (System.nanoTime() - t0) / 1e6);
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException(String.format("%s: no probe reply from %s via %s within %d ms (%d probes)",
                what, subUrl, url, linkTimeoutMillis, probes));
    }

    /** Nearest-rank percentile of a sorted array. */
    static long pct(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
