package dev.eventbus.broker.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * General server information, as nats-server's {@code Varz}; {@link MonitorJson#varz} writes the keys in nats-server's
 * order. Things we do not have (cluster, gateways, leaf nodes, MQTT, websocket, JetStream, TLS) are not fields: their
 * JSON objects are always written empty, as nats-server writes them when the feature is off.
 *
 * @param go           the runtime, {@code java17.0.15}; nats-server puts its Go version here. Informational only
 * @param authRequired written only when true
 * @param maxSubscriptions written only when non-zero (0 = unlimited)
 * @param httpBasePath always "" until we support {@code http_base_path}
 * @param uptime       already in nats-server's {@code myUptime} form
 * @param mem          resident set size in bytes
 * @param cpu          percent of one core over the last second or so, one decimal, as nats-server samples it
 * @param httpReqStats hits per monitoring path, keys sorted like a marshalled Go map
 * @param gateway      null without a gateway block (the JSON object is then empty)
 */
public record Varz(
        String serverId, String serverName, String version, int proto, String go, String host, int port,
        boolean authRequired, int maxConnections, int maxSubscriptions, Duration pingInterval, int pingMax,
        String httpHost, int httpPort, String httpBasePath, int httpsPort, Duration authTimeout, int maxControlLine,
        int maxPayload, long maxPending, Duration tlsTimeout, Duration writeDeadline, Instant start, Instant now,
        String uptime, long mem, int cores, int gomaxprocs, double cpu, int connections, long totalConnections,
        int routes, int remotes, int leafnodes, long inMsgs, long outMsgs, long inBytes, long outBytes,
        long slowConsumers, long subscriptions, SortedMap<String, Long> httpReqStats, Instant configLoadTime,
        GatewayInfo gateway) {

    public Varz {
        httpReqStats = Collections.unmodifiableSortedMap(new TreeMap<>(httpReqStats));
    }
}
