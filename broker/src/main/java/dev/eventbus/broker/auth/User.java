package dev.eventbus.broker.auth;

import java.util.Objects;

/**
 * An authenticated identity.
 *
 * @param name        shown as {@code authorized_user} in /connz
 * @param permissions {@link Permissions#ALLOW_ALL} when unrestricted
 */
public record User(String name, Permissions permissions) {
    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(permissions, "permissions");
    }

    public User(String name) { this(name, Permissions.ALLOW_ALL); }
}
