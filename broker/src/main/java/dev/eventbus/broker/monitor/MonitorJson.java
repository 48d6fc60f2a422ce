package dev.eventbus.broker.monitor;

import dev.eventbus.broker.json.JsonWriter;
import dev.eventbus.broker.subject.Sublist;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Writes monitoring records as nats-server 2.9.10 marshals them: same keys, same order, Go's {@code omitempty}
 * rules, times as RFC 3339 with nanoseconds, {@code time.Duration} fields as integer nanoseconds, timeouts as float
 * seconds, uptimes as {@code myUptime} and RTTs as {@code Duration.String()}. Tools such as prometheus-nats-exporter
 * type-assert these fields, so a string where Go has a number (or the reverse) breaks them.
 */
public final class MonitorJson {
    private MonitorJson() {}

    /** {@code json.MarshalIndent} of nats-server's {@code Varz}. */
    public static String varz(Varz v) {
        JsonWriter w = JsonWriter.indented().beginObject();
        w.name("server_id").value(v.serverId());
        w.name("server_name").value(v.serverName());
        w.name("version").value(v.version());
        w.name("proto").value(v.proto());
        w.name("go").value(v.go());
        w.name("host").value(v.host());
        w.name("port").value(v.port());
        if (v.authRequired()) w.name("auth_required").value(true);
        w.name("max_connections").value(v.maxConnections());
        if (v.maxSubscriptions() != 0) w.name("max_subscriptions").value(v.maxSubscriptions());
        w.name("ping_interval").value(nanos(v.pingInterval()));
        w.name("ping_max").value(v.pingMax());
        w.name("http_host").value(v.httpHost());
        w.name("http_port").value(v.httpPort());
        w.name("http_base_path").value(v.httpBasePath());
        w.name("https_port").value(v.httpsPort());
        w.name("auth_timeout").value(seconds(v.authTimeout()));
        w.name("max_control_line").value(v.maxControlLine());
        w.name("max_payload").value(v.maxPayload());
        w.name("max_pending").value(v.maxPending());
        // nested option structs: omitempty never drops a struct value, so these are {} when the feature is off
        w.name("cluster").beginObject().endObject();
        w.name("gateway").beginObject();
        GatewayInfo g = v.gateway();
        if (g != null) {
            // every key but a remote's name is omitempty in nats-server's GatewayOptsVarz
            w.name("name").value(g.name());
            w.name("host").value(g.host());
            w.name("port").value(g.port());
            w.name("auth_timeout").value(seconds(g.authTimeout()));
            w.name("tls_timeout").value(seconds(g.tlsTimeout()));
            if (g.tls()) w.name("tls_required").value(true).name("tls_verify").value(true);
            if (!g.remotes().isEmpty()) {
                w.name("gateways").beginArray();
                for (Map.Entry<String, List<String>> r : g.remotes().entrySet()) {
                    w.beginObject().name("name").value(r.getKey());
                    if (g.tls()) w.name("tls_timeout").value(seconds(g.tlsTimeout()));
                    if (!r.getValue().isEmpty()) {
                        w.name("urls").beginArray();
                        for (String u : r.getValue()) w.value(u);
                        w.endArray();
                    }
                    w.endObject();
                }
                w.endArray();
            }
        }
        w.endObject();
        for (String off : List.of("leaf", "mqtt", "websocket", "jetstream")) {
            w.name(off).beginObject().endObject();
        }
        w.name("tls_timeout").value(seconds(v.tlsTimeout()));
        w.name("write_deadline").value(nanos(v.writeDeadline()));
        w.name("start").value(GoFormat.rfc3339Nano(v.start()));
        w.name("now").value(GoFormat.rfc3339Nano(v.now()));
        w.name("uptime").value(v.uptime());
        w.name("mem").value(v.mem());
        w.name("cores").value(v.cores());
        w.name("gomaxprocs").value(v.gomaxprocs());
        w.name("cpu").value(v.cpu());
        w.name("connections").value(v.connections());
        w.name("total_connections").value(v.totalConnections());
        w.name("routes").value(v.routes());
        w.name("remotes").value(v.remotes());
        w.name("leafnodes").value(v.leafnodes());
        w.name("in_msgs").value(v.inMsgs());
        w.name("out_msgs").value(v.outMsgs());
        w.name("in_bytes").value(v.inBytes());
        w.name("out_bytes").value(v.outBytes());
        w.name("slow_consumers").value(v.slowConsumers());
        w.name("subscriptions").value(v.subscriptions());
        w.name("http_req_stats").beginObject();
        for (Map.Entry<String, Long> e : v.httpReqStats().entrySet()) w.name(e.getKey()).value(e.getValue());
        w.endObject();
        w.name("config_load_time").value(GoFormat.rfc3339Nano(v.configLoadTime()));
        return w.endObject().toString();
    }

    /**
     * nats-server's {@code Gatewayz}: outbound links by name, inbound links by name (an array each), accounts only
     * when asked for.
     */
    public static String gatewayz(String serverId, Instant now, GatewayInfo g, boolean accounts, String onlyName) {
        JsonWriter w = JsonWriter.indented().beginObject();
        w.name("server_id").value(serverId);
        w.name("now").value(GoFormat.rfc3339Nano(now));
        if (g != null) {
            w.name("name").value(g.name());
            w.name("host").value(g.host());
            w.name("port").value(g.port());
        }
        w.name("outbound_gateways").beginObject();
        if (g != null) {
            for (GatewayInfo.Outbound o : g.outbound()) {
                if (!onlyName.isEmpty() && !onlyName.equals(o.name())) continue;
                w.name(o.name()).beginObject().name("configured").value(o.configured());
                w.name("connection");
                connInfo(w, o.connection(), now, false);
                if (accounts) {
                    w.name("accounts").beginArray();
                    for (GatewayInfo.Account a : o.accounts()) {
                        w.beginObject().name("name").value(a.name()).name("interest_mode").value(a.interestMode());
                        w.name("interest_only_threshold").value(1000);
                        if (a.numSubs() != 0) w.name("num_subs").value(a.numSubs());
                        if (a.numQueueSubs() != 0) w.name("num_queue_subs").value(a.numQueueSubs());
                        w.endObject();
                    }
                    w.endArray();
                }
                w.endObject();
            }
        }
        w.endObject();
        w.name("inbound_gateways").beginObject();
        if (g != null) {
            for (Map.Entry<String, List<ConnInfo>> e : g.inbound().entrySet()) {
                if (!onlyName.isEmpty() && !onlyName.equals(e.getKey())) continue;
                w.name(e.getKey()).beginArray();
                for (ConnInfo c : e.getValue()) {
                    w.beginObject().name("configured").value(false).name("connection");
                    connInfo(w, c, now, false);
                    if (accounts) {
                        w.name("accounts").beginArray()
                                .beginObject().name("name").value("$G").name("interest_mode").value("Interest-Only")
                                .name("interest_only_threshold").value(1000).endObject()
                                .endArray();
                    }
                    w.endObject();
                }
                w.endArray();
            }
        }
        w.endObject();
        return w.endObject().toString();
    }

    /** {@code json.MarshalIndent} of nats-server's {@code Connz}. */
    public static String connz(Connz c) {
        JsonWriter w = JsonWriter.indented().beginObject();
        w.name("server_id").value(c.serverId());
        w.name("now").value(GoFormat.rfc3339Nano(c.now()));
        w.name("num_connections").value(c.numConnections());
        w.name("total").value(c.total());
        w.name("offset").value(c.offset());
        w.name("limit").value(c.limit());
        w.name("connections");
        if (c.connections() == null) {
            w.nullValue();
        } else {
            w.beginArray();
            for (ConnInfo ci : c.connections()) connInfo(w, ci, c.now(), c.subsDetail());
            w.endArray();
        }
        return w.endObject().toString();
    }

    /**
     * {@code /subsz}: the bare statistics object when no subscription is listed (what nats-server's handler does),
     * otherwise the whole {@code Subsz} with the statistics flattened in.
     */
    public static String subsz(Subsz s) {
        JsonWriter w = JsonWriter.indented().beginObject();
        if (s.statsOnly()) {
            stats(w, s.stats());
            return w.endObject().toString();
        }
        w.name("server_id").value(s.serverId());
        w.name("now").value(GoFormat.rfc3339Nano(s.now()));
        stats(w, s.stats());
        w.name("total").value(s.total());
        w.name("offset").value(s.offset());
        w.name("limit").value(s.limit());
        w.name("subscriptions_list").beginArray();
        for (SubDetail d : s.subs()) subDetail(w, d);
        w.endArray();
        return w.endObject().toString();
    }

    /** Compact {@code json.Marshal}, as nats-server's /healthz. */
    public static String healthz(Healthz h) {
        JsonWriter w = JsonWriter.compact().beginObject();
        w.name("status").value(h.status());
        if (h.error() != null && !h.error().isEmpty()) w.name("error").value(h.error());
        return w.endObject().toString();
    }

    private static void stats(JsonWriter w, Sublist.Stats s) {
        w.name("num_subscriptions").value(s.numSubscriptions());
        w.name("num_cache").value(s.numCache());
        w.name("num_inserts").value(s.numInserts());
        w.name("num_removes").value(s.numRemoves());
        w.name("num_matches").value(s.numMatches());
        w.name("cache_hit_rate").value(s.cacheHitRate());
        w.name("max_fanout").value(s.maxFanout());
        w.name("avg_fanout").value(s.avgFanout());
    }

    /**
     * One {@code ConnInfo}. Uptime and idle time run to {@code now} for open connections and to the stop time for
     * closed ones (nats-server fills a closed connection's entry when it closes).
     */
    private static void connInfo(JsonWriter w, ConnInfo c, Instant now, boolean subsDetail) {
        Instant end = c.stop() != null ? c.stop() : now;
        w.beginObject();
        w.name("cid").value(c.cid());
        omitEmpty(w, "kind", c.kind());
        omitEmpty(w, "type", c.type());
        w.name("ip").value(c.ip() == null ? "" : c.ip());
        w.name("port").value(c.port());
        w.name("start").value(GoFormat.rfc3339Nano(c.start()));
        w.name("last_activity").value(GoFormat.rfc3339Nano(c.lastActivity()));
        if (c.stop() != null) w.name("stop").value(GoFormat.rfc3339Nano(c.stop()));
        omitEmpty(w, "reason", c.reason());
        w.name("rtt").value(rtt(c.rtt()));
        w.name("uptime").value(GoFormat.uptime(between(c.start(), end)));
        w.name("idle").value(GoFormat.uptime(between(c.lastActivity(), end)));
        w.name("pending_bytes").value(c.pendingBytes());
        w.name("in_msgs").value(c.inMsgs());
        w.name("out_msgs").value(c.outMsgs());
        w.name("in_bytes").value(c.inBytes());
        w.name("out_bytes").value(c.outBytes());
        w.name("subscriptions").value(c.numSubs());
        omitEmpty(w, "name", c.name());
        omitEmpty(w, "lang", c.lang());
        omitEmpty(w, "version", c.version());
        omitEmpty(w, "tls_version", c.tlsVersion());
        omitEmpty(w, "tls_cipher_suite", c.tlsCipherSuite());
        omitEmpty(w, "authorized_user", c.authorizedUser());
        omitEmpty(w, "account", c.account());
        List<SubDetail> subs = c.subs();
        if (subs != null && !subs.isEmpty()) {
            if (subsDetail) {
                w.name("subscriptions_list_detail").beginArray();
                for (SubDetail d : subs) subDetail(w, d);
            } else {
                w.name("subscriptions_list").beginArray();
                for (SubDetail d : subs) w.value(d.subject());
            }
            w.endArray();
        }
        w.endObject();
    }

    private static void subDetail(JsonWriter w, SubDetail d) {
        w.beginObject();
        omitEmpty(w, "account", d.account());
        w.name("subject").value(d.subject());
        omitEmpty(w, "qgroup", d.qgroup());
        w.name("sid").value(d.sid());
        w.name("msgs").value(d.msgs());
        if (d.max() != 0) w.name("max").value(d.max());
        w.name("cid").value(d.cid());
        w.endObject();
    }

    /**
     * nats-server's {@code getRTT}: unmeasured is {@code 0s}; between 1µs and 1ms it is truncated to whole
     * microseconds ({@code 512µs}, not {@code 512.345µs}).
     */
    static String rtt(Duration rtt) {
        if (rtt == null) return "0s";
        Duration d = rtt;
        if (d.compareTo(Duration.ofNanos(1_000)) > 0 && d.compareTo(Duration.ofMillis(1)) < 0) {
            d = d.truncatedTo(ChronoUnit.MICROS);
        }
        return GoFormat.duration(d);
    }

    private static Duration between(Instant from, Instant to) {
        return Duration.between(from != null ? from : Instant.EPOCH, to);
    }

    private static void omitEmpty(JsonWriter w, String name, String value) {
        if (value != null && !value.isEmpty()) w.name(name).value(value);
    }

    private static long nanos(Duration d) { return d.toNanos(); }

    private static double seconds(Duration d) { return d.toNanos() / 1e9; }
}
