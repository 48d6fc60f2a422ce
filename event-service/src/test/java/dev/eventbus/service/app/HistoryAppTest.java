package dev.eventbus.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.service.Events;
import dev.eventbus.service.cli.ReplayMain;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 5 through the application: event_seq in acknowledgements and deliveries, {@code GET /v1/events}
 * pages, the event stream resuming from {@code Last-Event-ID}, the NATS history API and its permissions, and
 * {@code service replay} re-delivering to a handler's target while live delivery goes on. Real HTTP, real jnats over
 * mutual TLS with certificates from {@code certs init}, real files.
 */
class HistoryAppTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;
    private HttpServer target;
    /** What the HTTP handler targets received: path, X-Eventbus-Seq, X-Eventbus-Replay, event_id. */
    private final CopyOnWriteArrayList<Delivered> delivered = new CopyOnWriteArrayList<>();
    private ApplicationContext app;
    private Path toml;
    private int httpPort;
    private int natsPort;

    record Delivered(String path, long seq, boolean replay, String eventId) {}

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        DevPki.init(dir, new DevPki.Options(KeyAlgorithm.ecP256(), Duration.ofDays(1), false, List.of(), List.of("test-client", "reader")));
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", ex -> {
            String seq = ex.getRequestHeaders().getFirst("X-Eventbus-Seq");
            delivered.add(new Delivered(ex.getRequestURI().getPath(), seq == null ? -1 : Long.parseLong(seq),
                    "true".equals(ex.getRequestHeaders().getFirst("X-Eventbus-Replay")),
                    ex.getRequestHeaders().getFirst("X-Eventbus-Event-Id")));
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        target.start();
        httpPort = freePort();
        natsPort = freePort();
        toml = dir.resolve("service.toml");
        Files.writeString(toml, """
                [service]
                port = %d
                [internal_messaging]
                port = %d
                gateway_port = %d
                [[internal_messaging.clients]]
                identity = "test-client"
                publish = ["events.>"]
                subscribe = ["_INBOX.>"]
                [[internal_messaging.clients]]
                identity = "reader"
                publish = ["$EVENTS.history", "$EVENTS.replay"]
                subscribe = ["_INBOX.>", "feed.out"]
                [tls]
                cert_path = "event-service.crt"
                key_path = "event-service.key"
                root_ca_path = "ca.crt"
                [handlers]
                feed = "nats:feed.out"
                cfgingest = "http://127.0.0.1:%d/cfgingest"
                event_feed = "http://127.0.0.1:%d/event_feed"
                [queue]
                data_dir = "data"
                """.formatted(httpPort, natsPort, freePort(), target.getAddress().getPort(), target.getAddress().getPort()));
        app = EventServiceMain.start(ConfigLoader.forApp(App.EVENT_SERVICE).patch(toml).load());
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
        if (target != null) target.stop(0);
    }

    private Connection client(String identity, ErrorListener errors) throws Exception {
        Options.Builder o = new Options.Builder().server("tls://localhost:" + natsPort)
                .sslContext(JdkSslContexts.client(dir.resolve("ca.crt"), dir.resolve(identity + ".crt"), dir.resolve(identity + ".key")))
                .maxReconnects(0);
        if (errors != null) o.errorListener(errors);
        return Nats.connect(o.build());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long publish(String id, String type) throws Exception {
        HttpResponse<String> r = post(Events.json(id, type));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("event_seq").asLong();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<Delivered> at(String path, boolean replay) {
        return delivered.stream().filter(d -> d.path.equals(path) && d.replay == replay).toList();
    }

    private static List<Long> seqs(List<Delivered> ds) { return ds.stream().map(Delivered::seq).toList(); }

    private static List<Long> range(long from, long to) { return LongStream.rangeClosed(from, to).boxed().toList(); }

    @Test
    void acknowledgementsAndDeliveriesCarryTheEventSeq() throws Exception {
        try (Connection c = client("test-client", null); Connection reader = client("reader", null)) {
            Subscription natsTarget = reader.subscribe("feed.out");
            reader.flush(Duration.ofSeconds(5));
            Message ack = c.request("events.compliance_ingest", Events.event("s-1", "compliance_ingest"), Duration.ofSeconds(10));
            assertThat(new String(ack.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"accepted\":true,\"event_id\":\"s-1\",\"event_seq\":1}");
            assertThat(post(Events.json("s-2", "scanJobCreated")).body()).isEqualTo("{\"accepted\":true,\"event_id\":\"s-2\",\"event_seq\":2}");
            // a duplicate is acknowledged without a seq of its own
            assertThat(post(Events.json("s-2", "scanJobCreated")).body()).isEqualTo("{\"accepted\":true,\"event_id\":\"s-2\",\"duplicate\":true}");
            Message m = natsTarget.nextMessage(WAIT);
            assertThat(m.getHeaders().getFirst("X-Eventbus-Seq")).isEqualTo("1");
            assertThat(m.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("s-1");
            assertThat(m.getHeaders().get("X-Eventbus-Replay")).isNull();
        }
        await().atMost(WAIT).until(() -> !at("/event_feed", false).isEmpty());
        assertThat(at("/event_feed", false)).containsExactly(new Delivered("/event_feed", 2, false, "s-2"));
    }

    @Test
    void historyPagesOverHttpWithANextCursorAndFilters() throws Exception {
        for (int i = 1; i <= 25; i++) assertThat(publish("h-" + i, i % 5 == 0 ? "profileCreated" : "scanJobCreated")).isEqualTo(i);
        JsonNode p1 = JSON.readTree(get("/v1/events?limit=10").body());
        assertThat(p1.path("events")).hasSize(10);
        assertThat(p1.path("events").get(0).path("event_seq").asLong()).isEqualTo(1);
        assertThat(p1.path("events").get(0).path("event_id").asText()).isEqualTo("h-1");
        assertThat(p1.path("events").get(0).path("event").path("type").asText()).isEqualTo("scanJobCreated");
        assertThat(p1.path("complete").asBoolean()).isFalse();
        List<Long> all = new ArrayList<>();
        JsonNode page = p1;
        while (true) {
            page.path("events").forEach(e -> all.add(e.path("event_seq").asLong()));
            if (page.path("complete").asBoolean()) break;
            page = JSON.readTree(get("/v1/events?limit=10&from_seq=" + page.path("next_from_seq").asLong()).body());
        }
        assertThat(all).isEqualTo(range(1, 25));
        assertThat(page.path("next_from_seq").asLong()).isEqualTo(26);

        JsonNode typed = JSON.readTree(get("/v1/events?type=profileCreated&since=1h").body());
        List<String> ids = new ArrayList<>();
        typed.path("events").forEach(e -> ids.add(e.path("event_id").asText()));
        assertThat(ids).containsExactly("h-5", "h-10", "h-15", "h-20", "h-25");

        HttpResponse<String> bad = get("/v1/events?from_seq=abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("from_seq").contains("\"reason\":\"bad_request\"");
        assertThat(get("/v1/events?since=yesterday").body()).contains("since: \\\"yesterday\\\" is neither a time");
        assertThat(get("/v1/events?limit=0").statusCode()).isEqualTo(400);
    }

    /** One SSE connection: every event's id and data, parsed as they come. */
    private final class Sse implements AutoCloseable {
        final List<long[]> ids = new CopyOnWriteArrayList<>();
        final List<String> names = new CopyOnWriteArrayList<>();
        final HttpResponse<Stream<String>> response;
        final Thread reader;

        Sse(String query, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/events/stream" + query));
            if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
            response = HttpClient.newHttpClient().sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            reader = new Thread(() -> {
                String id = null;
                String name = "message";
                try {
                    Iterator<String> lines = response.body().iterator();
                    while (lines.hasNext()) {
                        String l = lines.next();
                        if (l.startsWith("id:")) id = l.substring(3).strip();
                        else if (l.startsWith("event:")) name = l.substring(6).strip();
                        else if (l.isEmpty()) {
                            names.add(name);
                            if (id != null) ids.add(new long[] {Long.parseLong(id)});
                            id = null;
                            name = "message";
                        }
                    }
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        List<Long> seqs() { return ids.stream().map(a -> a[0]).toList(); }

        @Override
        public void close() { response.body().close(); }
    }

    @Test
    void theEventStreamResumesFromLastEventIdWithNoGapAndNoDuplicate() throws Exception {
        publish("before", "scanJobCreated");                    // seq 1: before the listener, not for it
        List<Long> got = new ArrayList<>();
        try (Sse first = new Sse("", null)) {
            await().atMost(WAIT).until(() -> first.names.contains("ready"));
            for (int i = 0; i < 5; i++) publish("a-" + i, "scanJobCreated");
            await().atMost(WAIT).until(() -> first.seqs().size() >= 5);
            got.addAll(first.seqs());
        }
        assertThat(got).isEqualTo(range(2, 6));
        // events accepted while the listener is away
        for (int i = 0; i < 5; i++) publish("b-" + i, "profileCreated");
        try (Sse again = new Sse("", Long.toString(got.get(got.size() - 1)))) {
            await().atMost(WAIT).until(() -> again.seqs().size() >= 5);
            for (int i = 0; i < 3; i++) publish("c-" + i, "scanJobCreated");      // and live ones after them
            await().atMost(WAIT).until(() -> again.seqs().size() >= 8);
            got.addAll(again.seqs());
        }
        assertThat(got).as("history then live, one sequence: no gap, no duplicate").isEqualTo(range(2, 14));
        try (Sse typed = new Sse("?from_seq=1&type=profileCreated", null)) {
            await().atMost(WAIT).until(() -> typed.seqs().size() >= 5);
            assertThat(typed.seqs()).isEqualTo(range(7, 11));
        }
        assertThat(get("/v1/events/stream?from_seq=nope").statusCode()).isEqualTo(400);
    }

    @Test
    void historyOverNatsAnswersAllowedClientsOnly() throws Exception {
        for (int i = 1; i <= 12; i++) publish("n-" + i, i % 2 == 0 ? "profileCreated" : "scanJobCreated");
        try (Connection reader = client("reader", null)) {
            Message page = reader.request("$EVENTS.history", "{\"from_seq\":3,\"limit\":4}".getBytes(StandardCharsets.UTF_8), WAIT);
            JsonNode p = JSON.readTree(page.getData());
            List<Long> seqs = new ArrayList<>();
            p.path("events").forEach(e -> seqs.add(e.path("event_seq").asLong()));
            assertThat(seqs).containsExactly(3L, 4L, 5L, 6L);
            assertThat(p.path("next_from_seq").asLong()).isEqualTo(7);
            Message bad = reader.request("$EVENTS.history", "{\"since\":\"whenever\"}".getBytes(StandardCharsets.UTF_8), WAIT);
            assertThat(new String(bad.getData(), StandardCharsets.UTF_8)).contains("\"reason\":\"bad_request\"").contains("since");

            // a replay streams into the requester's inbox, then an end marker
            String inbox = reader.createInbox();
            Subscription sub = reader.subscribe(inbox);
            reader.publish("$EVENTS.replay", inbox, "{\"type\":\"profileCreated\"}".getBytes(StandardCharsets.UTF_8));
            List<String> replayed = new ArrayList<>();
            Message m;
            while ((m = sub.nextMessage(WAIT)) != null && m.getHeaders().get(HistoryBus.END_HEADER) == null) {
                assertThat(m.getHeaders().getFirst("X-Eventbus-Replay")).isEqualTo("true");
                replayed.add(m.getHeaders().getFirst("X-Eventbus-Seq") + " " + JSON.readTree(m.getData()).path("event_id").asText());
            }
            assertThat(replayed).containsExactly("2 n-2", "4 n-4", "6 n-6", "8 n-8", "10 n-10", "12 n-12");
            assertThat(m).isNotNull();
            assertThat(JSON.readTree(m.getData()).path("count").asInt()).isEqualTo(6);
            assertThat(JSON.readTree(m.getData()).path("complete").asBoolean()).isTrue();
        }
        // a client the configuration does not allow to ask gets a permissions violation, and no history
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection other = client("test-client", new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        })) {
            Message none = other.request("$EVENTS.history", "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
            assertThat(none).isNull();
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(e -> e.contains("Permissions Violation for Publish to \"$EVENTS.history\"")));
        }
    }

    private int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return ReplayMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void serviceReplayReDeliversInOrderMarkedWhileLiveDeliveryGoesOnInOrder() throws Exception {
        for (int i = 1; i <= 20; i++) publish("r-" + i, "scanJobCreated");
        await().atMost(WAIT).until(() -> at("/event_feed", false).size() == 20);
        Thread live = new Thread(() -> {
            try {
                for (int i = 21; i <= 40; i++) publish("r-" + i, "scanJobCreated");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        live.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(out, err, "replay", "--config", toml.toString(), "--handler", "event_feed", "--from", "1", "--until", "20", "--wait");
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("started: handler event_feed, seq 1..20").contains("done, handler event_feed")
                .contains("20 delivered, 0 skipped");
        live.join();
        await().atMost(WAIT).until(() -> at("/event_feed", false).size() == 40);
        assertThat(seqs(at("/event_feed", true))).as("the replay: every event of the range once, in order").isEqualTo(range(1, 20));
        assertThat(seqs(at("/event_feed", false))).as("live delivery: undisturbed, in order, once").isEqualTo(range(1, 40));
        assertThat(at("/cfgingest", true)).isEmpty();

        // by time and type; and the status
        out.reset();
        assertThat(cli(out, err, "replay", "--config", toml.toString(), "--handler", "event_feed", "--since", "1h", "--wait")).isZero();
        await().atMost(WAIT).until(() -> at("/event_feed", true).size() == 60);
        assertThat(seqs(at("/event_feed", true)).subList(20, 60)).isEqualTo(range(1, 40));
        out.reset();
        assertThat(cli(out, err, "replay", "--config", toml.toString(), "--status")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("replay-1: done").contains("replay-2: done");
    }

    @Test
    void serviceReplaySaysClearlyWhyItCannot() throws Exception {
        publish("x-1", "scanJobCreated");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(cli(out, err, "replay", "--config", toml.toString(), "--handler", "nope", "--from", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown handler 'nope': the configured handlers are [cfgingest, event_feed, feed]")
                .contains("(unknown_handler)");
        err.reset();
        assertThat(cli(out, err, "replay", "--config", toml.toString(), "--handler", "cfgingest", "--from", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no event routed to handler cfgingest in the range from seq 1")
                .contains("(nothing_in_range)");
        err.reset();
        assertThat(cli(out, err, "replay", "--config", toml.toString(), "--handler", "event_feed")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give --since TIME or --from SEQ");
        err.reset();
        assertThat(cli(out, err, "replay", "--config", toml.toString(), "--handler", "event_feed", "--since", "soon")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("since: \"soon\" is neither a time");
        app.close();
        app = null;
        err.reset();
        assertThat(cli(out, err, "replay", "--config", toml.toString(), "--handler", "event_feed", "--from", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach event-service at http://127.0.0.1:" + httpPort);
    }

    @Test
    void eventSeqsAreStableAcrossARestart() throws Exception {
        for (int i = 1; i <= 5; i++) publish("k-" + i, "scanJobCreated");
        await().atMost(WAIT).until(() -> at("/event_feed", false).size() == 5);
        app.close();
        app = EventServiceMain.start(ConfigLoader.forApp(App.EVENT_SERVICE).patch(toml).load());
        assertThat(publish("k-6", "scanJobCreated")).isEqualTo(6);
        JsonNode p = JSON.readTree(get("/v1/events").body());
        List<String> got = new ArrayList<>();
        p.path("events").forEach(e -> got.add(e.path("event_seq").asLong() + " " + e.path("event_id").asText()));
        assertThat(got).containsExactly("1 k-1", "2 k-2", "3 k-3", "4 k-4", "5 k-5", "6 k-6");
    }
}
