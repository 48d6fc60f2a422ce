package dev.eventbus.broker;

import dev.eventbus.broker.auth.User;

/**
 * Callbacks for metrics and audit, with no-op defaults: override what you need. Methods run on event loops, so they
 * must be fast, take no external locks and never throw (as OkHttp's EventListener asks).
 */
public interface BrokerEventListener {
    BrokerEventListener NONE = new BrokerEventListener() {};

    default void connectionOpened(long cid, String remoteAddress) {}

    /** @param reason nats-server's closed-state text, e.g. "Client Closed", "Slow Consumer (Pending Bytes)" */
    default void connectionClosed(long cid, String remoteAddress, String reason) {}

    /** @param reason why the credentials were refused; never sent to the client */
    default void authenticationFailed(String remoteAddress, String reason) {}

    default void slowConsumer(long cid, String remoteAddress) {}

    /** @param outbound true for the link we dialed (messages go out on it), false for the one the peer dialed */
    default void gatewayLinkUp(String gateway, boolean outbound) {}

    default void gatewayLinkDown(String gateway, boolean outbound) {}

    /**
     * A message a gateway peer sent was dropped: its subject is outside {@code GatewayOptions.inboundAllow}.
     * Called for every such message, so keep it to a counter.
     */
    default void gatewayMessageRefused(String gateway, String subject) {}

    /**
     * A client's publish, reply subject or subscription was refused with a permissions violation (also one vetoed by
     * the {@link SubscriptionInterceptor}); the connection stays. Fires only on violations, on the client's loop.
     *
     * @param user the authenticated identity, null without authentication
     * @param what the {@code -ERR} text sent, e.g. {@code Permissions Violation for Publish to "jobs.run"}
     */
    default void permissionViolation(long cid, String remoteAddress, User user, String what) {}
}
