package dev.eventbus.broker.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one connection, open or closed, in nats-server's {@code ConnInfo} terms. The engine produces these;
 * {@link Monitor} sorts, pages and renders them.
 *
 * @param kind        "Client" (gateways later add "Gateway")
 * @param type        "nats"
 * @param stop        null while open
 * @param reason      the closed-connection reason text (nats-server's {@code ClosedState} strings), null while open
 * @param rtt         null when not measured yet
 * @param tlsVersion  "1.2"/"1.3" or null without TLS
 * @param authorizedUser null without authentication
 * @param account     null for the global account
 * @param subs        null unless subscriptions were asked for
 */
public record ConnInfo(long cid, String kind, String type, String ip, int port, Instant start, Instant lastActivity,
                       Instant stop, String reason, Duration rtt, long pendingBytes, long inMsgs, long outMsgs,
                       long inBytes, long outBytes, int numSubs, String name, String lang, String version,
                       String tlsVersion, String tlsCipherSuite, String authorizedUser, String account,
                       List<SubDetail> subs) {}
