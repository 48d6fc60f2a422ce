package dev.eventbus.broker.monitor;

import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.subject.Sublist;
import java.time.Instant;
import java.util.List;

/** What the monitor reads from a running broker; the engine implements it, the monitor never touches internals. */
public interface MonitorSource {
    BrokerOptions options();
    String serverId();
    /** The configured name, or the server id. */
    String serverName();
    Instant startTime();
    /** The client port actually bound (the configured one may be 0). */
    int port();
    /** The monitoring port actually bound, or -1/0 when off. */
    int httpPort();
    ServerStats stats();
    /** Open client connections, in cid order. */
    List<ConnInfo> openConnections(boolean withSubs);
    /** The ring of recently closed connections (at most max_closed_clients), oldest first. */
    List<ConnInfo> closedConnections();
    Sublist sublist();
    /** True once the client listener is bound and accepting. */
    boolean readyForConnections();

    /** Null when the server has no gateway block. */
    default GatewayInfo gatewayInfo() { return null; }
}
