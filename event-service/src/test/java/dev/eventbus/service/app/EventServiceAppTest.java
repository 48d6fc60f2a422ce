package dev.eventbus.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.eventbus.broker.Broker;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.service.Events;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The event-service application: mutual-TLS internal bus with certificates from {@code certs init}, NATS and HTTP
 * intake with acknowledgements, typed handlers delivering over HTTP and NATS, listener_limit, /healthz, /metrics.
 */
class EventServiceAppTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir Path dir;
    private HttpServer target;
    private final CopyOnWriteArrayList<String> delivered = new CopyOnWriteArrayList<>();
    private ApplicationContext app;
    private int httpPort;
    private int natsPort;
    private EffectiveConfig cfg;
    /** The JVM's threads before this test's app started: what is left of earlier tests is not this app's. */
    private Set<Thread> threadsBefore;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
        // the test's NATS client is an internal service identity, configured as an internal-bus client below
        DevPki.init(dir, new DevPki.Options(KeyAlgorithm.ecP256(), Duration.ofDays(1), false, List.of(), List.of("test-client")));
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", ex -> {
            delivered.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        target.start();
        httpPort = freePort();
        natsPort = freePort();
        Path toml = dir.resolve("service.toml");
        Files.writeString(toml, """
                [service]
                port = %d
                listener_limit = 1
                [internal_messaging]
                port = %d
                gateway_port = %d
                [[internal_messaging.clients]]
                identity = "test-client"
                publish = ["events.>", "healthcheck.event-service"]
                subscribe = ["events.>", "*.>", "feed.out", "_INBOX.>"]
                [tls]
                cert_path = "event-service.crt"
                key_path = "event-service.key"
                root_ca_path = "ca.crt"
                [handlers]
                feed = "http://127.0.0.1:%d/feed"
                cfgingest = "http://127.0.0.1:%d/cfgingest"
                event_feed = "nats:feed.out"
                [queue]
                data_dir = "data"
                [delivery]
                unhealthy_after = "1s"
                """.formatted(httpPort, natsPort, freePort(), target.getAddress().getPort(), target.getAddress().getPort()));
        cfg = ConfigLoader.forApp(App.EVENT_SERVICE).patch(toml).load();
        app = EventServiceMain.start(cfg);
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
        if (target != null) target.stop(0);
    }

    private Connection client(ErrorListener errors) throws Exception {
        Options.Builder o = new Options.Builder().server("tls://localhost:" + natsPort)
                .sslContext(JdkSslContexts.client(dir.resolve("ca.crt"), dir.resolve("test-client.crt"), dir.resolve("test-client.key")))
                .maxReconnects(0);
        if (errors != null) o.errorListener(errors);
        return Nats.connect(o.build());
    }

    /** A client holding the one listener slot listener_limit = 1 allows. */
    private Connection listenerOnAllEvents() throws Exception {
        Connection c = client(null);
        c.subscribe("events.>");
        c.flush(Duration.ofSeconds(2));
        return c;
    }

    private static ErrorListener collecting(List<String> errors) {
        return new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        };
    }

    private HttpResponse<String> post(String body) throws Exception { return post(body, "application/json"); }

    private HttpResponse<String> post(String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/events"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aNatsRequestIsAcknowledgedOnceQueuedAndDeliveredToItsHandler() throws Exception {
        try (Connection c = client(null)) {
            Message ack = c.request("events.compliance_ingest", Events.event("e-1", "compliance_ingest"), Duration.ofSeconds(10));
            assertThat(new String(ack.getData())).isEqualTo("{\"accepted\":true,\"event_id\":\"e-1\",\"event_seq\":1}");
            await().atMost(WAIT).until(() -> delivered.stream().anyMatch(d -> d.startsWith("/feed ") && d.contains("\"e-1\"")));
            Message refused = c.request("events.bogus", "{not json".getBytes(), Duration.ofSeconds(10));
            assertThat(new String(refused.getData())).startsWith("{\"accepted\":false,\"error\":");
        }
    }

    @Test
    void eachPublishersEventsAreQueuedInPublishOrderWhileManyConnectionsPublishAtOnce() throws Exception {
        int publishers = 4, each = 250;
        List<Connection> conns = new java.util.ArrayList<>();
        try {
            for (int p = 0; p < publishers; p++) conns.add(client(null));
            List<java.util.concurrent.CompletableFuture<Message>> acks = new CopyOnWriteArrayList<>();
            List<Thread> threads = new java.util.ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                Connection c = conns.get(p);
                String prefix = "p" + p + "-";
                // every event asynchronously, without waiting for the previous answer: many in flight per connection
                threads.add(new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        acks.add(c.requestWithTimeout("events.compliance_ingest", Events.event(prefix + i, "compliance_ingest"),
                                Duration.ofSeconds(30)));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();
            for (var f : acks) assertThat(new String(f.get(30, java.util.concurrent.TimeUnit.SECONDS).getData())).startsWith("{\"accepted\":true");
            await().atMost(WAIT).until(() -> delivered.stream().filter(d -> d.startsWith("/feed ")).count() == (long) publishers * each);
            java.util.regex.Pattern id = java.util.regex.Pattern.compile("\"event_id\":\"p(\\d+)-(\\d+)\"");
            List<List<Integer>> order = new java.util.ArrayList<>();
            for (int p = 0; p < publishers; p++) order.add(new java.util.ArrayList<>());
            for (String d : delivered) {
                java.util.regex.Matcher m = id.matcher(d);
                if (d.startsWith("/feed ") && m.find()) order.get(Integer.parseInt(m.group(1))).add(Integer.parseInt(m.group(2)));
            }
            // the handler gets the log in append order: each connection's events went in as they were published
            for (int p = 0; p < publishers; p++) assertThat(order.get(p)).as("publisher %d", p).hasSize(each).isSorted();
            assertThat(get("/metrics")).contains("eventbus_queue_fsyncs_total");
        } finally {
            for (Connection c : conns) c.close();
        }
    }

    @Test
    void httpIntakeAnswers202And400AndRoutesEveryKindOfHandler() throws Exception {
        try (Connection c = client(null)) {
            Subscription natsTarget = c.subscribe("feed.out");
            c.flush(Duration.ofSeconds(2));
            HttpResponse<String> ok = post(Events.json("e-2", "scanJobCreated"));
            assertThat(ok.statusCode()).isEqualTo(202);
            assertThat(ok.body()).contains("\"accepted\":true");
            Message m = natsTarget.nextMessage(WAIT);
            assertThat(m).isNotNull();
            assertThat(new String(m.getData())).contains("\"e-2\"");
        }
        assertThat(post(Events.json("e-3", "nodeTerminated")).statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> delivered.stream().anyMatch(d -> d.startsWith("/cfgingest ") && d.contains("\"e-3\"")));
        HttpResponse<String> bad = post("{\"event_id\":\"x\"");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"accepted\":false");
        HttpResponse<String> unknown = post(Events.json("e-4", "noSuchType"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(get("/metrics")).contains("eventbus_events_accepted_total 2").contains("eventbus_events_refused_total{reason=")
                .contains("eventbus_event_delivery_seconds_count{handler=\"cfgingest\"} 1");
        assertThat(get("/healthz")).contains("\"status\":\"ok\"");
    }

    /** Issue 10 item 4: any Content-Type used to be taken as JSON (a form post from any web page, say). */
    @Test
    void httpIntakeTakesOnlyJsonAndRefusesOthersWith415AndAReason() throws Exception {
        String event = Events.json("ct-1", "scanJobCreated");
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml", null}) {
            HttpResponse<String> r = post(event, type);
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(r.body()).as(type).startsWith("{\"accepted\":false,\"error\":")
                    .contains("send the event as application/json").endsWith(",\"reason\":\"unsupported_media_type\"}");
        }
        assertThat(post(event, "application/json; charset=utf-8").statusCode()).isEqualTo(202);
        assertThat(post(Events.json("ct-2", "scanJobCreated"), "Application/JSON").statusCode()).isEqualTo(202);
        assertThat(get("/metrics")).contains("eventbus_events_accepted_total 2");
    }

    /** Issue 10 item 4: both used to get the framework's error JSON, with no reason. */
    @Test
    void anEmptyAndAnOverlongBodyGetOurRefusalWithAReason() throws Exception {
        HttpResponse<String> empty = post("");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).startsWith("{\"accepted\":false,").endsWith(",\"reason\":\"malformed_json\"}");
        // over max_event_bytes (1 MiB by default) plus the framework's slack: cut off before the validator sees it
        HttpResponse<String> huge = post(Events.json("huge", "scanJobCreated", "x".repeat(2 * 1024 * 1024)));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).isEqualTo("{\"accepted\":false,\"error\":\"event is larger than the limit of 1048576 bytes\","
                + "\"reason\":\"too_large\"}");
        // just over the limit: the validator's own answer
        HttpResponse<String> over = post(new String(Events.sized("over", "scanJobCreated", 1024 * 1024 + 1), StandardCharsets.UTF_8));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.body()).endsWith(",\"reason\":\"too_large\"}");
    }

    /** Issue 10 item 4: a subject naming one type and a body naming another used to be queued silently. */
    @Test
    void aNatsEventWhoseSubjectNamesAnotherTypeIsRefused() throws Exception {
        try (Connection c = client(null)) {
            Message m = c.request("events.scanJobCreated", Events.event("mixed", "profileDeleted"), Duration.ofSeconds(10));
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"accepted\":false,\"error\":"
                    + "\"the subject says type 'scanJobCreated' but the event's type is 'profileDeleted': publish it on "
                    + "events.profileDeleted\",\"reason\":\"type_mismatch\"}");
        }
        assertThat(get("/metrics")).contains("eventbus_events_refused_total{reason=\"type_mismatch\"} 1");
    }

    /** Issue 10 item 4: each handler's entry used to be a Java toString() ("HandlerStatus[handler=feed, …]"). */
    /**
     * An embedder that closes the app gets its threads back: a connection left reconnecting to the stopped broker
     * fills the log with "Connection refused" for the life of the JVM and slows whatever runs next in it. The JDK
     * HttpClient's threads are not counted: on Java 17 they end only once the client is garbage collected; nor is
     * Micronaut's idle IO executor thread, which the context's close does not stop (it ends after its 60 s keep-alive).
     */
    @Test
    void closingTheAppStopsEveryThreadItStarted() throws Exception {
        // a NATS handler delivery, so the service's internal publisher is in use when the app closes
        try (Connection c = client(null)) {
            Subscription feed = c.subscribe("feed.out");
            c.flush(Duration.ofSeconds(2));
            assertThat(post(Events.json("before-close", "scanJobCreated")).statusCode()).isEqualTo(202);
            assertThat(feed.nextMessage(WAIT)).isNotNull();
        }
        target.stop(0); // the test's own HTTP target is not the app's
        target = null;
        app.close();
        app = null;
        await().atMost(WAIT).untilAsserted(() -> assertThat(threadsStartedSince(threadsBefore)).isEmpty());
    }

    private static List<String> threadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && t != Thread.currentThread())
                .map(Thread::getName)
                .filter(n -> !n.startsWith("HttpClient-") && !n.startsWith("awaitility") && !n.startsWith("ForkJoinPool.commonPool")
                        && !n.startsWith("io-executor-thread-"))
                .sorted()
                .toList();
    }

    @Test
    void healthzRendersEachHandlerAsJson() throws Exception {
        String h = get("/healthz");
        assertThat(h).contains("\"feed\":{\"healthy\":true,\"failing_for_seconds\":0,\"last_error\":null}")
                .doesNotContain("HandlerStatus");
        target.stop(0); // unhealthy_after is 1s in this test's config
        assertThat(post(Events.json("to-a-dead-target", "compliance_ingest")).statusCode()).isEqualTo(202);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/healthz"))
                .containsPattern("\"feed\":\\{\"healthy\":false,\"failing_for_seconds\":[0-9]+,\"last_error\":\"POST http://"));
        target = null;
    }

    @Test
    void theEventStreamShowsAcceptedEventsAndCountsAgainstListenerLimit() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest streamReq = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/events/stream")).build();
        java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> open =
                http.sendAsync(streamReq, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> first = open.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(first.statusCode()).isEqualTo(200);
        // the one listener allowed is in use: a second stream is refused with the reason
        HttpResponse<String> second = http.send(streamReq, HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).contains("listener_limit reached");
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                first.body().filter(l -> l.startsWith("data:") && l.contains("profileCreated")).findFirst().orElse(""));
        await().atMost(WAIT).until(() -> {
            post(Events.json("sse-" + System.nanoTime(), "profileCreated"));
            return line.isDone();
        });
        assertThat(line.get()).contains("\"type\":\"profileCreated\"");
    }

    @Test
    void oneListenerMoreThanListenerLimitIsRefusedClearly() throws Exception {
        CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
        try (Connection first = listenerOnAllEvents(); Connection second = client(collecting(errors))) {
            second.subscribe("events.scanJobCreated");
            second.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(e -> e.contains("listener_limit reached")));
            assertThat(second.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(get("/metrics")).contains("eventbus_listeners 1");
        }
        assertThat(List.of(get("/gatewayz"))).allMatch(g -> g.contains("\"name\": \"event-service\""));
    }

    /**
     * Issue 10 item 4: the internal port used to accept publishes 0.4–6.2 s before the intake subscribed, and a request
     * in that window got "no responders". The port now opens only once the intake is subscribed: the very first request
     * made as soon as it accepts a TCP connection is acknowledged.
     */
    @Test
    void theFirstRequestAfterTheInternalPortOpensIsAnswered() throws Exception {
        app.close();
        app = null;
        java.util.concurrent.CompletableFuture<ApplicationContext> starting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> EventServiceMain.start(cfg));
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", natsPort), 1000);
                    return true;
                } catch (IOException closed) {
                    return false;
                }
            });
            try (Connection c = client(null)) {
                Message ack = c.request("events.compliance_ingest", Events.event("first-1", "compliance_ingest"), Duration.ofSeconds(10));
                assertThat(ack).as("the first request is answered, not refused with no responders").isNotNull();
                assertThat(new String(ack.getData(), StandardCharsets.UTF_8)).contains("\"accepted\":true");
            }
        } finally {
            app = starting.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * Issue 10 item 4: listener_limit used to count only subjects starting with {@code events.}, so a wildcard that
     * also matches event subjects took events beyond the limit. Every subscription that can receive an event counts.
     */
    @Test
    void aWildcardListenerThatCanReceiveEventsCountsAgainstListenerLimit() throws Exception {
        CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
        try (Connection first = listenerOnAllEvents(); Connection second = client(collecting(errors))) {
            Subscription wildcard = second.subscribe("*.>");
            Subscription byType = second.subscribe("*.scanJobCreated");
            second.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> errors.stream().filter(e -> e.contains("listener_limit reached")).count() == 2);
            // refused, so no event reaches them
            Message ack = second.request("events.scanJobCreated",
                    Events.event("wild-1", "scanJobCreated"), Duration.ofSeconds(10));
            assertThat(new String(ack.getData(), StandardCharsets.UTF_8)).contains("\"accepted\":true");
            // the broker routed the request to second's own subscriptions, if any, before the intake saw it
            assertThat(wildcard.nextMessage(Duration.ofMillis(200))).isNull();
            assertThat(byType.nextMessage(Duration.ofMillis(200))).isNull();
            assertThat(get("/metrics")).contains("eventbus_listeners 1");
        }
    }

    /**
     * Issue 9 item 1: an HPUB whose header block jnats cannot parse used to kill the intake's only connection silently
     * (jnats's reader thread dies, the socket stays up), and nothing was acknowledged for minutes. The broker now
     * refuses blocks without NATS/1.0 or with a line without a colon; a status line jnats cannot parse
     * ("NATS/1.0 abc": jnats wants a number) still passes it, and the intake must survive whatever gets through.
     */
    @Test
    void aMalformedHeaderBlockIsRefusedOnTheBusAndIntakeGoesOn() throws Exception {
        try (Connection c = client(null)) {
            assertThat(new String(c.request("events.scanJobCreated", Events.event("before", "scanJobCreated"), Duration.ofSeconds(10)).getData()))
                    .contains("\"accepted\":true");
            // jnats's reader dies on this block ("Invalid header status code"): the bus must not pass it on
            assertThat(publishMalformedHeaders("events.x")).startsWith("-ERR 'Message Header Violation: bad status line");
            for (int i = 0; i < 30; i++) assertThat(acknowledged(c, "steady-" + i, WAIT)).as("event %d", i).isTrue();
        }
        assertThat(get("/metrics")).contains("eventbus_intake_reconnects_total 0").contains("eventbus_intake_connections_up 3");
        assertThat(get("/healthz")).contains("\"status\":\"ok\"");
    }

    /**
     * A reader thread that stops without an exception (here: interrupted, so it leaves its loop after its next read)
     * leaves a connection that looks CONNECTED and takes events it never reads: the liveness probe notices it.
     */
    @Test
    void anIntakeConnectionWhoseReaderStoppedSilentlyIsReplacedByTheLivenessProbe() throws Exception {
        Thread reader = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("eventbus-event-service-intake-1-reader")).findFirst().orElseThrow();
        reader.interrupt();
        try (Connection c = client(null)) {
            await().atMost(WAIT).until(() -> get("/metrics").contains("eventbus_intake_connection_errors_total{reason=\"probe_timeout\"} 1"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> acknowledged(c, "after-" + System.nanoTime()));
            for (int i = 0; i < 30; i++) assertThat(acknowledged(c, "steady-" + i, WAIT)).as("event %d", i).isTrue();
        }
        assertThat(reader.isAlive()).isFalse();
        assertThat(get("/metrics")).contains("eventbus_intake_reconnects_total 1").contains("eventbus_intake_connections_up 3")
                .contains("eventbus_intake_connection_errors_total{reason=\"reader_died\"} 0");
    }

    @Test
    void healthzSaysWhyIntakeIsDownWhenItsConnectionsCannotBeReplaced() throws Exception {
        assertThat(get("/healthz")).contains("\"status\":\"ok\"");
        app.getBean(Broker.class).shutdown();
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> h = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(h.statusCode()).isEqualTo(503);
            assertThat(h.body()).contains("\"status\":\"unhealthy\"").contains("\"reasons\":[\"intake: 3 of 3 connections down: ")
                    .contains("cannot reconnect: ");
        });
        assertThat(get("/metrics")).contains("eventbus_intake_connections_up 0").contains("eventbus_intake_connections 3")
                .containsPattern("eventbus_intake_connection_errors_total\\{reason=\"connect_failed\"} [1-9]");
    }

    @Test
    void theHealthProbeAnswerSaysWhyTheServiceIsUnhealthy() throws Exception {
        try (Connection c = client(null)) {
            assertThat(new String(c.request(Intake.HEALTH_SUBJECT, "ping".getBytes(), Duration.ofSeconds(5)).getData()))
                    .isEqualTo("{\"status\":\"ok\"}");
            target.stop(0); // the feed handler's target goes away; unhealthy_after is 1s in this test's config
            assertThat(new String(c.request("events.compliance_ingest", Events.event("to-a-dead-target", "compliance_ingest"),
                    Duration.ofSeconds(10)).getData())).contains("\"accepted\":true");
            await().atMost(WAIT).untilAsserted(() -> assertThat(new String(
                    c.request(Intake.HEALTH_SUBJECT, "ping".getBytes(), Duration.ofSeconds(5)).getData()))
                    .startsWith("{\"status\":\"unhealthy\",\"reasons\":[\"handler feed: failing for "));
        }
        target = null;
    }

    private static boolean acknowledged(Connection c, String eventId) throws InterruptedException {
        return acknowledged(c, eventId, Duration.ofSeconds(1));
    }

    private static boolean acknowledged(Connection c, String eventId, Duration timeout) throws InterruptedException {
        Message ack = c.request("events.scanJobCreated", Events.event(eventId, "scanJobCreated"), timeout);
        return ack != null && new String(ack.getData(), StandardCharsets.UTF_8).contains("\"accepted\":true");
    }

    /** What a hostile agent sends: INFO, TLS upgrade, CONNECT with headers, then an HPUB with a status line jnats cannot parse. */
    /** @return the server's first answer to a malformed HPUB (the line before PONG, or PONG itself) */
    private String publishMalformedHeaders(String subject) throws Exception {
        try (Socket plain = new Socket("127.0.0.1", natsPort)) {
            BufferedReader info = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(info.readLine()).startsWith("INFO ");
            SSLSocket tls = (SSLSocket) JdkSslContexts.client(dir.resolve("ca.crt"), dir.resolve("test-client.crt"), dir.resolve("test-client.key"))
                    .getSocketFactory().createSocket(plain, "localhost", natsPort, true);
            tls.startHandshake();
            String header = "NATS/1.0 abc\r\n\r\n";
            String payload = Events.json("poison", "scanJobCreated");
            OutputStream out = tls.getOutputStream();
            out.write(("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"protocol\":1}\r\n"
                    + "HPUB " + subject + " " + header.length() + " " + (header.length() + payload.length()) + "\r\n"
                    + header + payload + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.equals("PONG") && !line.startsWith("-ERR"));
            tls.close();
            return String.valueOf(line);
        }
    }
}
