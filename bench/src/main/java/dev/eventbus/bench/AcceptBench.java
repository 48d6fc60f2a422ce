package dev.eventbus.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * event-service against a JetStream file stream, side by side in one run: acknowledged events/s at a given number of
 * requests in flight, server CPU per event, and publish-to-delivery latency at a paced rate.
 *
 * <p>Three kinds of server, each started fresh (empty data/store dir) for every round: event-service with
 * {@code sync = "always"}, event-service with {@code sync = "interval"}, and {@code nats-server -js} (2.9 defaults)
 * with a file stream on {@code events.>}. The kinds run back to back in every round, and the order rotates from round
 * to round. The same jnats client code drives both: {@code --conns} connections, each keeping
 * {@code inflight / conns} requests outstanding (event-service: a request on {@code events.compliance_ingest}, done
 * when {@code {"accepted":true…}} comes back; JetStream: a publish done when its PubAck comes back). CPU per event =
 * (utime + stime of the server process after − before the measured phase) / events.
 *
 * <p>Latency: event-service delivers to a NATS handler target ({@code nats:bench.delivered}, received by this JVM on the
 * service's internal bus); JetStream delivers through a push consumer (ack none, deliver new). One event every
 * 1/{@code --latency-rate} s from one connection; latency = arrival − publish ({@code System.nanoTime()} of this JVM).
 */
final class AcceptBench {
    static final String SCENARIO = "accept";
    private static final String TYPE = "compliance_ingest";
    private static final String SUBJECT = "events." + TYPE;
    private static final String DELIVERED = "bench.delivered";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private final List<String> serviceCommand;
    private final String natsServer;
    private final Path workDir;
    private final List<String> kinds;
    private final int[] inflights;
    private final int conns;
    private final int events;
    private final int eventsAtOne;
    private final int warmup;
    private final int warmupSeconds;
    private final int size;
    private final int rounds;
    private final String syncInterval;
    private final int latencyCount;
    private final double latencyRate;
    /** Diagnosis: the handlers point at a closed port, so the service's CPU is the accept path's alone. */
    private final boolean handlersOff;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicReference<Process> running = new AtomicReference<>();
    /** kind|inflight|metric -> samples (one per round). */
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    private AcceptBench(Args a) {
        serviceCommand = a.positional();
        if (serviceCommand.isEmpty()) throw new IllegalArgumentException("accept needs -- COMMAND (the event-service)");
        natsServer = a.get("nats-server", "nats-server");
        workDir = Path.of(a.require("work-dir")).toAbsolutePath();
        kinds = List.of(a.get("kinds", "always,interval,jetstream").split(","));
        for (String k : kinds) {
            if (!k.equals("always") && !k.equals("interval") && !k.equals("jetstream")) throw new IllegalArgumentException("unknown kind " + k);
        }
        inflights = a.ints("inflight", "1,16,64");
        conns = a.getInt("conns", 4);
        events = a.getInt("events", 20_000);
        eventsAtOne = a.getInt("events-at-one", 4_000);
        warmup = a.getInt("warmup", 3_000);
        warmupSeconds = a.getInt("warmup-s", 8);
        size = a.getInt("size", 1024);
        rounds = a.getInt("rounds", 3);
        syncInterval = a.get("sync-interval", "50ms");
        latencyCount = a.getInt("latency-count", 1_000);
        latencyRate = Double.parseDouble(a.get("latency-rate", "200"));
        handlersOff = a.has("handlers-off");
        if (handlersOff && latencyCount > 0) throw new IllegalArgumentException("--handlers-off needs --latency-count 0");
    }

    static void run(Args a) throws Exception {
        AcceptBench b = new AcceptBench(a);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = b.running.get();
            if (p != null) p.destroyForcibly();
        }));
        for (int r = 1; r <= b.rounds; r++) {
            List<String> order = new ArrayList<>(b.kinds);
            java.util.Collections.rotate(order, -(r - 1));
            for (String kind : order) b.round(kind, r);
        }
        String table = b.table();
        Files.writeString(b.workDir.resolve("table.md"), table);
        System.err.println(table);
    }

    // ---------------------------------------------------------------- one server, one round

    private interface Target extends AutoCloseable {
        long pid();
        /** Sends one event; the future completes with null when it is acknowledged, else with a description. */
        CompletableFuture<String> send(int conn, byte[] body);
        /**
         * Waits until everything acknowledged so far has been delivered (event-service; JetStream keeps what it
         * stored without a consumer), so that every phase starts with an empty queue and none reaches event_limit.
         */
        default void drain() throws Exception {}
        /** fsyncs the server made so far (event-service's eventbus_queue_fsyncs_total), or -1 when it does not say. */
        default long fsyncs() { return -1; }
        /** Starts receiving deliveries; calls back with the delivered body. */
        void onDelivery(java.util.function.Consumer<byte[]> sink) throws Exception;
        @Override void close() throws Exception;
    }

    private void round(String kind, int round) throws Exception {
        Path dir = workDir.resolve("r" + round).resolve(kind);
        EventsBench.deleteTree(dir);
        Files.createDirectories(dir);
        Results.log("accept %s round %d: starting", kind, round);
        try (Target t = kind.equals("jetstream") ? new JetStreamTarget(dir) : new ServiceTarget(kind, dir)) {
            // the JVM needs tens of thousands of events before its JIT has compiled the hot paths (measured: 10k/s
            // cold, 32k/s after 100k events at 64 in flight); nats-server (Go) needs none, but gets the same load
            int most = Arrays.stream(inflights).max().orElse(1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
            for (int w = 0; System.nanoTime() < until; w++) {
                burst(t, kind + ".warm" + w + ".r" + round, 5_000, most);
                t.drain();
            }
            for (int phase = 0; phase < inflights.length; phase++) {
                int inflight = inflights[phase];
                String tag = kind + "." + inflight + ".p" + phase + ".r" + round;
                burst(t, tag + ".w", warmup, inflight);
                t.drain();
                long cpu0 = cpuTicks(t.pid());
                long fsyncs0 = t.fsyncs();
                int n = inflight == 1 ? eventsAtOne : events;
                double rate = burst(t, tag + ".m", n, inflight);
                double cpuUs = (cpuTicks(t.pid()) - cpu0) * (CLOCK_TICK_NANOS / 1000.0) / n;
                t.drain();
                record(kind, inflight, "acked_per_sec", rate, "events/s");
                record(kind, inflight, "cpu_us_per_event", cpuUs, "µs");
                long fsyncs = fsyncs0 < 0 ? -1 : t.fsyncs() - fsyncs0;
                if (fsyncs > 0) record(kind, inflight, "events_per_fsync", (double) n / fsyncs, "events");
                Results.log("accept %s round %d, %d in flight: %.0f acked events/s, server CPU %.1f µs/event", kind,
                        round, inflight, rate, cpuUs);
            }
            if (latencyCount > 0) paced(t, kind, round);
        } finally {
            EventsBench.deleteTree(dir.resolve("data"));
        }
    }

    private void record(String kind, int inflight, String metric, double v, String unit) {
        samples.computeIfAbsent(kind + "|" + inflight + "|" + metric, k -> new ArrayList<>()).add(v);
        Results.emit(SCENARIO, inflight, metric + "_" + kind, v, unit);
    }

    /** {@code n} events over {@code conns} connections with {@code inflight} outstanding in all; acked events/s. */
    private double burst(Target t, String prefix, int n, int inflight) throws Exception {
        byte[][] bodies = new byte[n][];
        for (int i = 0; i < n; i++) bodies[i] = event(prefix + "." + i);
        int k = Math.min(conns, inflight);
        AtomicLong next = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(n);
        AtomicLong lastAck = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int c = 0; c < k; c++) {
            int conn = c;
            int window = inflight / k + (c < inflight % k ? 1 : 0);
            Thread th = new Thread(() -> {
                Semaphore slots = new Semaphore(window);
                try {
                    go.await();
                    long i;
                    while ((i = next.getAndIncrement()) < n && failure.get() == null) {
                        slots.acquire();
                        t.send(conn, bodies[(int) i]).whenComplete((err, ex) -> {
                            if (ex != null || err != null) failure.compareAndSet(null, ex != null ? ex.toString() : err);
                            lastAck.accumulateAndGet(System.nanoTime(), Math::max);
                            slots.release();
                            done.countDown();
                        });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-accept-" + c);
            threads.add(th);
        }
        threads.forEach(Thread::start);
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread th : threads) th.join();
        if (failure.get() == null && !done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            failure.compareAndSet(null, done.getCount() + " events unanswered after " + TIMEOUT.toSeconds() + " s");
        }
        if (failure.get() != null) throw new IllegalStateException(prefix + ": " + failure.get());
        return n / ((lastAck.get() - t0) / 1e9);
    }

    private void paced(Target t, String kind, int round) throws Exception {
        String prefix = kind + ".l.r" + round + ".";
        int n = latencyCount;
        AtomicLongArray arrived = new AtomicLongArray(n);
        CountDownLatch delivered = new CountDownLatch(n);
        t.onDelivery(body -> {
            String id = eventId(body);
            if (id == null || !id.startsWith(prefix)) return;
            int i = Integer.parseInt(id.substring(prefix.length()));
            if (arrived.compareAndSet(i, 0, System.nanoTime())) delivered.countDown();
        });
        long[] sent = new long[n];
        byte[][] bodies = new byte[n][];
        for (int i = 0; i < n; i++) bodies[i] = event(prefix + i);
        AtomicReference<String> failure = new AtomicReference<>();
        long period = (long) (1e9 / latencyRate);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = t0 + i * period, wait;
            while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            sent[i] = System.nanoTime();
            t.send(0, bodies[i]).whenComplete((err, ex) -> {
                if (ex != null || err != null) failure.compareAndSet(null, ex != null ? ex.toString() : err);
            });
        }
        if (!delivered.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(kind + " latency: " + delivered.getCount() + " of " + n + " events not delivered"
                    + (failure.get() == null ? "" : "; first failure: " + failure.get()));
        }
        if (failure.get() != null) throw new IllegalStateException(kind + " latency: " + failure.get());
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) lat[i] = arrived.get(i) - sent[i];
        Arrays.sort(lat);
        double p50 = LoadDriver.pct(lat, 50) / 1e6, p99 = LoadDriver.pct(lat, 99) / 1e6;
        record(kind, 0, "delivery_p50_ms", p50, "ms");
        record(kind, 0, "delivery_p99_ms", p99, "ms");
        Results.log("accept %s round %d: publish-to-delivery p50 %.2f ms, p99 %.2f ms at %.0f/s", kind, round, p50, p99, latencyRate);
    }

    // ---------------------------------------------------------------- event-service

    private final class ServiceTarget implements Target {
        final Process process;
        final List<Connection> clients = new ArrayList<>();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        volatile java.util.function.Consumer<byte[]> sink = body -> {};

        int httpPort;

        ServiceTarget(String policy, Path dir) throws Exception {
            Path data = dir.resolve("data");
            Path toml = dir.resolve("service.toml");
            Process p = null;
            int natsPort = 0;
            for (int attempt = 1; p == null; attempt++) {
                int httpPort = EventsBench.freePort();
                natsPort = EventsBench.freePort();
                Files.writeString(toml, """
                        # written by bench.jar accept: plaintext internal NATS, every handler a NATS subject this JVM reads
                        [service]
                        host = "127.0.0.1"
                        port = %d
                        event_limit = %d
                        [internal_messaging]
                        port = %d
                        gateway_port = %d
                        [handlers]
                        feed = "%s"
                        cfgingest = "%s"
                        event_feed = "%s"
                        [queue]
                        data_dir = "%s"
                        sync = "%s"
                        sync_interval = "%s"
                        """.formatted(httpPort, handlersOff ? 100_000_000 : 100_000, natsPort, EventsBench.freePort(),
                        handler(), handler(), handler(),
                        data.toString().replace("\\", "\\\\"), policy, syncInterval));
                List<String> cmd = new ArrayList<>(serviceCommand);
                cmd.add("--config");
                cmd.add(toml.toString());
                Process started = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile())).start();
                running.set(started);
                if (awaitHealthy(started, httpPort)) {
                    p = started;
                    this.httpPort = httpPort;
                } else {
                    started.destroyForcibly();
                    started.waitFor(10, TimeUnit.SECONDS);
                    String log = Files.readString(dir.resolve("service.log"));
                    if (attempt >= 3 || !(log.contains("already in use") || log.contains("BindException"))) {
                        throw new IllegalStateException("event-service did not become healthy, see " + dir.resolve("service.log"));
                    }
                }
            }
            process = p;
            for (int c = 0; c < conns; c++) clients.add(EventsBench.connect("bench-accept-" + c, natsPort));
            // its own connection: the requesters' dispatchers carry the acks
            Connection d = EventsBench.connect("bench-accept-delivered", natsPort);
            clients.add(d);
            d.createDispatcher(m -> {
                delivered.incrementAndGet();
                sink.accept(m.getData());
            }).subscribe(DELIVERED);
            d.flush(Duration.ofSeconds(5));
            probe(clients.get(0));
        }

        private void probe(Connection c) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int k = 0; System.nanoTime() < deadline; k++) {
                String err = send(c, event("probe." + k)).get(5, TimeUnit.SECONDS);
                if (err == null) return;
                Thread.sleep(50);
            }
            throw new IllegalStateException("event-service accepted no probe event within 30 s");
        }

        @Override public long pid() { return process.pid(); }

        @Override public CompletableFuture<String> send(int conn, byte[] body) { return send(clients.get(conn), body); }

        private CompletableFuture<String> send(Connection c, byte[] body) {
            return c.requestWithTimeout(SUBJECT, body, TIMEOUT).thenApply(m -> {
                if (m == null || m.isStatusMessage()) return m == null ? "no reply" : "status " + m.getStatus();
                String s = new String(m.getData(), StandardCharsets.UTF_8);
                if (!s.startsWith("{\"accepted\":true") || s.contains("\"duplicate\":true")) return s;
                accepted.incrementAndGet();
                return null;
            });
        }

        @Override public long fsyncs() {
            try {
                String m = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (String line : m.split("\n")) {
                    if (line.startsWith("eventbus_queue_fsyncs_total ")) return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
                }
            } catch (IOException e) {
                Results.log("reading /metrics: %s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override public void drain() throws InterruptedException {
            if (handlersOff) return;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (delivered.get() < accepted.get()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("event-service delivered " + delivered.get() + " of " + accepted.get() + " events in 120 s");
                }
                Thread.sleep(5);
            }
        }

        @Override public void onDelivery(java.util.function.Consumer<byte[]> sink) { this.sink = sink; }

        @Override public void close() throws Exception {
            for (Connection c : clients) c.close();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            running.compareAndSet(process, null);
        }
    }

    /** A NATS subject this JVM reads, or with --handlers-off an HTTP port nothing listens on (the discard port). */
    private String handler() { return handlersOff ? "http://127.0.0.1:9/off" : "nats:" + DELIVERED; }

    private boolean awaitHealthy(Process p, int httpPort) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return true;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    // ---------------------------------------------------------------- JetStream

    private final class JetStreamTarget implements Target {
        final Process process;
        final List<Connection> clients = new ArrayList<>();
        final List<JetStream> js = new ArrayList<>();

        JetStreamTarget(Path dir) throws Exception {
            Path store = dir.resolve("data");
            Files.createDirectories(store);
            Process p = null;
            int port = 0;
            for (int attempt = 1; p == null; attempt++) {
                port = EventsBench.freePort();
                Process started = new ProcessBuilder(natsServer, "-js", "-a", "127.0.0.1", "-p", Integer.toString(port),
                        "-sd", store.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nats-server.log").toFile())).start();
                running.set(started);
                if (awaitListening(started, port)) {
                    p = started;
                } else {
                    started.destroyForcibly();
                    started.waitFor(10, TimeUnit.SECONDS);
                    if (attempt >= 3) throw new IllegalStateException("nats-server did not start, see " + dir.resolve("nats-server.log"));
                }
            }
            process = p;
            for (int c = 0; c < conns; c++) {
                Connection nc = EventsBench.connect("bench-accept-js-" + c, port);
                clients.add(nc);
                js.add(nc.jetStream());
            }
            JetStreamManagement jsm = clients.get(0).jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>").storageType(StorageType.File).build());
            String err = send(0, event("probe.0")).get(10, TimeUnit.SECONDS);
            if (err != null) throw new IllegalStateException("JetStream probe: " + err);
        }

        @Override public long pid() { return process.pid(); }

        @Override public CompletableFuture<String> send(int conn, byte[] body) {
            return js.get(conn).publishAsync(SUBJECT, body).thenApply(ack -> ack.hasError() ? ack.getError() : null);
        }

        @Override public void onDelivery(java.util.function.Consumer<byte[]> sink) throws Exception {
            Connection c = clients.get(conns - 1);
            Dispatcher d = c.createDispatcher();
            ConsumerConfiguration cc = ConsumerConfiguration.builder().ackPolicy(AckPolicy.None)
                    .deliverPolicy(DeliverPolicy.New).build();
            js.get(conns - 1).subscribe(SUBJECT, d, (Message m) -> sink.accept(m.getData()), false,
                    PushSubscribeOptions.builder().configuration(cc).build());
            c.flush(Duration.ofSeconds(5));
        }

        @Override public void close() throws Exception {
            for (Connection c : clients) c.close();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            running.compareAndSet(process, null);
        }
    }

    private static boolean awaitListening(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- helpers

    private byte[] event(String id) { return EventsBench.event(id, size); }

    /** The event_id of a body this bench wrote (the first field, no escapes). */
    private static String eventId(byte[] body) {
        int start = EventsBench.HEAD.length();
        if (body == null || body.length <= start) return null;
        int end = start;
        while (end < body.length && body[end] != '"') end++;
        return new String(body, start, end - start, StandardCharsets.US_ASCII);
    }

    /** utime + stime of a process in clock ticks, from /proc/PID/stat (fields 14 and 15). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    // ---------------------------------------------------------------- table

    private String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Medians of %d round(s), %d KB events, %d client connections; ratio = event-service / JetStream%n%n",
                rounds, size / 1024, conns));
        out.append("| requests in flight | sync = always | sync = interval | JetStream file stream | CPU µs/event: always / interval / JetStream | events per fsync (always) |\n");
        out.append("|---:|---:|---:|---:|---:|---:|\n");
        for (int inflight : inflights) {
            Double js = median("jetstream", inflight, "acked_per_sec");
            out.append("| ").append(inflight).append(" | ").append(rateCell("always", inflight, js)).append(" | ")
                    .append(rateCell("interval", inflight, js)).append(" | ").append(fmt(js, "%,.0f/s")).append(" | ")
                    .append(fmt(median("always", inflight, "cpu_us_per_event"), "%.1f")).append(" / ")
                    .append(fmt(median("interval", inflight, "cpu_us_per_event"), "%.1f")).append(" / ")
                    .append(fmt(median("jetstream", inflight, "cpu_us_per_event"), "%.1f")).append(" | ")
                    .append(fmt(median("always", inflight, "events_per_fsync"), "%.1f")).append(" |\n");
        }
        if (latencyCount > 0) {
            out.append(String.format(Locale.ROOT, "%n| publish-to-delivery at %.0f/s | sync = always | sync = interval | JetStream (push consumer) |%n", latencyRate));
            out.append("|---|---:|---:|---:|\n");
            for (String p : List.of("p50", "p99")) {
                String m = "delivery_" + p + "_ms";
                out.append("| ").append(p).append(" (ms) | ").append(fmt(median("always", 0, m), "%.2f")).append(" | ")
                        .append(fmt(median("interval", 0, m), "%.2f")).append(" | ")
                        .append(fmt(median("jetstream", 0, m), "%.2f")).append(" |\n");
            }
        }
        out.append("\nEvery sample:\n");
        samples.forEach((k, v) -> out.append("- ").append(k).append(": ").append(v.stream()
                .map(x -> String.format(Locale.ROOT, "%.1f", x)).toList()).append('\n'));
        return out.toString();
    }

    private String rateCell(String kind, int inflight, Double js) {
        Double v = median(kind, inflight, "acked_per_sec");
        if (v == null) return "n/a";
        return fmt(v, "%,.0f/s") + (js == null ? "" : String.format(Locale.ROOT, " (%.2f×)", v / js));
    }

    private Double median(String kind, int inflight, String metric) {
        return Report.median(samples.get(kind + "|" + inflight + "|" + metric));
    }

    private static String fmt(Double v, String f) { return v == null ? "n/a" : String.format(Locale.ROOT, f, v); }
}
