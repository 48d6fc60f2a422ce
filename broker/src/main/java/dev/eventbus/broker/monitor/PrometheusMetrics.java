package dev.eventbus.broker.monitor;

import dev.eventbus.broker.BrokerEventListener;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The broker's counters in the Prometheus text exposition format (version 0.0.4), for the apps' {@code /metrics}.
 * Register it as the broker's {@link BrokerEventListener}; gauges and per-link traffic are read from the
 * {@link MonitorSource} at scrape time, so nothing is counted twice. Apps add their own families through
 * {@link #render(MonitorSource, Consumer)}.
 */
public final class PrometheusMetrics implements BrokerEventListener {
    private final LongAdder opened = new LongAdder();
    private final LongAdder slowConsumers = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> closedByReason = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> authFailures = new ConcurrentHashMap<>();

    @Override
    public void connectionOpened(long cid, String remoteAddress) { opened.increment(); }

    @Override
    public void connectionClosed(long cid, String remoteAddress, String reason) {
        closedByReason.computeIfAbsent(reason == null ? "unknown" : reason, r -> new LongAdder()).increment();
    }

    /** The broker's own reasons are free text; apps with reason enums label them the same way. */
    @Override
    public void authenticationFailed(String remoteAddress, String reason) {
        String key = reason == null ? "unknown" : reason.split("[: ]", 2)[0];
        authFailures.computeIfAbsent(key, r -> new LongAdder()).increment();
    }

    @Override
    public void slowConsumer(long cid, String remoteAddress) { slowConsumers.increment(); }

    /** The whole page; {@code extra} may append more families with {@link Writer}. */
    public String render(MonitorSource source, Consumer<Writer> extra) {
        Writer w = new Writer();
        ServerStats s = source.stats();
        w.family("eventbus_connections", "gauge", "Open client connections").sample("eventbus_connections", Map.of(), s.connections());
        w.family("eventbus_connections_opened_total", "counter", "Client connections accepted").sample("eventbus_connections_opened_total", Map.of(), opened.sum());
        w.family("eventbus_connections_closed_total", "counter", "Client connections closed, by reason");
        new TreeMap<>(closedByReason).forEach((r, n) -> w.sample("eventbus_connections_closed_total", Map.of("reason", r), n.sum()));
        w.family("eventbus_auth_failures_total", "counter", "Refused credentials, by reason (never sent to the client)");
        new TreeMap<>(authFailures).forEach((r, n) -> w.sample("eventbus_auth_failures_total", Map.of("reason", r), n.sum()));
        w.family("eventbus_subscriptions", "gauge", "Subscriptions").sample("eventbus_subscriptions", Map.of(), s.subscriptions());
        w.family("eventbus_slow_consumers_total", "counter", "Connections cut as slow consumers").sample("eventbus_slow_consumers_total", Map.of(), s.slowConsumers());
        w.family("eventbus_messages_in_total", "counter", "Messages received from clients").sample("eventbus_messages_in_total", Map.of(), s.inMsgs());
        w.family("eventbus_messages_out_total", "counter", "Messages delivered to clients").sample("eventbus_messages_out_total", Map.of(), s.outMsgs());
        w.family("eventbus_bytes_in_total", "counter", "Payload bytes received from clients").sample("eventbus_bytes_in_total", Map.of(), s.inBytes());
        w.family("eventbus_bytes_out_total", "counter", "Payload bytes delivered to clients").sample("eventbus_bytes_out_total", Map.of(), s.outBytes());
        GatewayInfo g = source.gatewayInfo();
        if (g != null) {
            w.family("eventbus_gateway_link_up", "gauge", "1 when the link is registered, by remote gateway and direction");
            w.family("eventbus_gateway_messages_total", "counter", "Messages over gateway links, by remote, direction of the link and of the traffic");
            w.family("eventbus_gateway_bytes_total", "counter", "Payload bytes over gateway links, by remote, direction of the link and of the traffic");
            for (String remote : g.remotes().keySet()) {
                boolean up = g.outbound().stream().anyMatch(o -> o.name().equals(remote));
                w.sample("eventbus_gateway_link_up", Map.of("gateway", remote, "link", "outbound"), up ? 1 : 0);
            }
            for (GatewayInfo.Outbound o : g.outbound()) {
                if (!g.remotes().containsKey(o.name())) w.sample("eventbus_gateway_link_up", Map.of("gateway", o.name(), "link", "outbound"), 1);
                link(w, o.name(), "outbound", o.connection());
            }
            for (Map.Entry<String, List<ConnInfo>> e : g.inbound().entrySet()) {
                w.sample("eventbus_gateway_link_up", Map.of("gateway", e.getKey(), "link", "inbound"), 1);
                for (ConnInfo c : e.getValue()) link(w, e.getKey(), "inbound", c);
            }
            w.family("eventbus_gateway_refused_messages_total", "counter",
                    "Messages from a gateway dropped because their subject is outside inbound_allow, by sending gateway");
            g.refusedInbound().forEach((gw, n) -> w.sample("eventbus_gateway_refused_messages_total", Map.of("gateway", gw), n));
        }
        if (extra != null) extra.accept(w);
        return w.toString();
    }

    private static void link(Writer w, String gateway, String link, ConnInfo c) {
        w.sample("eventbus_gateway_messages_total", Map.of("gateway", gateway, "link", link, "direction", "in"), c.inMsgs());
        w.sample("eventbus_gateway_messages_total", Map.of("gateway", gateway, "link", link, "direction", "out"), c.outMsgs());
        w.sample("eventbus_gateway_bytes_total", Map.of("gateway", gateway, "link", link, "direction", "in"), c.inBytes());
        w.sample("eventbus_gateway_bytes_total", Map.of("gateway", gateway, "link", link, "direction", "out"), c.outBytes());
    }

    /** Writes families and samples; label values are escaped as the format requires. */
    public static final class Writer {
        private final StringBuilder sb = new StringBuilder(4096);

        public Writer family(String name, String type, String help) {
            sb.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            return this;
        }

        public Writer sample(String name, Map<String, String> labels, double value) {
            sb.append(name);
            if (!labels.isEmpty()) {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    sb.append(e.getKey()).append("=\"")
                            .append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
                }
                sb.append('}');
            }
            sb.append(' ');
            if (value == Math.rint(value) && Math.abs(value) < 1e15) sb.append((long) value);
            else sb.append(value);
            sb.append('\n');
            return this;
        }

        @Override
        public String toString() { return sb.toString(); }
    }
}
