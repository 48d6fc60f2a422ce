package dev.eventbus.broker.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The small option set a test may vary, translated by each {@link ServerKind} into its own form (a
 * {@code BrokerOptions} for our broker, a config file for nats-server). Null/0 fields mean "the server's default".
 * The listen address is always 127.0.0.1 on a random free port.
 *
 * <pre>{@code ServerConfig.builder().maxPayload(1024).token("s3cret").build()}</pre>
 */
public record ServerConfig(
        Integer maxPayload,
        Integer maxControlLine,
        Long maxPending,
        Integer maxConnections,
        Integer maxSubscriptions,
        Duration pingInterval,
        Integer pingMax,
        Duration authTimeout,
        Duration writeDeadline,
        String token,
        List<UserSpec> users,
        boolean monitoring) {

    public static final ServerConfig DEFAULT = builder().build();

    public ServerConfig {
        users = List.copyOf(users);
        if (token != null && !users.isEmpty()) {
            throw new IllegalArgumentException("nats-server cannot combine a token with users");
        }
    }

    public boolean authRequired() { return token != null || !users.isEmpty(); }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxPayload = maxPayload; b.maxControlLine = maxControlLine; b.maxPending = maxPending;
        b.maxConnections = maxConnections; b.maxSubscriptions = maxSubscriptions; b.pingInterval = pingInterval;
        b.pingMax = pingMax; b.authTimeout = authTimeout; b.writeDeadline = writeDeadline; b.token = token; b.users.addAll(users);
        b.monitoring = monitoring;
        return b;
    }

    /** A user with optional publish/subscribe allow and deny lists (null allow list = everything allowed). */
    public record UserSpec(String name, String password, List<String> publishAllow, List<String> publishDeny,
                           List<String> subscribeAllow, List<String> subscribeDeny) {
        public UserSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
            publishAllow = publishAllow == null ? null : List.copyOf(publishAllow);
            publishDeny = publishDeny == null ? List.of() : List.copyOf(publishDeny);
            subscribeAllow = subscribeAllow == null ? null : List.copyOf(subscribeAllow);
            subscribeDeny = subscribeDeny == null ? List.of() : List.copyOf(subscribeDeny);
        }

        public static UserSpec of(String name, String password) {
            return new UserSpec(name, password, null, null, null, null);
        }

        public UserSpec publishAllow(String... s) {
            return new UserSpec(name, password, List.of(s), publishDeny, subscribeAllow, subscribeDeny);
        }

        public UserSpec publishDeny(String... s) {
            return new UserSpec(name, password, publishAllow, List.of(s), subscribeAllow, subscribeDeny);
        }

        public UserSpec subscribeAllow(String... s) {
            return new UserSpec(name, password, publishAllow, publishDeny, List.of(s), subscribeDeny);
        }

        public UserSpec subscribeDeny(String... s) {
            return new UserSpec(name, password, publishAllow, publishDeny, subscribeAllow, List.of(s));
        }

        public boolean unrestricted() {
            return publishAllow == null && publishDeny.isEmpty() && subscribeAllow == null && subscribeDeny.isEmpty();
        }
    }

    public static final class Builder {
        private Integer maxPayload;
        private Integer maxControlLine;
        private Long maxPending;
        private Integer maxConnections;
        private Integer maxSubscriptions;
        private Duration pingInterval;
        private Integer pingMax;
        private Duration authTimeout;
        private Duration writeDeadline;
        private String token;
        private final List<UserSpec> users = new ArrayList<>();
        private boolean monitoring;

        private Builder() {}

        public Builder maxPayload(int v) { maxPayload = v; return this; }
        public Builder maxControlLine(int v) { maxControlLine = v; return this; }
        public Builder maxPending(long v) { maxPending = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxSubscriptions(int v) { maxSubscriptions = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder pingMax(int v) { pingMax = v; return this; }
        public Builder authTimeout(Duration v) { authTimeout = v; return this; }
        public Builder writeDeadline(Duration v) { writeDeadline = v; return this; }
        public Builder token(String v) { token = v; return this; }
        public Builder user(String name, String password) { users.add(UserSpec.of(name, password)); return this; }
        public Builder user(UserSpec u) { users.add(u); return this; }
        public Builder monitoring(boolean v) { monitoring = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(maxPayload, maxControlLine, maxPending, maxConnections, maxSubscriptions,
                    pingInterval, pingMax, authTimeout, writeDeadline, token, users, monitoring);
        }
    }
}
