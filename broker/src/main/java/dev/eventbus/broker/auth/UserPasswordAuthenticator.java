package dev.eventbus.broker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/** User/password authentication: one user ({@code --user/--pass}) or a list with per-user permissions. */
public final class UserPasswordAuthenticator implements Authenticator {
    private final Map<String, Entry> users;

    private record Entry(byte[] password, User user) {}

    private UserPasswordAuthenticator(Map<String, Entry> users) { this.users = Map.copyOf(users); }

    public static UserPasswordAuthenticator single(String user, String password) {
        return builder().user(user, password, Permissions.ALLOW_ALL).build();
    }

    public static Builder builder() { return new Builder(); }

    @Override
    public AuthResult authenticate(ClientAuthentication client) {
        String name = client.connectOptions().user();
        if (name == null) return AuthResult.denied("no user");
        Entry e = users.get(name);
        String pass = client.connectOptions().pass();
        if (e == null) return AuthResult.denied("unknown user " + name);
        if (pass == null || !MessageDigest.isEqual(e.password, pass.getBytes(StandardCharsets.UTF_8))) {
            return AuthResult.denied("bad password for user " + name);
        }
        return AuthResult.ok(e.user);
    }

    public static final class Builder {
        private final Map<String, Entry> users = new LinkedHashMap<>();

        private Builder() {}

        public Builder user(String name, String password, Permissions permissions) {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("user name is empty");
            if (password == null) throw new IllegalArgumentException("password for user " + name + " is missing");
            if (users.containsKey(name)) throw new IllegalArgumentException("duplicate user " + name);
            users.put(name, new Entry(password.getBytes(StandardCharsets.UTF_8), new User(name, permissions)));
            return this;
        }

        public UserPasswordAuthenticator build() {
            if (users.isEmpty()) throw new IllegalArgumentException("no users configured");
            return new UserPasswordAuthenticator(users);
        }
    }
}
