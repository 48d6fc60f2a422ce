package dev.eventbus.broker.monitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of this server's gateway state, for /gatewayz and the gateway block of /varz.
 *
 * @param remotes configured remotes and their URLs ("host:port"), for /varz
 * @param outbound one link per remote gateway name
 * @param inbound  the links remote servers dialed, by gateway name
 * @param refusedInbound messages dropped because their subject is outside the gateway's inbound_allow, by the
 *                       gateway that sent them (since start)
 */
public record GatewayInfo(String name, String host, int port, Duration authTimeout, Duration tlsTimeout, boolean tls,
                          Map<String, List<String>> remotes, List<Outbound> outbound, Map<String, List<ConnInfo>> inbound,
                          Map<String, Long> refusedInbound) {

    /** @param accounts what the peer told us it wants, per account */
    public record Outbound(String name, boolean configured, ConnInfo connection, List<Account> accounts) {}

    public record Account(String name, String interestMode, int numSubs, int numQueueSubs) {}
}
