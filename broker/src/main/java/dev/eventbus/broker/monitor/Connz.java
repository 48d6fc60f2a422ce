package dev.eventbus.broker.monitor;

import java.time.Instant;
import java.util.List;

/**
 * One page of /connz (nats-server's {@code Connz}).
 *
 * @param serverId       "" when an unknown account was asked for (a nats-server quirk kept for fidelity)
 * @param numConnections the size of this page
 * @param total          connections in the requested state and account, counted before the cid, user and MQTT
 *                       filters and before paging (nats-server's definition)
 * @param connections    null (JSON {@code null}) only for an unknown account; otherwise possibly empty. Each entry
 *                       already has exactly the optional parts that were asked for
 * @param subsDetail     render subscriptions as {@code subscriptions_list_detail} rather than subjects
 */
public record Connz(String serverId, Instant now, int numConnections, long total, long offset, long limit,
                    List<ConnInfo> connections, boolean subsDetail) {
    public Connz {
        connections = connections == null ? null : List.copyOf(connections);
    }
}
