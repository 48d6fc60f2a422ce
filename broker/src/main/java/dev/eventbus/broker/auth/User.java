package dev.eventbus.broker.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An authenticated identity.
 *
 * @param name         shown as {@code authorized_user} in /connz
 * @param permissions  {@link Permissions#ALLOW_ALL} when unrestricted
 * @param expiresAt    when the credential stops being valid, or null; the broker closes the connection then with
 *                     {@code -ERR 'User Authentication Expired'}, as nats-server does for JWT users
 * @param credentialId what identifies the credential (a token's {@code jti}), or null; lets an application close
 *                     the connections of a revoked credential ({@code Broker.closeConnections})
 */
public record User(String name, Permissions permissions, Instant expiresAt, String credentialId) {
    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(permissions, "permissions");
    }

    public User(String name, Permissions permissions) { this(name, permissions, null, null); }

    public User(String name) { this(name, Permissions.ALLOW_ALL); }
}
