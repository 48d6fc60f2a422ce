package dev.eventbus.gateway.demo;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The demo's handler targets: one HTTP server printing every event POSTed to /feed, /cfgingest or /event_feed. */
public final class SampleTarget {
    private SampleTarget() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 10190;
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        s.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String handler = ex.getRequestURI().getPath().substring(1);
            System.out.println("[target " + handler + "] " + (body.length() > 160 ? body.substring(0, 160) + "…" : body));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        s.start();
        System.out.println("[target] handler targets listening on http://127.0.0.1:" + port + "/{feed,cfgingest,event_feed}");
    }
}
