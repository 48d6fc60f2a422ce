package dev.eventbus.broker.monitor;

import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.subject.Subjects;
import dev.eventbus.broker.subject.Sublist;
import dev.eventbus.broker.subject.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Computes nats-server's monitoring answers ({@code /varz}, {@code /connz}, {@code /subsz}, {@code /healthz}) from a
 * {@link MonitorSource}. Results are plain records; {@link MonitorJson} turns them into nats-server's JSON and
 * {@link MonitorHttpServer} serves them. The same methods can later answer {@code $SYS} requests.
 *
 * <p>Thread-safe: every call takes a fresh snapshot from the source.
 */
public final class Monitor {
    /** nats-server's {@code DefaultConnListSize} and {@code DefaultSubListSize}. */
    public static final int DEFAULT_LIST_SIZE = 1024;
    /** The account every connection belongs to until accounts exist. */
    public static final String GLOBAL_ACCOUNT = "$G";
    /** nats-server's {@code PROTO} in INFO. */
    static final int PROTO = 1;
    /** nats-server's default {@code tls_timeout}; reported even without TLS, as nats-server does. */
    static final Duration DEFAULT_TLS_TIMEOUT = Duration.ofSeconds(2);
    /** The text nats-server's {@code readyForConnections(time.Millisecond)} fails with when the listener is not up. */
    static final String NOT_READY = "failed to be ready for connections after 1ms: server";

    private final MonitorSource source;
    private final Clock clock;
    private final ProcessUsage usage = new ProcessUsage();
    private final ConcurrentHashMap<String, LongAdder> httpReqStats = new ConcurrentHashMap<>();

    public Monitor(MonitorSource source) { this(source, Clock.systemUTC()); }

    /** @param clock supplies {@code now}; tests pass a fixed one */
    public Monitor(MonitorSource source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts one request for {@code http_req_stats}; {@code path} is the endpoint's canonical path, e.g. "/subsz". */
    public void countRequest(String path) {
        httpReqStats.computeIfAbsent(path, p -> new LongAdder()).increment();
    }

    /** A copy of the request counters, sorted by path. */
    public SortedMap<String, Long> httpReqStats() {
        SortedMap<String, Long> m = new TreeMap<>();
        for (Map.Entry<String, LongAdder> e : httpReqStats.entrySet()) m.put(e.getKey(), e.getValue().sum());
        return m;
    }

    public Varz varz() {
        BrokerOptions o = source.options();
        ServerStats s = source.stats();
        Instant now = clock.instant();
        Instant start = source.startTime();
        int cores = Runtime.getRuntime().availableProcessors();
        return new Varz(
                source.serverId(), source.serverName(), BrokerOptions.NATS_VERSION, PROTO, runtimeVersion(),
                o.host(), source.port(), o.authRequired(), o.maxConnections(), o.maxSubscriptions(), o.pingInterval(),
                o.pingMax(), o.httpHost(), source.httpPort(), "", 0, o.authTimeout(), o.maxControlLine(),
                o.maxPayload(), o.maxPending(), DEFAULT_TLS_TIMEOUT, o.writeDeadline(), start, now,
                GoFormat.uptime(Duration.between(start, now)), ProcessUsage.rssBytes(), cores, cores,
                usage.cpuPercent(), s.connections(), s.totalConnections(), 0, 0, 0, s.inMsgs(), s.outMsgs(),
                s.inBytes(), s.outBytes(), s.slowConsumers(), s.subscriptions(), httpReqStats(), start,
                source.gatewayInfo());
    }

    /**
     * One page of connections, following nats-server's {@code Server.Connz} including its quirks: {@code total} is
     * counted before the cid/user filters, a cid with {@code state=all} only looks at closed connections, an unknown
     * account gives an empty server id and {@code connections: null}, and the account filter never matches closed
     * connections of the global account (nats-server records no account name for them).
     *
     * @throws MonitorException for sort orders that need {@code state=closed}
     */
    public Connz connz(ConnzOptions opts) {
        ConnSort sort = opts.sort();
        ConnState state = opts.state();
        if (sort == ConnSort.STOP && state != ConnState.CLOSED) {
            throw new MonitorException("sort by stop only valid on closed connections");
        }
        if (sort == ConnSort.REASON && state != ConnState.CLOSED) {
            throw new MonitorException("sort by reason only valid on closed connections");
        }
        long offset = Math.max(0, opts.offset());
        long limit = opts.limit() <= 0 ? DEFAULT_LIST_SIZE : opts.limit();
        long cid = opts.cid();
        if (cid != 0) limit = 1;
        String acc = opts.account();
        String user = opts.user();
        String mqtt = opts.mqttClient();
        boolean withSubs = opts.subs() || opts.subsDetail();
        Instant now = clock.instant();

        List<ConnInfo> allOpen = state != ConnState.CLOSED || !acc.isEmpty()
                ? source.openConnections(withSubs) : List.of();
        List<ConnInfo> closed = state != ConnState.OPEN ? source.closedConnections() : List.of();
        if (!acc.isEmpty() && !accountExists(acc, allOpen, closed)) {
            return new Connz("", now, 0, 0, offset, limit, null, opts.subsDetail());
        }
        List<ConnInfo> scopeOpen = new ArrayList<>();
        if (state != ConnState.CLOSED) {
            for (ConnInfo c : allOpen) {
                if (acc.isEmpty() || acc.equals(accountOf(c))) scopeOpen.add(c);
            }
        }
        if (!acc.isEmpty()) {
            List<ConnInfo> inAccount = new ArrayList<>();
            for (ConnInfo c : closed) {
                if (acc.equals(c.account())) inAccount.add(c);
            }
            closed = inAccount;
        }
        long total = scopeOpen.size() + closed.size();

        List<ConnInfo> open;
        if (cid != 0) {
            open = new ArrayList<>();
            if (state != ConnState.OPEN) {
                closed = closed.stream().filter(c -> c.cid() == cid).limit(1).toList();
            } else {
                // nats-server looks the cid up among all clients here, ignoring the account filter
                allOpen.stream().filter(c -> c.cid() == cid).findFirst().ifPresent(open::add);
            }
        } else {
            open = new ArrayList<>();
            for (ConnInfo c : scopeOpen) {
                if (!user.isEmpty() && !user.equals(c.authorizedUser())) continue;
                if (!mqtt.isEmpty()) continue;
                open.add(c);
            }
        }

        List<ConnInfo> list = new ArrayList<>(open.size() + closed.size());
        for (ConnInfo c : open) list.add(view(c, opts));
        for (ConnInfo c : closed) {
            if (!user.isEmpty() && !user.equals(c.authorizedUser())) continue;
            if (!mqtt.isEmpty()) continue;
            list.add(view(c, opts));
        }
        // stable sorts: cid order first so that ties come out in cid order
        list.sort(Comparator.comparingLong(ConnInfo::cid));
        if (sort != ConnSort.CID && sort != ConnSort.START) list.sort(sort.comparator(now));

        int from = (int) Math.min(offset, list.size());
        int to = (int) Math.min(saturatedAdd(offset, limit), list.size());
        List<ConnInfo> page = list.subList(from, to);
        return new Connz(source.serverId(), now, page.size(), total, offset, limit, page, opts.subsDetail());
    }

    /**
     * Sublist statistics and, when asked for, one page of subscriptions (nats-server's {@code Server.Subsz}).
     *
     * @throws MonitorException when {@code test} is not a valid publish subject
     */
    public Subsz subsz(SubszOptions opts) {
        long offset = Math.max(0, opts.offset());
        long limit = opts.limit() <= 0 ? DEFAULT_LIST_SIZE : opts.limit();
        String test = opts.test();
        if (!test.isEmpty() && !Subjects.isValidLiteralSubject(test)) {
            throw new MonitorException("invalid test subject, must be valid publish subject: " + test);
        }
        Instant now = clock.instant();
        String acc = opts.account();
        boolean ourAccount = acc.isEmpty() || acc.equals(GLOBAL_ACCOUNT);
        Sublist sublist = source.sublist();
        Sublist.Stats stats = ourAccount ? sublist.stats() : new Sublist.Stats(0, 0, 0, 0, 0, 0, 0, 0);
        if (!opts.subs()) return new Subsz(source.serverId(), now, stats, 0, offset, limit, null);

        List<SubDetail> details = new ArrayList<>();
        if (ourAccount) {
            for (Subscription sub : sublist.all()) {
                if (sub.owner() == null) continue;
                // the subscription's subject may hold wildcards; the test subject is the literal a publisher would use
                if (!test.isEmpty() && !Subjects.matches(sub.subject(), test)) continue;
                details.add(new SubDetail(GLOBAL_ACCOUNT, sub.subject(), sub.queue(), sub.sid(), sub.delivered(),
                        sub.max(), sub.owner().cid()));
            }
        }
        details.sort(Comparator.comparingLong(SubDetail::cid));
        int from = (int) Math.min(offset, details.size());
        int to = (int) Math.min(saturatedAdd(offset, limit), details.size());
        List<SubDetail> page = details.subList(from, to);
        return new Subsz(source.serverId(), now, stats, page.size(), offset, limit, page);
    }

    /** Healthy once the client listener accepts connections; we have no JetStream to check beyond that. */
    /** /gatewayz: {@code accs} adds per-account interest, {@code gw_name} keeps one gateway, {@code acc_name} implies accs. */
    public String gatewayzJson(QueryParams params) {
        boolean accs = params.bool("accs") || !params.get("acc_name").isEmpty();
        return MonitorJson.gatewayz(source.serverId(), clock.instant(), source.gatewayInfo(), accs, params.get("gw_name"));
    }

    public Healthz healthz() {
        return source.readyForConnections() ? Healthz.OK : new Healthz("error", NOT_READY);
    }

    /** What we put in {@code go}: the Java runtime, e.g. {@code java17.0.15}. */
    static String runtimeVersion() { return "java" + System.getProperty("java.version"); }

    private static String accountOf(ConnInfo c) { return c.account() == null ? GLOBAL_ACCOUNT : c.account(); }

    /** The accounts we know of: the global one and any a connection was seen in. */
    private static boolean accountExists(String acc, List<ConnInfo> open, List<ConnInfo> closed) {
        if (acc.equals(GLOBAL_ACCOUNT)) return true;
        for (ConnInfo c : open) if (acc.equals(c.account())) return true;
        for (ConnInfo c : closed) if (acc.equals(c.account())) return true;
        return false;
    }

    /** The connection with only the optional parts that were asked for, so the renderer can write what it gets. */
    private static ConnInfo view(ConnInfo c, ConnzOptions opts) {
        boolean withSubs = (opts.subs() || opts.subsDetail()) && c.subs() != null && !c.subs().isEmpty();
        String user = opts.auth() ? c.authorizedUser() : null;
        String account = opts.auth() && !GLOBAL_ACCOUNT.equals(c.account()) ? c.account() : null;
        List<SubDetail> subs = withSubs ? c.subs() : null;
        if (Objects.equals(user, c.authorizedUser()) && Objects.equals(account, c.account()) && subs == c.subs()) {
            return c;
        }
        return new ConnInfo(c.cid(), c.kind(), c.type(), c.ip(), c.port(), c.start(), c.lastActivity(), c.stop(),
                c.reason(), c.rtt(), c.pendingBytes(), c.inMsgs(), c.outMsgs(), c.inBytes(), c.outBytes(),
                c.numSubs(), c.name(), c.lang(), c.version(), c.tlsVersion(), c.tlsCipherSuite(), user, account, subs);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
