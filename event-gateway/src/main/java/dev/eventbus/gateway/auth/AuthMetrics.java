package dev.eventbus.gateway.auth;

import java.nio.file.Path;

/**
 * Receives the outcome of every authentication, e.g. to export Prometheus counters
 * ({@code eventgateway_auth_failures_total{reason="EXPIRED"}}). Called on the broker's event loop: implementations
 * must be thread-safe, fast and must not throw. Every method has a no-op default.
 */
public interface AuthMetrics {
    AuthMetrics NONE = new AuthMetrics() {};

    /** An agent's JWT was accepted. */
    default void success() {}

    /** A connection was refused. */
    default void failure(Reason reason) {}

    /** The health-check token was accepted (counted apart from {@link #success()} so probes do not skew it). */
    default void healthCheck() {}

    /** A watched file (JWKS or revocation list) changed and was loaded. */
    default void reloaded(Path file) {}

    /** A watched file changed but could not be loaded; the previous contents stay in force. */
    default void reloadFailed(Path file, String error) {}

    /** An authenticated client published, replied or subscribed outside its grant (the operation was refused). */
    default void permissionViolation() {}

    /** A subscription in a reserved queue group was refused, whatever the grant. */
    default void reservedQueueRefused() {}

    /** A connection was closed because its token expired. */
    default void connectionExpired() {}

    /** Connections were closed because their token was revoked. */
    default void connectionsRevoked(int connections) {}
}
