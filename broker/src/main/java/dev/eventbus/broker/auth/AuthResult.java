package dev.eventbus.broker.auth;

import java.util.Objects;

/** The outcome of an authentication: a user, or the reason for the refusal (never sent to the client). */
public record AuthResult(User user, String failureReason) {
    public static AuthResult ok(User user) { return new AuthResult(Objects.requireNonNull(user), null); }

    public static AuthResult denied(String reason) { return new AuthResult(null, Objects.requireNonNull(reason)); }

    public boolean isOk() { return user != null; }
}
