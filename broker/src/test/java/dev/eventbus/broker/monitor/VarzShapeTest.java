package dev.eventbus.broker.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.json.JsonReader;
import dev.eventbus.broker.testing.NatsServerProcess;
import dev.eventbus.broker.testing.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our monitoring JSON has the same keys, in the same order, as a real nats-server 2.9.10's. Differences we accept:
 * {@code system_account} (we have no {@code $SYS} account) and {@code git_commit} (absent from distribution builds
 * anyway). Skipped only when no nats-server binary is installed; CI installs one.
 */
class VarzShapeTest {
    /** Keys nats-server may write that we deliberately leave out. */
    static final Set<String> NOT_OURS = Set.of("system_account", "git_commit");

    static NatsServerProcess nats;
    static final HttpClient http = HttpClient.newHttpClient();

    final FakeMonitorSource source = new FakeMonitorSource(Instant.now().minusSeconds(1));
    final Monitor monitor = new Monitor(source);

    @BeforeAll
    static void startNatsServer() {
        Assumptions.assumeTrue(NatsServerProcess.isInstalled(), "nats-server is not installed");
        // our max_subscriptions default is bounded where nats-server's is unlimited (and then left out of /varz)
        nats = NatsServerProcess.start(ServerConfig.builder().monitoring(true)
                .maxSubscriptions(dev.eventbus.broker.BrokerOptions.DEFAULT_MAX_SUBSCRIPTIONS).build());
    }

    @AfterAll
    static void stopNatsServer() {
        if (nats != null) nats.close();
    }

    static String fetch(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nats.httpPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(pathAndQuery).isEqualTo(200);
        return r.body();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) { return (Map<String, Object>) JsonReader.parse(json); }

    static List<String> keys(Map<String, Object> m) {
        List<String> k = new ArrayList<>(m.keySet());
        k.removeAll(NOT_OURS);
        return k;
    }

    @Test
    void varzKeysMatchInOrder() throws Exception {
        Map<String, Object> theirs = parse(fetch("/varz"));
        monitor.countRequest("/varz");
        Map<String, Object> ours = parse(MonitorJson.varz(monitor.varz()));
        assertThat(keys(ours)).isEqualTo(keys(theirs));
        for (String nested : List.of("cluster", "gateway", "leaf", "mqtt", "websocket", "jetstream")) {
            assertThat(ours.get(nested)).as(nested).isEqualTo(theirs.get(nested)).isEqualTo(Map.of());
        }
        assertThat(ours.get("http_req_stats")).isEqualTo(Map.of("/varz", 1L));
        assertThat(((Map<?, ?>) theirs.get("http_req_stats")).containsKey("/varz")).isTrue();
    }

    @Test
    void varzValueTypesMatch() throws Exception {
        Map<String, Object> theirs = parse(fetch("/varz"));
        Map<String, Object> ours = parse(MonitorJson.varz(monitor.varz()));
        for (String k : keys(theirs)) {
            Object t = theirs.get(k);
            Object o = ours.get(k);
            if (t instanceof Number && o instanceof Number) continue; // 0 vs 0.3 for cpu is still a number
            assertThat(o == null ? null : o.getClass()).as(k).isEqualTo(t == null ? null : t.getClass());
        }
        // the values that come from defaults we share with nats-server
        for (String k : List.of("version", "proto", "max_connections", "max_subscriptions", "ping_interval", "ping_max", "http_base_path",
                "https_port", "auth_timeout", "max_control_line", "max_payload", "max_pending", "tls_timeout",
                "write_deadline", "routes", "remotes", "leafnodes")) {
            assertThat(ours.get(k)).as(k).isEqualTo(theirs.get(k));
        }
    }

    @Test
    void emptyConnzMatchesExceptIdsAndTime() throws Exception {
        String theirs = fetch("/connz?state=closed&cid=987654");
        String ours = MonitorJson.connz(monitor.connz(ConnzOptions.fromQuery(QueryParams.parse("state=closed&cid=987654"))));
        assertThat(normalize(ours)).isEqualTo(normalize(theirs));
    }

    @Test
    void connInfoKeysMatchForALiveClient() throws Exception {
        try (Socket s = new Socket("127.0.0.1", nats.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            readLine(in); // INFO
            out.write(("CONNECT {\"verbose\":false,\"name\":\"shape\",\"lang\":\"java\",\"version\":\"1.0\"}\r\n"
                    + "SUB foo 1\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readLine(in)).isEqualTo("PONG");

            Map<String, Object> connz = parse(fetch("/connz?subs=detail"));
            assertThat(keys(connz)).containsExactly("server_id", "now", "num_connections", "total", "offset", "limit",
                    "connections");
            @SuppressWarnings("unchecked")
            Map<String, Object> theirs = ((List<Map<String, Object>>) connz.get("connections")).get(0);

            source.open(Conns.open(1, Instant.now()).client("shape", "java", "1.0").rtt(Duration.ofNanos(250_000))
                    .subs(List.of(new SubDetail(null, "foo", null, "1", 0, 0, 1))).build());
            Map<String, Object> ourConnz = parse(MonitorJson.connz(
                    monitor.connz(ConnzOptions.fromQuery(QueryParams.parse("subs=detail")))));
            @SuppressWarnings("unchecked")
            Map<String, Object> ours = ((List<Map<String, Object>>) ourConnz.get("connections")).get(0);
            assertThat(keys(ours)).isEqualTo(keys(theirs));
            assertThat(keys(ourConnz)).isEqualTo(keys(connz));
            @SuppressWarnings("unchecked")
            Map<String, Object> theirSub = ((List<Map<String, Object>>) theirs.get("subscriptions_list_detail")).get(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> ourSub = ((List<Map<String, Object>>) ours.get("subscriptions_list_detail")).get(0);
            assertThat(ourSub).isEqualTo(Map.of("subject", "foo", "sid", "1", "msgs", 0L, "cid", 1L));
            assertThat(keys(ourSub)).isEqualTo(keys(theirSub));
        }
    }

    @Test
    void subszStatsKeysMatch() throws Exception {
        Map<String, Object> theirs = parse(fetch("/subsz"));
        Map<String, Object> ours = parse(MonitorJson.subsz(monitor.subsz(SubszOptions.DEFAULT)));
        assertThat(keys(ours)).isEqualTo(keys(theirs));

        source.subscribe(1, "foo", null, "1");
        Map<String, Object> theirList = parse(fetch("/subsz?subs=1"));
        Map<String, Object> ourList = parse(MonitorJson.subsz(monitor.subsz(SubszOptions.fromQuery(QueryParams.parse("subs=1")))));
        assertThat(keys(ourList)).isEqualTo(keys(theirList));
    }

    @Test
    void healthzIsIdentical() throws Exception {
        assertThat(MonitorJson.healthz(monitor.healthz())).isEqualTo(fetch("/healthz"));
    }

    /** Blanks the server id and the time, the only parts two servers cannot share. */
    static String normalize(String json) {
        return json.replaceAll("\"server_id\": \"[A-Z0-9]*\"", "\"server_id\": \"ID\"")
                .replaceAll("\"now\": \"[^\"]*\"", "\"now\": \"NOW\"");
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }
}
