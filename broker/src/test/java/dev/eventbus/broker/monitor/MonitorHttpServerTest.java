package dev.eventbus.broker.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.broker.json.JsonReader;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP requests against the server on a random loopback port. */
class MonitorHttpServerTest {
    static EventLoopGroup group;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final FakeMonitorSource source = new FakeMonitorSource(Instant.now().minusSeconds(5));
    final Monitor monitor = new Monitor(source);
    MonitorHttpServer server;
    int port;

    @BeforeAll
    static void startGroup() { group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()); }

    @AfterAll
    static void stopGroup() { group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly(); }

    @BeforeEach
    void start() {
        server = new MonitorHttpServer(monitor, "127.0.0.1", 0, group, NioServerSocketChannel.class);
        port = server.start();
    }

    @AfterEach
    void stop() { server.stop(); }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static String contentType(HttpResponse<?> r) { return r.headers().firstValue("content-type").orElse(""); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) { return (Map<String, Object>) JsonReader.parse(r.body()); }

    @Test
    void bindsAnEphemeralPort() {
        assertThat(port).isPositive();
        assertThat(server.boundPort()).isEqualTo(port);
    }

    @Test
    void varzIsIndentedJson() throws Exception {
        HttpResponse<String> r = get("/varz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(contentType(r)).isEqualTo("application/json");
        assertThat(r.body()).startsWith("{\n  \"server_id\": \"" + FakeMonitorSource.SERVER_ID + "\",\n");
        assertThat(json(r).get("http_req_stats")).isEqualTo(Map.of("/varz", 1L));
    }

    @Test
    void connzAndSubszAnswer() throws Exception {
        source.open(Conns.open(1, Instant.now()).build());
        source.subscribe(1, "foo", null, "1");
        HttpResponse<String> connz = get("/connz?subs=1");
        assertThat(connz.statusCode()).isEqualTo(200);
        assertThat(json(connz).get("num_connections")).isEqualTo(1L);

        HttpResponse<String> subsz = get("/subsz");
        assertThat(subsz.statusCode()).isEqualTo(200);
        assertThat(json(subsz)).containsEntry("num_subscriptions", 1L).doesNotContainKey("server_id");

        HttpResponse<String> alias = get("/subscriptionsz?subs=1");
        assertThat(json(alias)).containsKey("subscriptions_list");
    }

    @Test
    void countsRequestsPerEndpointIncludingTheCurrentVarz() throws Exception {
        get("/connz");
        get("/connz");
        get("/subsz");
        get("/subscriptionsz");
        get("/healthz");
        get("/");
        get("/nope");
        get("/connz?auth=bad");
        get("/subsz?subs=bad");
        Map<String, Object> varz = json(get("/varz"));
        // a /connz with bad parameters is not counted, a /subsz is (nats-server counts it before decoding)
        assertThat(varz.get("http_req_stats")).isEqualTo(
                Map.of("/", 1L, "/connz", 2L, "/healthz", 1L, "/subsz", 3L, "/varz", 1L));
    }

    @Test
    void healthzIsCompact() throws Exception {
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(contentType(r)).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void healthzIs503WhenNotReady() throws Exception {
        source.ready(false);
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo(
                "{\"status\":\"error\",\"error\":\"failed to be ready for connections after 1ms: server\"}");
    }

    @Test
    void badParametersAre400PlainText() throws Exception {
        HttpResponse<String> r = get("/connz?limit=x");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(contentType(r)).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo("Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax");

        assertThat(get("/connz?sort=stop").body()).isEqualTo("sort by stop only valid on closed connections");
        assertThat(get("/subsz?test=foo.*").body())
                .isEqualTo("invalid test subject, must be valid publish subject: foo.*");
        assertThat(get("/healthz?js-enabled-only=maybe").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathsAreGos404() throws Exception {
        for (String path : new String[] {"/nope", "/varz/", "/VARZ", "/routez/x"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).isEqualTo("404 page not found\n");
            assertThat(contentType(r)).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        }
    }

    @Test
    void rootIsAnHtmlIndex() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(contentType(r)).isEqualTo("text/html; charset=utf-8");
        assertThat(r.body()).contains("./varz", "./connz", "./subsz", "./healthz");
    }

    @Test
    void jsonpWrapsTheBody() throws Exception {
        HttpResponse<String> r = get("/healthz?callback=cb");
        assertThat(contentType(r)).isEqualTo("application/javascript");
        assertThat(r.body()).isEqualTo("cb({\"status\":\"ok\"})");

        HttpResponse<String> varz = get("/varz?callback=fn");
        assertThat(varz.body()).startsWith("fn({\n  \"server_id\"").endsWith("\n})");

        assertThat(contentType(get("/varz?callback="))).isEqualTo("application/json");
    }

    @Test
    void anyMethodIsServed() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                .POST(HttpRequest.BodyPublishers.ofString("x=1")).build();
        HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        for (int i = 0; i < 5; i++) assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(json(get("/varz")).get("http_req_stats")).isEqualTo(Map.of("/healthz", 5L, "/varz", 1L));
    }

    @Test
    void portInUseIsAClearError() {
        MonitorHttpServer second = new MonitorHttpServer(monitor, "127.0.0.1", port, group, NioServerSocketChannel.class);
        assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("in use");
    }

    @Test
    void startTwiceIsRejected() {
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopClosesTheListener() {
        server.stop();
        assertThatThrownBy(() -> get("/healthz")).isInstanceOf(ConnectException.class);
        server.stop(); // idempotent
    }
}
