package dev.eventbus.gateway.app;

import dev.eventbus.broker.Broker;
import dev.eventbus.gateway.auth.AuthAudit;
import dev.eventbus.gateway.auth.AuthMetrics;
import dev.eventbus.gateway.auth.JwtAuthenticator;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes established connections whose token was revoked: every reload interval it has the authenticator look at
 * the revocation file and closes the connections whose {@code jti} is in it (the broker answers them {@code -ERR
 * 'User Authentication Revoked'}). Without it a revoked token would keep its connection until the agent reconnects.
 *
 * <p>The whole current list is applied on every tick, not only when it changes: a connection that was being
 * authenticated while a pass ran (token checked before the file changed, user not yet assigned in the broker, so the
 * pass could not see it) is closed on the next tick instead of living until its token expires. A tick that finds
 * nothing costs one walk over the connections and logs, audits and counts nothing; each closed connection is
 * audited once (the broker offers only connections not already closed).
 */
final class RevocationEnforcer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevocationEnforcer.class);

    private final Broker broker;
    private final JwtAuthenticator authenticator;
    private final AuthMetrics metrics;
    private final AuthAudit audit;
    private final ScheduledExecutorService timer;

    RevocationEnforcer(Broker broker, JwtAuthenticator authenticator, AuthMetrics metrics, AuthAudit audit, Duration every) {
        this.broker = broker;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.audit = audit;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "revocation-enforcer");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, every.toMillis());
        timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Re-reads the revocation file if it changed and closes every live connection it revokes; returns how many. */
    synchronized int check() {
        try {
            authenticator.reload();
            Set<String> revoked = authenticator.revokedIds();
            if (revoked.isEmpty()) return 0;
            int n = broker.closeConnections(u -> {
                if (u.credentialId() == null || !revoked.contains(u.credentialId())) return false;
                audit.record(AuthAudit.Kind.REVOKED, u.name(), "REVOKED", null,
                        "connection closed: jti \"" + u.credentialId() + "\" revoked");
                return true;
            }, "token revoked");
            if (n > 0) metrics.connectionsRevoked(n);
            return n;
        } catch (RuntimeException e) {
            log.warn("revocation check failed", e);
            return 0;
        }
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
