package dev.eventbus.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/** Single-token authentication ({@code --auth}, nats-server's {@code authorization { token }}). */
public final class TokenAuthenticator implements Authenticator {
    private final byte[] token;
    private final User user;

    public TokenAuthenticator(String token, Permissions permissions) {
        if (Objects.requireNonNull(token, "token").isEmpty()) throw new IllegalArgumentException("token is empty");
        this.token = token.getBytes(StandardCharsets.UTF_8);
        // nats-server shows the raw token as authorized_user; we do not put secrets in monitoring output
        this.user = new User("[token]", permissions);
    }

    public TokenAuthenticator(String token) { this(token, Permissions.ALLOW_ALL); }

    @Override
    public AuthResult authenticate(ClientAuthentication client) {
        String given = client.connectOptions().authToken();
        if (given == null) return AuthResult.denied("no token");
        // constant time, so response timing does not leak how much of a guess was right
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) return AuthResult.denied("bad token");
        return AuthResult.ok(user);
    }
}
