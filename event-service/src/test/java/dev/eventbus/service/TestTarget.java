package dev.eventbus.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP server on 127.0.0.1 standing in for a downstream service (event-feed, ingest...). Records every request
 * per path; {@link #respond} decides the status. {@link #stop()} closes the port (connection refused), {@link #start()}
 * opens it again on the same port.
 */
public final class TestTarget implements AutoCloseable {
    static {
        // the JDK server otherwise leaves Nagle on: every response then waits ~40 ms for the client's delayed ACK. It
        // reads the property once per JVM, when its first server starts, so this only helps when TestTarget's server is
        // the first one; the pom sets it for the whole test JVM (an app test's HttpServer may start first)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One request as received. */
    public record Received(String path, String eventId, String type, int attempt, String body, int status) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final SSLContext tls;
    private volatile Function<Received, Integer> respond = r -> 200;
    private volatile HttpServer server;
    private ExecutorService executor;
    private int port;

    private TestTarget(SSLContext tls) { this.tls = tls; }

    public static TestTarget create(SSLContext tls) throws IOException {
        TestTarget t = new TestTarget(tls);
        t.port = 0;
        t.start();
        return t;
    }

    public static TestTarget create() throws IOException { return create(null); }

    /** (Re)opens the port. */
    public synchronized void start() throws IOException {
        if (server != null) return;
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        HttpServer s;
        if (tls != null) {
            HttpsServer hs = HttpsServer.create(addr, 50);
            hs.setHttpsConfigurator(new HttpsConfigurator(tls));
            s = hs;
        } else {
            s = HttpServer.create(addr, 50);
        }
        s.createContext("/", this::handle);
        executor = Executors.newFixedThreadPool(4);
        s.setExecutor(executor);
        s.start();
        port = s.getAddress().getPort();
        server = s;
    }

    /** Closes the listening port: deliveries now fail with connection refused. */
    public synchronized void stop() {
        if (server == null) return;
        server.stop(0);
        executor.shutdownNow();
        server = null;
    }

    /** Decides the HTTP status per request (default 200). */
    public void respond(Function<Received, Integer> f) { this.respond = f; }

    public String url(String path) { return (tls != null ? "https" : "http") + "://127.0.0.1:" + port + path; }

    public int port() { return port; }

    /** Every request, including refused ones. */
    public List<Received> requests() { return new ArrayList<>(received); }

    /** Requests answered 2xx on this path, in arrival order. */
    public List<Received> delivered(String path) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) if (r.path.equals(path) && r.status / 100 == 2) out.add(r);
        return out;
    }

    /** Ids answered 2xx on this path, in arrival order (duplicates kept). */
    public List<String> deliveredIds(String path) {
        return delivered(path).stream().map(Received::eventId).toList();
    }

    /** Distinct ids answered 2xx on any path. */
    public Set<String> deliveredIdSet() {
        Set<String> out = new LinkedHashSet<>();
        for (Received r : received) if (r.status / 100 == 2) out.add(r.eventId);
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String id = ex.getRequestHeaders().getFirst("X-Eventbus-Event-Id");
            String type = ex.getRequestHeaders().getFirst("X-Eventbus-Event-Type");
            String attempt = ex.getRequestHeaders().getFirst("X-Eventbus-Attempt");
            Received r = new Received(ex.getRequestURI().getPath(), id, type,
                    attempt == null ? 0 : Integer.parseInt(attempt), new String(body, StandardCharsets.UTF_8), 0);
            int status = respond.apply(r);
            received.add(new Received(r.path, r.eventId, r.type, r.attempt, r.body, status));
            byte[] rsp = (status / 100 == 2 ? "{\"success\":true}" : "{\"error\":\"status " + status + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, rsp.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(rsp);
            }
        }
    }

    @Override
    public void close() { stop(); }
}
