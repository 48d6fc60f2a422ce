package dev.eventbus.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.config.App;
import dev.eventbus.config.AppConfig;
import dev.eventbus.config.ConfigError;
import dev.eventbus.config.ConfigException;
import dev.eventbus.config.EffectiveConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code service replay}: asks the running event-service to re-deliver history to one handler, through its HTTP API
 * ({@code POST /v1/replays}) with the API's own authentication (the bearer token of {@code service.api_token_file},
 * the [tls] client certificate with {@code service.api_mtls}), found in the same configuration file the service runs
 * with. The service checks the request and answers at once: unknown handler, nothing in the range, a range older than
 * the history kept, or the replay's id.
 *
 * <pre>
 * service replay --config F --handler H (--since TIME | --from SEQ) [--type T] [--until TIME|SEQ] [--wait]
 * service replay --config F --status [ID]
 * </pre>
 * TIME is 2026-12-02T15:04:05Z or an age (15m, 2h, 7d). Exit codes: 0 started (or done, with --wait), 1 refused or
 * failed, 2 usage error or bad configuration.
 */
public final class ReplayMain {
    static final String USAGE = """
            usage: service replay --config F --handler H (--since TIME | --from SEQ) [--type T] [--until TIME|SEQ] [--wait]
                   service replay --config F --status [ID]
              TIME: 2026-12-02T15:04:05Z, or an age such as 15m, 2h, 7d; SEQ: an event_seq
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayMain() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("replay")) rest.remove(0);
        if (rest.contains("-h") || rest.contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        List<String> configArgs = new ArrayList<>();
        ObjectNode request = JSON.createObjectNode();
        boolean wait = false;
        boolean status = false;
        String statusId = null;
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            switch (a) {
                case "--config", "-c", "--overrides", "--handler", "--since", "--from", "--type", "--until" -> {
                    if (i + 1 >= rest.size()) return usage(err, a + " needs a value");
                    String v = rest.get(++i);
                    switch (a) {
                        case "--config", "-c", "--overrides" -> configArgs.addAll(List.of(a, v));
                        case "--from" -> request.put("from_seq", v);
                        default -> request.put(a.substring(2), v);
                    }
                }
                case "--wait" -> wait = true;
                case "--status" -> {
                    status = true;
                    if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("-")) statusId = rest.get(++i);
                }
                default -> {
                    return usage(err, "unknown argument " + a);
                }
            }
        }
        if (configArgs.isEmpty()) return usage(err, "--config is required (the file event-service runs with)");
        if (!status) {
            if (!request.has("handler")) return usage(err, "--handler is required");
            if (request.has("since") == request.has("from_seq")) return usage(err, "give --since TIME or --from SEQ");
        }
        Api api;
        try {
            api = Api.from(AppConfig.load(App.EVENT_SERVICE, configArgs.toArray(new String[0])));
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (ConfigException e) {
            for (ConfigError ce : e.errors()) err.println("error: " + ce);
            return 2;
        }
        try {
            return status ? status(api, statusId, out, err) : start(api, request, wait, out, err);
        } catch (IOException e) {
            // refused, or reset by a service that is stopping: either way nobody there to do the replay
            err.println("error: cannot reach event-service at " + api.base + " (a replay is done by the running service;"
                    + " is it running with this configuration?): " + (e instanceof ConnectException ? "connection refused" : e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int start(Api api, ObjectNode request, boolean wait, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        HttpResponse<String> r = api.send(HttpRequest.newBuilder(api.uri("/v1/replays"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request.toString())));
        JsonNode body = parse(r.body());
        if (r.statusCode() != 202) return refused(r, body, err);
        out.println("replay " + body.path("id").asText() + " started: handler " + body.path("handler").asText() + ", seq "
                + body.path("from_seq").asLong() + ".." + body.path("until_seq").asLong()
                + (body.has("type") ? ", type " + body.path("type").asText() : ""));
        if (!wait) {
            out.println("follow it with: service replay --config F --status " + body.path("id").asText());
            return 0;
        }
        String id = body.path("id").asText();
        while (true) {
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            if (Thread.interrupted()) throw new InterruptedException();
            HttpResponse<String> s = api.send(HttpRequest.newBuilder(api.uri("/v1/replays/" + id)).GET());
            JsonNode st = parse(s.body());
            if (s.statusCode() != 200) return refused(s, st, err);
            if (!st.path("state").asText().equals("running")) {
                out.println(line(st));
                return st.path("state").asText().equals("done") ? 0 : 1;
            }
        }
    }

    private static int status(Api api, String id, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        HttpResponse<String> r = api.send(HttpRequest.newBuilder(api.uri(id == null ? "/v1/replays" : "/v1/replays/" + id)).GET());
        JsonNode body = parse(r.body());
        if (r.statusCode() != 200) return refused(r, body, err);
        if (id != null) {
            out.println(line(body));
            return 0;
        }
        if (body.path("replays").isEmpty()) out.println("no replays since event-service started");
        for (JsonNode s : body.path("replays")) out.println(line(s));
        return 0;
    }

    private static String line(JsonNode s) {
        return s.path("id").asText() + ": " + s.path("state").asText() + ", handler " + s.path("handler").asText()
                + ", seq " + s.path("from_seq").asLong() + ".." + s.path("until_seq").asLong() + ", "
                + s.path("delivered").asLong() + " delivered, " + s.path("skipped").asLong() + " skipped, next seq "
                + s.path("next_seq").asLong() + (s.has("last_error") ? ", last error: " + s.path("last_error").asText() : "");
    }

    private static int refused(HttpResponse<String> r, JsonNode body, PrintStream err) {
        String msg = body.has("error") ? body.path("error").asText() : r.body();
        err.println("error: " + msg + (body.has("reason") ? " (" + body.path("reason").asText() + ")" : " (HTTP " + r.statusCode() + ")"));
        return 1;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Where the service's HTTP API is and how to authenticate to it, from its own configuration. */
    private record Api(String base, HttpClient client, String token) {
        static Api from(EffectiveConfig cfg) {
            String host = cfg.getString("service.host");
            if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) host = "127.0.0.1";
            if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
            boolean mtls = cfg.getBoolean("service.api_mtls");
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (mtls) {
                b.sslContext(JdkSslContexts.client(cfg.findPath("tls.root_ca_path").orElseThrow(),
                        cfg.findPath("tls.cert_path").orElseThrow(), cfg.findPath("tls.key_path").orElseThrow()));
            }
            Optional<Path> tokenFile = cfg.findPath("service.api_token_file");
            String token = null;
            if (tokenFile.isPresent()) {
                try {
                    token = Files.readString(tokenFile.get()).strip();
                } catch (IOException e) {
                    throw new IllegalArgumentException("service.api_token_file: cannot read " + tokenFile.get() + ": " + e.getMessage());
                }
            }
            return new Api((mtls ? "https://" : "http://") + host + ":" + cfg.getInt("service.port"), b.build(), token);
        }

        URI uri(String path) { return URI.create(base + path); }

        HttpResponse<String> send(HttpRequest.Builder r) throws IOException, InterruptedException {
            if (token != null) r.header("Authorization", "Bearer " + token);
            return client.send(r.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.print(USAGE);
        return 2;
    }
}
