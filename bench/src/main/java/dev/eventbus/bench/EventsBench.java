package dev.eventbus.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * event-service end to end: accepted events per second and publish-to-delivery latency, with the durable queue on.
 *
 * <p>For every sync policy it writes a TOML config into {@code --work-dir/<policy>/}, starts the event-service
 * command given after {@code --} (with {@code --config FILE} appended) on a fresh data dir and plaintext internal
 * NATS, and points all three handlers at an HTTP target served by this JVM ({@code com.sun.net.httpserver} on
 * 127.0.0.1), which records the first arrival time of every event_id (from the {@code X-Eventbus-Event-Id} header).
 * Events are {@code compliance_ingest} (routed to the {@code feed} handler only), exactly {@code --size} bytes of JSON.
 *
 * <ul>
 *   <li><b>throughput</b> (policies in {@code --syncs}): {@code --requesters} jnats connections, each one request in
 *       flight, send {@code --warmup} events (then wait until they are all delivered), then {@code --count} events
 *       on {@code events.compliance_ingest}. Every reply must be {@code {"accepted":true,...}}. accepted/s = count /
 *       (first request .. last accepted ack). delivered/s = count / (first request .. last arrival at the target).</li>
 *   <li><b>latency</b> (policies in {@code --latency-syncs}, after that policy's throughput phase has drained, in the
 *       same process): {@code --latency-count} events, one every 1/{@code --latency-rate} s from one connection
 *       (asynchronous requests, so a slow ack does not delay the schedule). Latency = arrival at the target minus
 *       the moment the request was published, both {@code System.nanoTime()} of this JVM.</li>
 * </ul>
 */
final class EventsBench {
    static final String SCENARIO = "service";
    private static final String TYPE = "compliance_ingest";
    private static final String SUBJECT = "events." + TYPE;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final List<String> command;
    private final Path workDir;
    private final String syncInterval;
    private final int size;
    private final int count;
    private final int warmup;
    private final int requesters;
    private final int latencyCount;
    private final double latencyRate;
    private final long readyTimeoutMillis;
    private final long drainTimeoutMillis;
    private final boolean keepData;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Phases whose events the target is expecting, by event_id prefix (everything before the last '.'). */
    private final Map<String, Phase> phases = new ConcurrentHashMap<>();
    private final AtomicLong foreignArrivals = new AtomicLong();
    private final AtomicReference<Process> running = new AtomicReference<>();

    private EventsBench(Args a) {
        command = a.positional();
        if (command.isEmpty()) throw new IllegalArgumentException("events needs -- COMMAND (e.g. java -jar event-service-all.jar)");
        workDir = Path.of(a.require("work-dir")).toAbsolutePath();
        syncInterval = a.get("sync-interval", "50ms");
        size = a.getInt("size", 1024);
        count = a.getInt("count", 20_000);
        warmup = a.getInt("warmup", Math.max(1, count / 10));
        requesters = a.getInt("requesters", 8);
        latencyCount = a.getInt("latency-count", 2_000);
        latencyRate = Double.parseDouble(a.get("latency-rate", "200"));
        readyTimeoutMillis = a.getLong("ready-timeout-s", 60) * 1000;
        drainTimeoutMillis = a.getLong("drain-timeout-s", 120) * 1000;
        keepData = a.has("keep-data");
    }

    static void run(Args a) throws Exception {
        EventsBench b = new EventsBench(a);
        List<String> syncs = policies(a.get("syncs", "always,interval"));
        List<String> latencySyncs = policies(a.get("latency-syncs", "always,interval"));
        Set<String> policies = new LinkedHashSet<>(syncs);
        policies.addAll(latencySyncs);
        for (String p : policies) {
            if (!p.equals("always") && !p.equals("interval")) throw new IllegalArgumentException("unknown sync policy " + p);
        }
        // a bench JVM stopped by run.sh's timeout must not leave the service behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = b.running.get();
            if (p != null) p.destroyForcibly();
        }));
        HttpServer target = b.startTarget();
        try {
            for (String policy : policies) {
                b.runPolicy(policy, syncs.contains(policy), latencySyncs.contains(policy), target.getAddress().getPort());
            }
        } finally {
            target.stop(0);
        }
    }

    private static List<String> policies(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) if (!s.isBlank() && !s.trim().equals("none")) out.add(s.trim());
        return out;
    }

    // ---------------------------------------------------------------- the HTTP target

    /** Events of one phase: publish, ack and first-arrival times by index (the event_id's last part). */
    private static final class Phase {
        final String prefix;
        final int n;
        final long[] sent;
        final long[] acked;
        final AtomicLongArray arrived;
        final CountDownLatch delivered;
        final AtomicLong duplicates = new AtomicLong();

        Phase(String prefix, int n) {
            this.prefix = prefix;
            this.n = n;
            this.sent = new long[n];
            this.acked = new long[n];
            this.arrived = new AtomicLongArray(n);
            this.delivered = new CountDownLatch(n);
        }

        String id(int i) { return prefix + "." + i; }
    }

    private HttpServer startTarget() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::onDelivery);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-target");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.start();
        Results.log("events: HTTP target on 127.0.0.1:%d", server.getAddress().getPort());
        return server;
    }

    private void onDelivery(HttpExchange ex) throws IOException {
        long now = System.nanoTime();
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        String id = ex.getRequestHeaders().getFirst("X-Eventbus-Event-Id");
        int dot = id == null ? -1 : id.lastIndexOf('.');
        Phase p = dot < 0 ? null : phases.get(id.substring(0, dot));
        if (p == null) {
            foreignArrivals.incrementAndGet(); // start-up probes
        } else {
            int i = Integer.parseInt(id.substring(dot + 1));
            if (p.arrived.compareAndSet(i, 0, now)) p.delivered.countDown(); else p.duplicates.incrementAndGet();
        }
        ex.sendResponseHeaders(200, -1);
        ex.close();
    }

    // ---------------------------------------------------------------- events

    static final String HEAD = "{\"event_id\":\"";
    private static final String MIDDLE = "\",\"type\":\"" + TYPE + "\",\"producer\":{\"id\":\"bench\"},"
            + "\"published\":\"2026-01-01T00:00:00Z\",\"data\":{\"pad\":\"";
    private static final String TAIL = "\"}}";

    private byte[] event(String id) { return event(id, size); }

    /** A {@code compliance_ingest} event as JSON of exactly {@code size} bytes (the pad fills what the others leave). */
    static byte[] event(String id, int size) {
        int pad = size - HEAD.length() - id.length() - MIDDLE.length() - TAIL.length();
        if (pad < 0) throw new IllegalArgumentException("--size " + size + " is too small for an event");
        return (HEAD + id + MIDDLE + "x".repeat(pad) + TAIL).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean accepted(Message m) {
        if (m == null || m.isStatusMessage() || m.getData() == null) return false;
        String s = new String(m.getData(), StandardCharsets.UTF_8);
        return s.startsWith("{\"accepted\":true") && !s.contains("\"duplicate\":true");
    }

    private static String describe(Message m) {
        if (m == null) return "no reply";
        if (m.isStatusMessage()) return "status " + m.getStatus();
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- one service process per sync policy

    private void runPolicy(String policy, boolean throughput, boolean latency, int targetPort) throws Exception {
        Path dir = workDir.resolve(policy);
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        deleteTree(data);
        Service svc = startService(policy, dir, data, targetPort);
        List<Connection> conns = new ArrayList<>();
        try {
            for (int k = 0; k < Math.max(1, requesters); k++) conns.add(connect("bench-requester-" + k, svc.natsPort));
            probe(conns.get(0), policy, svc);
            if (throughput) {
                Results.log("events %s: warm-up %d events", policy, warmup);
                Phase w = burst(policy + ".w", warmup, conns);
                awaitDelivered(w, policy + " warm-up");
                Results.log("events %s: measuring %d events, %d requesters", policy, count, conns.size());
                Rss.Sampler rss = new Rss.Sampler(svc.process.pid(), 50);
                Phase m = burst(policy + ".m", count, conns);
                long peak = rss.stop();
                reportBurst(policy, m);
                awaitDelivered(m, policy + " measured");
                long lastArrival = 0;
                for (int i = 0; i < m.n; i++) lastArrival = Math.max(lastArrival, m.arrived.get(i));
                double delivered = m.n / ((lastArrival - firstSent(m)) / 1e9);
                Results.emit(SCENARIO, size, "delivered_per_sec_" + policy, delivered, "events/s");
                if (peak > 0) Results.emit(SCENARIO, size, "peak_rss_mib_" + policy, peak / 1048576.0, "MiB");
                Results.log("events %s: delivered %.0f events/s (first request .. last arrival)%s", policy, delivered,
                        peak > 0 ? String.format(" service peak RSS %.1f MiB", peak / 1048576.0) : "");
                if (m.duplicates.get() > 0) Results.log("events %s: %d duplicate deliveries", policy, m.duplicates.get());
            } else if (latency) {
                Results.log("events %s: warm-up %d events", policy, warmup);
                awaitDelivered(burst(policy + ".w", warmup, conns), policy + " warm-up");
            }
            if (latency) paced(policy, conns.get(0));
        } finally {
            for (Connection c : conns) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
            svc.stop();
            if (!keepData) deleteTree(data);
        }
    }

    private static long firstSent(Phase p) {
        long first = Long.MAX_VALUE;
        for (long t : p.sent) first = Math.min(first, t);
        return first;
    }

    /** {@code n} events from every connection in parallel, one request in flight per connection. */
    private Phase burst(String prefix, int n, List<Connection> conns) throws Exception {
        Phase p = new Phase(prefix, n);
        byte[][] bodies = new byte[n][];
        for (int i = 0; i < n; i++) bodies[i] = event(p.id(i));
        phases.put(prefix, p);
        AtomicInteger next = new AtomicInteger();
        AtomicLong refused = new AtomicLong();
        AtomicReference<String> firstRefusal = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Connection c : conns) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        p.sent[i] = System.nanoTime();
                        Message r = c.request(SUBJECT, bodies[i], REQUEST_TIMEOUT);
                        p.acked[i] = System.nanoTime();
                        if (!accepted(r)) {
                            refused.incrementAndGet();
                            firstRefusal.compareAndSet(null, p.id(i) + ": " + describe(r));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    refused.incrementAndGet();
                    firstRefusal.compareAndSet(null, e.toString());
                    next.set(n); // stop the others too
                }
            }, "bench-requester");
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) t.join();
        if (refused.get() > 0) {
            throw new IllegalStateException(prefix + ": " + refused.get() + " of " + n + " events not accepted; first: " + firstRefusal.get());
        }
        return p;
    }

    private void reportBurst(String policy, Phase p) {
        long start = firstSent(p), end = 0;
        long[] ack = new long[p.n];
        for (int i = 0; i < p.n; i++) {
            end = Math.max(end, p.acked[i]);
            ack[i] = p.acked[i] - p.sent[i];
        }
        Arrays.sort(ack);
        double rate = p.n / ((end - start) / 1e9);
        Results.emit(SCENARIO, size, "accepted_per_sec_" + policy, rate, "events/s");
        Results.emit(SCENARIO, size, "ack_p50_ms_" + policy, LoadDriver.pct(ack, 50) / 1e6, "ms");
        Results.emit(SCENARIO, size, "ack_p99_ms_" + policy, LoadDriver.pct(ack, 99) / 1e6, "ms");
        Results.log("events %s: accepted %.0f events/s (%d events, %d requesters); ack round trip p50 %.2f ms, p99 %.2f ms",
                policy, rate, p.n, requesters, LoadDriver.pct(ack, 50) / 1e6, LoadDriver.pct(ack, 99) / 1e6);
    }

    private void awaitDelivered(Phase p, String what) throws InterruptedException {
        if (!p.delivered.await(drainTimeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(String.format("%s: only %d of %d events reached the target within %d s",
                    what, p.n - p.delivered.getCount(), p.n, drainTimeoutMillis / 1000));
        }
    }

    /** One event every 1/rate s (asynchronous requests); latency = first arrival at the target - publish. */
    private void paced(String policy, Connection c) throws Exception {
        Phase p = new Phase(policy + ".l", latencyCount);
        byte[][] bodies = new byte[latencyCount][];
        for (int i = 0; i < latencyCount; i++) bodies[i] = event(p.id(i));
        phases.put(p.prefix, p);
        AtomicLong refused = new AtomicLong();
        AtomicReference<String> firstRefusal = new AtomicReference<>();
        CountDownLatch acks = new CountDownLatch(latencyCount);
        long periodNanos = (long) (1e9 / latencyRate);
        Results.log("events %s: latency, %d events at %.0f/s", policy, latencyCount, latencyRate);
        long t0 = System.nanoTime();
        long behind = 0;
        for (int i = 0; i < latencyCount; i++) {
            long due = t0 + i * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            behind = Math.max(behind, System.nanoTime() - due);
            final int idx = i;
            p.sent[i] = System.nanoTime();
            c.requestWithTimeout(SUBJECT, bodies[i], REQUEST_TIMEOUT).whenComplete((m, e) -> {
                p.acked[idx] = System.nanoTime();
                if (e != null || !accepted(m)) {
                    refused.incrementAndGet();
                    firstRefusal.compareAndSet(null, p.id(idx) + ": " + (e != null ? e.toString() : describe(m)));
                }
                acks.countDown();
            });
        }
        if (!acks.await(REQUEST_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(policy + " latency: " + acks.getCount() + " requests got no answer");
        }
        if (refused.get() > 0) {
            throw new IllegalStateException(policy + " latency: " + refused.get() + " events not accepted; first: " + firstRefusal.get());
        }
        awaitDelivered(p, policy + " latency");
        long[] lat = new long[latencyCount];
        long[] ack = new long[latencyCount];
        double sum = 0;
        for (int i = 0; i < latencyCount; i++) {
            lat[i] = p.arrived.get(i) - p.sent[i];
            ack[i] = p.acked[i] - p.sent[i];
            sum += lat[i];
        }
        Arrays.sort(lat);
        Arrays.sort(ack);
        Results.emit(SCENARIO, size, "delivery_p50_ms_" + policy, LoadDriver.pct(lat, 50) / 1e6, "ms");
        Results.emit(SCENARIO, size, "delivery_p90_ms_" + policy, LoadDriver.pct(lat, 90) / 1e6, "ms");
        Results.emit(SCENARIO, size, "delivery_p99_ms_" + policy, LoadDriver.pct(lat, 99) / 1e6, "ms");
        Results.emit(SCENARIO, size, "delivery_max_ms_" + policy, lat[lat.length - 1] / 1e6, "ms");
        Results.emit(SCENARIO, size, "delivery_mean_ms_" + policy, sum / lat.length / 1e6, "ms");
        Results.emit(SCENARIO, size, "paced_ack_p50_ms_" + policy, LoadDriver.pct(ack, 50) / 1e6, "ms");
        Results.emit(SCENARIO, size, "paced_ack_p99_ms_" + policy, LoadDriver.pct(ack, 99) / 1e6, "ms");
        Results.log("events %s: publish-to-delivery p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d events at %.0f/s "
                        + "(ack p50 %.2f ms, p99 %.2f ms; schedule slipped at most %.2f ms)", policy,
                LoadDriver.pct(lat, 50) / 1e6, LoadDriver.pct(lat, 99) / 1e6, lat[lat.length - 1] / 1e6, latencyCount,
                latencyRate, LoadDriver.pct(ack, 50) / 1e6, LoadDriver.pct(ack, 99) / 1e6, behind / 1e6);
    }

    // ---------------------------------------------------------------- the service process

    private final class Service {
        final Process process;
        final int natsPort;
        final int httpPort;

        Service(Process process, int natsPort, int httpPort) {
            this.process = process;
            this.natsPort = natsPort;
            this.httpPort = httpPort;
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM: the service closes its queue
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                Results.log("events: service did not stop within 20 s, killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            running.compareAndSet(process, null);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Service startService(String policy, Path dir, Path data, int targetPort) throws Exception {
        Path toml = dir.resolve("service.toml");
        Path log = dir.resolve("service.log");
        for (int attempt = 1; ; attempt++) {
            int httpPort = freePort(), natsPort = freePort(), gatewayPort = freePort();
            String target = "http://127.0.0.1:" + targetPort;
            Files.writeString(toml, """
                    # written by bench.jar events: event-service with plaintext internal NATS (no [tls])
                    [service]
                    host = "127.0.0.1"
                    port = %d
                    [internal_messaging]
                    port = %d
                    gateway_port = %d
                    [handlers]
                    feed = "%s/feed"
                    cfgingest = "%s/cfgingest"
                    event_feed = "%s/event_feed"
                    [queue]
                    data_dir = "%s"
                    sync = "%s"
                    sync_interval = "%s"
                    """.formatted(httpPort, natsPort, gatewayPort, target, target, target,
                    data.toString().replace("\\", "\\\\"), policy, syncInterval));
            List<String> cmd = new ArrayList<>(command);
            cmd.add("--config");
            cmd.add(toml.toString());
            Results.log("events %s: starting %s", policy, String.join(" ", cmd));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            running.set(p);
            long t0 = System.nanoTime();
            if (awaitHealthy(p, httpPort)) {
                Results.log("events %s: service pid %d healthy after %.0f ms (HTTP %d, NATS %d)", policy, p.pid(),
                        (System.nanoTime() - t0) / 1e6, httpPort, natsPort);
                return new Service(p, natsPort, httpPort);
            }
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            running.compareAndSet(p, null);
            String out = Files.readString(log);
            boolean portRace = out.contains("already in use") || out.contains("BindException");
            if (!portRace || attempt >= 3) {
                String tail = out.length() > 3000 ? out.substring(out.length() - 3000) : out;
                throw new IllegalStateException("event-service did not become healthy (log " + log + "):\n" + tail);
            }
            Results.log("events %s: a port was taken, retrying", policy);
        }
    }

    private boolean awaitHealthy(Process p, int httpPort) throws InterruptedException {
        long deadline = System.nanoTime() + readyTimeoutMillis * 1_000_000L;
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) return false;
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return true;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    static Connection connect(String name, int port) throws Exception {
        Options o = new Options.Builder().server("nats://127.0.0.1:" + port).connectionName(name).noReconnect()
                .connectionTimeout(Duration.ofSeconds(10))
                .errorListener(new ErrorListener() {
                    @Override public void errorOccurred(Connection c, String error) { Results.log("%s: server error: %s", name, error); }
                    @Override public void exceptionOccurred(Connection c, Exception e) { Results.log("%s: exception: %s", name, e); }
                    @Override public void slowConsumerDetected(Connection c, Consumer consumer) { Results.log("%s: slow consumer", name); }
                })
                .build();
        return Nats.connect(o);
    }

    /** Requests until the intake answers (its subscription may come up just after /healthz). */
    private void probe(Connection c, String policy, Service svc) throws Exception {
        long deadline = System.nanoTime() + readyTimeoutMillis * 1_000_000L;
        String last = "";
        for (int k = 0; System.nanoTime() < deadline; k++) {
            if (!svc.process.isAlive()) throw new IllegalStateException("event-service exited");
            try {
                Message m = c.request(SUBJECT, event(policy + ".probe." + k), Duration.ofSeconds(2));
                if (accepted(m)) return;
                last = describe(m);
            } catch (RuntimeException e) {
                last = e.toString();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("event-service accepted no probe event within the ready timeout; last answer: " + last);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
