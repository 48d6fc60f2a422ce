package dev.eventbus.audit.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.eventbus.audit.archive.ArchiveException;
import dev.eventbus.audit.archive.ArchiveWriter;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.AuditMetadata;
import dev.eventbus.audit.archive.GoJson;
import dev.eventbus.audit.archive.GoTime;
import dev.eventbus.audit.archive.Tag;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Crawls the HTTP monitoring endpoints of the given servers, and of the peers their /routez and /gatewayz name, into an
 * audit archive laid out as Go's gather lays it out (spec §3), each response wrapped in the {@code {server, data}}
 * envelope a {@code $SYS} reply would carry.
 *
 * <p>Nothing short of an unwritable archive stops a capture: a server that does not answer, answers too slowly or
 * answers with an error is recorded in the capture log and the next one is asked. An endpoint a server does not
 * offer (404, e.g. /routez on eventbus) is logged as such and is not a problem.
 */
public final class Capture {
    private record Candidate(MonitorUrl url, String via, String expectedId) {}

    private enum Fetch { STORED, NOT_OFFERED, FAILED, TIMED_OUT }

    /** The outcome of one endpoint: how it went, and the first page's {@code data} when stored. */
    private record Answer(Fetch fetch, JsonNode data) {}

    /** Thrown inside a server's capture when it stopped answering in time. */
    private static final class SlowServer extends Exception {
        SlowServer(String message) { super(message, null, false, false); }
    }

    private final CaptureOptions options;
    private final CaptureLog log;
    private final Progress progress;
    private final Clock clock;
    private final MonitorClient client;
    private final Deque<Candidate> queue = new ArrayDeque<>();
    private final Set<String> seenUrls = new HashSet<>();
    private final Set<String> knownIds = new HashSet<>();
    private final List<CapturedServer> servers = new ArrayList<>();
    private ArchiveWriter writer;
    private long seq;
    private int responses;

    private Capture(CaptureOptions options, CaptureLog log, Progress progress, Clock clock) {
        this.options = options;
        this.log = log;
        this.progress = progress;
        this.clock = clock;
        this.client = new MonitorClient(options.timeout());
    }

    /**
     * Captures and writes the archive.
     *
     * @throws IllegalArgumentException for an invalid server URL (before anything is written)
     * @throws IOException              when the archive cannot be written
     */
    public static CaptureResult run(CaptureOptions options, CaptureLog log, Progress progress) throws IOException {
        return new Capture(options, log, progress, Clock.systemUTC()).run();
    }

    private CaptureResult run() throws IOException {
        List<MonitorUrl> seeds = new ArrayList<>();
        for (String s : options.servers()) seeds.add(MonitorUrl.parse(s));
        Instant start = clock.instant();
        writer = ArchiveWriter.create(options.output());
        writer.setTime(start);
        try {
            for (MonitorUrl u : seeds) enqueue(new Candidate(u, "argument", null));
            log.info("Capturing the monitoring endpoints of %d server%s%s...", seeds.size(), seeds.size() == 1 ? "" : "s",
                    options.discoverPeers() ? " and of the peers they name" : "");
            while (!queue.isEmpty()) captureServer(queue.poll());
            long ok = servers.stream().filter(CapturedServer::ok).count();
            log.info("Captured %d endpoint responses from %d server%s", responses, ok, ok == 1 ? "" : "s");
            if (log.problems() > 0) log.info("%d problem%s during the capture", log.problems(), log.problems() == 1 ? "" : "s");
            writer.add(metadata(start), Tag.special(ArtifactType.SPECIAL_METADATA));
        } finally {
            try {
                writer.addRaw(log.text().getBytes(StandardCharsets.UTF_8), "log", Tag.special(ArtifactType.SPECIAL_LOG));
            } finally {
                writer.close();
            }
        }
        return new CaptureResult(options.output(), List.copyOf(servers), responses, log.problems());
    }

    private void enqueue(Candidate c) {
        if (!seenUrls.add(c.url().key())) return;
        if (c.expectedId() != null) knownIds.add(c.expectedId());
        queue.add(c);
        progress.expect(ServerEndpoint.values().length);
    }

    // ---- one server -----------------------------------------------------------------------------------------

    private void captureServer(Candidate c) {
        String where = c.url().redacted();
        progress.step(where + " /varz");
        MonitorClient.Response varzResponse;
        try {
            varzResponse = client.get(c.url(), ServerEndpoint.VARZ.path(), "");
        } catch (MonitorClient.FetchException e) {
            String status = e.isTimeout() ? "timed out" : "unreachable";
            log.problem("Server at %s is %s (%s) - skipping it", where, e.isTimeout() ? "too slow" : "unreachable", e.getMessage());
            servers.add(new CapturedServer(where, c.via(), status, null, e.getMessage(), 0));
            return;
        }
        if (varzResponse.status() != 200) {
            String why = "/varz answered HTTP " + varzResponse.status();
            log.problem("Server at %s: %s, is this a NATS monitoring port? - skipping it", where, why);
            servers.add(new CapturedServer(where, c.via(), "unreachable", null, why, 0));
            return;
        }
        JsonNode varz;
        try {
            varz = GoJson.parse(varzResponse.body());
        } catch (ArchiveException e) {
            log.problem("Server at %s: /varz is not JSON (%s) - skipping it", where, e.getMessage());
            servers.add(new CapturedServer(where, c.via(), "unreachable", null, "/varz is not JSON", 0));
            return;
        }
        ServerInfo info = ServerInfo.fromVarz(varz);
        if (c.expectedId() != null && !c.expectedId().equals(info.id())) {
            String why = "expected server " + c.expectedId() + " but found " + info.id();
            log.problem("Peer %s named by %s is not at %s (found %s there) - skipping it; use --peer-monitor-port if peers"
                    + " use another monitoring port", c.expectedId(), c.via(), where, info.name());
            servers.add(new CapturedServer(where, c.via(), "mismatch", info, why, 0));
            return;
        }
        if (info.id().isEmpty() || (c.expectedId() == null && knownIds.contains(info.id()))) {
            log.info("Server at %s is server '%s' again - skipping it", where, info.name());
            servers.add(new CapturedServer(where, c.via(), "duplicate", info, null, 0));
            return;
        }
        knownIds.add(info.id());
        log.info("Discovered server '%s' (%s) at %s, %s %s%s", info.name(), info.id(), where, info.kind(), info.version(),
                info.cluster().isEmpty() ? "" : ", cluster " + info.cluster());

        int before = responses;
        List<Tag> varzTags = serverTags(info, ArtifactType.VARIABLES);
        store(info, varzResponse.body(), varzTags);
        Map<ServerEndpoint, JsonNode> answers = new EnumMap<>(ServerEndpoint.class);
        String status = "captured";
        String error = null;
        try {
            for (ServerEndpoint ep : ServerEndpoint.values()) {
                if (ep == ServerEndpoint.VARZ) continue;
                if (ep == ServerEndpoint.JSZ && !info.jetstream()) {
                    log.info("Server %s does not have jetstream enabled - skipping JSZ endpoint", info.name());
                    progress.step(info.name() + " " + ep.label());
                    continue;
                }
                if ((ep == ServerEndpoint.HANDLERZ || ep == ServerEndpoint.AUTHZ) && !info.eventbus()) {
                    progress.step(info.name() + " " + ep.label());
                    continue;
                }
                Answer a = fetch(c.url(), info, ep.path(), ep.query(0, options.pageSize()), ep.label(),
                        serverTags(info, ep.artifactType()), ep, null);
                if (a.fetch() == Fetch.STORED) answers.put(ep, a.data());
            }
            if (options.accountEndpoints() && answers.containsKey(ServerEndpoint.ACCOUNTZ)) {
                captureAccounts(c.url(), info, answers.get(ServerEndpoint.ACCOUNTZ));
            }
        } catch (SlowServer e) {
            log.problem("Server %s %s - skipping its remaining endpoints", info.name(), e.getMessage());
            status = "timed out";
            error = e.getMessage();
        }
        servers.add(new CapturedServer(where, c.via(), status, info, error, responses - before));
        if (options.discoverPeers()) discoverPeers(c.url(), info, answers);
    }

    private static List<Tag> serverTags(ServerInfo info, String type) {
        return List.of(Tag.server(info.name()), Tag.artifactType(type), Tag.clusterOrNone(info.cluster()));
    }

    /**
     * Asks one endpoint (all its pages when {@code paged} is a paged endpoint) and stores each answer.
     *
     * @param extract null to store the body as is; else turns the answer's JSON into the {@code data} to store
     */
    private Answer fetch(MonitorUrl url, ServerInfo info, String path, String query, String label, List<Tag> tags,
                         ServerEndpoint paged, UnaryOperator<JsonNode> extract) throws SlowServer {
        JsonNode first = null;
        int offset = 0;
        for (int page = 1; ; page++) {
            progress.step(info.name() + " " + label);
            String q = paged != null && paged.paged() ? paged.query(offset, options.pageSize()) : query;
            MonitorClient.Response r;
            try {
                r = client.get(url, path, q);
            } catch (MonitorClient.FetchException e) {
                if (e.isTimeout()) throw new SlowServer("did not answer " + label + " (" + e.getMessage() + ")");
                log.problem("Server %s: %s failed: %s", info.name(), label, e.getMessage());
                return new Answer(Fetch.FAILED, null);
            }
            if (r.status() == 404) {
                log.info("Server %s does not offer %s - skipping it", info.name(), label);
                return new Answer(Fetch.NOT_OFFERED, null);
            }
            boolean unhealthy = r.status() == 503 && path.equals(ServerEndpoint.HEALTHZ.path());
            if (r.status() != 200 && !unhealthy) {
                log.problem("Server %s: %s answered HTTP %d: %s", info.name(), label, r.status(), oneLine(r.body()));
                return new Answer(Fetch.FAILED, null);
            }
            JsonNode data;
            byte[] body = r.body();
            try {
                data = GoJson.parse(body);
                if (extract != null) {
                    data = extract.apply(data);
                    if (data == null || data.isMissingNode() || data.isNull()) {
                        log.problem("Server %s: %s has no data", info.name(), label);
                        return new Answer(Fetch.FAILED, null);
                    }
                    body = GoJson.compact(data);
                }
            } catch (ArchiveException e) {
                log.problem("Server %s: %s is not JSON (%s)", info.name(), label, e.getMessage());
                return new Answer(Fetch.FAILED, null);
            }
            JsonNode err = data.get("error");
            if (err != null && !err.isNull() && !unhealthy) {
                log.problem("Server %s: %s answered with an error: %s", info.name(), label, err.isTextual() ? err.asText() : err);
                return new Answer(Fetch.FAILED, null);
            }
            store(info, body, tags);
            if (first == null) first = data;
            if (paged == null || !paged.paged()) break;
            JsonNode list = data.path(paged.pagedArray());
            if (!list.isArray() || list.size() < options.pageSize()) break;
            if (page >= ArchiveWriter.MAX_PAGES) {
                log.problem("Server %s: %s has more than %d pages - stopping there", info.name(), label, ArchiveWriter.MAX_PAGES);
                break;
            }
            offset += options.pageSize();
            progress.expect(1);
        }
        return new Answer(Fetch.STORED, first);
    }

    private void store(ServerInfo info, byte[] body, List<Tag> tags) {
        byte[] server = GoJson.compact(info.toJson(++seq, clock.instant()));
        writer.addIndentedJson(Envelope.wrap(server, body), tags);
        responses++;
    }

    // ---- accounts and streams -------------------------------------------------------------------------------

    private void captureAccounts(MonitorUrl url, ServerInfo info, JsonNode accountz) throws SlowServer {
        JsonNode accounts = accountz.path("accounts");
        if (!accounts.isArray() || accounts.isEmpty()) return;
        String system = accountz.path("system_account").asText("");
        log.info("Discovered %d accounts on server %s", accounts.size(), info.name());
        progress.expect(accounts.size() * 5L);
        int limit = options.pageSize();
        for (JsonNode a : accounts) {
            String acc = a.asText();
            String q = "acc=" + URLEncoder.encode(acc, StandardCharsets.UTF_8);
            String label = "acc=" + acc;
            fetch(url, info, "/connz", q + "&subs=detail&limit=" + limit, "/connz?" + label, accountTags(acc, info, ArtifactType.ACCOUNT_CONNECTIONS), null, null);
            fetch(url, info, "/leafz", q + "&subs=1", "/leafz?" + label, accountTags(acc, info, ArtifactType.ACCOUNT_LEAFS), null, null);
            fetch(url, info, "/subsz", q + "&subs=1&limit=" + limit, "/subsz?" + label, accountTags(acc, info, ArtifactType.ACCOUNT_SUBS), null, null);
            fetch(url, info, "/accountz", q, "/accountz?" + label, accountTags(acc, info, ArtifactType.ACCOUNT_INFO), null,
                    n -> n.path("account_detail"));
            if (info.jetstream()) {
                Answer js = fetch(url, info, "/jsz", q + "&streams=true&consumers=true&config=true&raft=true", "/jsz?" + label,
                        accountTags(acc, info, ArtifactType.ACCOUNT_JETSTREAM_INFO), null, null);
                if (js.fetch() == Fetch.STORED && !acc.equals(system)) captureStreams(info, acc, js.data());
            }
        }
    }

    private static List<Tag> accountTags(String account, ServerInfo info, String type) {
        return List.of(Tag.account(account), Tag.server(info.name()), Tag.clusterOrNone(info.cluster()), Tag.artifactType(type));
    }

    /** One stream_info artifact (a bare StreamDetail, as gather stores it) per stream of the account on this server. */
    private void captureStreams(ServerInfo info, String account, JsonNode jsz) {
        JsonNode details = jsz.path("account_details");
        if (!details.isArray() || details.size() != 1) return; // several: the server ignored the filter
        JsonNode streams = details.get(0).path("stream_detail");
        if (!streams.isArray()) return;
        for (JsonNode s : streams) {
            String name = s.path("name").asText("");
            if (name.isEmpty()) continue;
            String cluster = s.path("cluster").path("name").asText("");
            try {
                writer.add(s, List.of(Tag.account(account), Tag.server(info.name()), Tag.clusterOrNone(cluster),
                        Tag.stream(name), Tag.artifactType(ArtifactType.STREAM_INFO)));
                responses++;
                log.info("Discovered stream %s in account %s", name, account);
            } catch (ArchiveException e) {
                log.problem("Server %s: stream %s in account %s not stored: %s", info.name(), name, account, e.getMessage());
            }
        }
    }

    // ---- peers ----------------------------------------------------------------------------------------------

    private void discoverPeers(MonitorUrl url, ServerInfo info, Map<ServerEndpoint, JsonNode> answers) {
        int port = options.peerMonitorPort() > 0 ? options.peerMonitorPort() : url.port();
        JsonNode routes = answers.containsKey(ServerEndpoint.ROUTEZ) ? answers.get(ServerEndpoint.ROUTEZ).path("routes") : null;
        if (routes != null && routes.isArray()) {
            for (JsonNode r : routes) {
                peer(url, info, "routez", r.path("ip").asText(""), port, r.path("remote_id").asText(""));
            }
        }
        JsonNode gateways = answers.containsKey(ServerEndpoint.GATEWAYZ)
                ? answers.get(ServerEndpoint.GATEWAYZ).path("outbound_gateways") : null;
        if (gateways != null && gateways.isObject()) {
            for (Map.Entry<String, JsonNode> g : gateways.properties()) {
                peer(url, info, "gatewayz", g.getValue().path("connection").path("ip").asText(""), port, "");
            }
        }
    }

    private void peer(MonitorUrl url, ServerInfo info, String endpoint, String ip, int port, String remoteId) {
        if (ip.isEmpty() || (!remoteId.isEmpty() && knownIds.contains(remoteId))) return;
        MonitorUrl peer = url.withHostPort(ip, port);
        if (seenUrls.contains(peer.key())) return;
        String via = endpoint + " of " + info.name();
        log.info("Discovered peer %s at %s through %s", remoteId.isEmpty() ? ip : remoteId, peer.redacted(), via);
        enqueue(new Candidate(peer, via, remoteId.isEmpty() ? null : remoteId));
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    private AuditMetadata metadata(Instant start) {
        CapturedServer first = servers.stream().filter(CapturedServer::ok).findFirst().orElse(null);
        ArrayNode list = GoJson.MAPPER.createArrayNode();
        for (CapturedServer s : servers) list.add(s.toJson());
        return new AuditMetadata(GoTime.format(clock.instant()),
                first == null ? "" : first.info().name(),
                first == null ? "" : first.info().version(),
                first == null ? (servers.isEmpty() ? "" : servers.get(0).url()) : first.url(),
                options.userName(), options.toolVersion(), null, GoTime.format(start), list);
    }

    private static String oneLine(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
