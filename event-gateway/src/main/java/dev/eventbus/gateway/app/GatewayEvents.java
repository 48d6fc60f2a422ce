package dev.eventbus.gateway.app;

import dev.eventbus.broker.BrokerEventListener;
import dev.eventbus.broker.auth.User;
import dev.eventbus.gateway.auth.AuthAudit;
import dev.eventbus.gateway.auth.AuthMetrics;
import java.util.Objects;

/**
 * The broker's events as event-gateway sees them: everything goes to the Prometheus listener, and what concerns the
 * door (permission violations, reserved queue groups, expired tokens) is also counted in {@link AuthMetrics} and
 * recorded in the {@link AuthAudit} trail. Security events are rare, so none of this is on the message path.
 */
final class GatewayEvents implements BrokerEventListener {
    /** nats-server's closed-state text for a connection whose credential expired. */
    static final String EXPIRED_STATE = "Authentication Expired";

    private final BrokerEventListener next;
    private final AuthMetrics metrics;
    private final AuthAudit audit;

    GatewayEvents(BrokerEventListener next, AuthMetrics metrics, AuthAudit audit) {
        this.next = Objects.requireNonNull(next, "next");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override public void connectionOpened(long cid, String remoteAddress) { next.connectionOpened(cid, remoteAddress); }

    @Override
    public void connectionClosed(long cid, String remoteAddress, String reason) {
        next.connectionClosed(cid, remoteAddress, reason);
        String agent = audit.disconnected(remoteAddress);
        if (EXPIRED_STATE.equals(reason)) {
            metrics.connectionExpired();
            audit.record(AuthAudit.Kind.EXPIRED, agent, "EXPIRED", remoteAddress, "connection closed: token expired");
        }
    }

    @Override
    public void authenticationFailed(String remoteAddress, String reason) { next.authenticationFailed(remoteAddress, reason); }

    @Override public void slowConsumer(long cid, String remoteAddress) { next.slowConsumer(cid, remoteAddress); }

    @Override public void gatewayLinkUp(String gateway, boolean outbound) { next.gatewayLinkUp(gateway, outbound); }

    @Override public void gatewayLinkDown(String gateway, boolean outbound) { next.gatewayLinkDown(gateway, outbound); }

    @Override
    public void gatewayMessageRefused(String gateway, String subject) { next.gatewayMessageRefused(gateway, subject); }

    @Override
    public void permissionViolation(long cid, String remoteAddress, User user, String what) {
        next.permissionViolation(cid, remoteAddress, user, what);
        String agent = user == null ? null : user.name();
        if (what.endsWith(", " + ReservedQueueGroups.VETO)) {
            metrics.reservedQueueRefused();
            audit.record(AuthAudit.Kind.RESERVED_QUEUE, agent, "RESERVED_QUEUE", remoteAddress, what);
        } else {
            metrics.permissionViolation();
            audit.record(AuthAudit.Kind.PERMISSION_VIOLATION, agent, operation(what), remoteAddress, what);
        }
    }

    /** PUBLISH, REPLY or SUBSCRIBE, from nats-server's -ERR text. */
    static String operation(String what) {
        if (what.startsWith("Permissions Violation for Publish with Reply")) return "REPLY";
        if (what.startsWith("Permissions Violation for Publish")) return "PUBLISH";
        if (what.startsWith("Permissions Violation for Subscription")) return "SUBSCRIBE";
        return "OTHER";
    }
}
