package dev.eventbus.broker;

import dev.eventbus.broker.auth.Authenticator;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable broker options. Names follow nats-server's configuration keys ({@code max_payload} is
 * {@link Builder#maxPayload(int)}) so that operators and jnats users read them without a manual; defaults are
 * nats-server 2.9's ({@code const.go}, {@code opts.go setBaselineOptions}).
 *
 * <pre>{@code BrokerOptions opts = BrokerOptions.builder().port(4222).maxPayload(1 << 20).build();}</pre>
 */
public final class BrokerOptions {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 4222;
    /** Port 0 asks the OS for a free port; {@link Broker#port()} tells which one. */
    public static final int RANDOM_PORT = 0;
    public static final int DEFAULT_HTTP_PORT = 8222;
    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;
    public static final int DEFAULT_MAX_CONTROL_LINE = 4096;
    public static final long DEFAULT_MAX_PENDING = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 64 * 1024;
    /**
     * Per connection. nats-server's default is unlimited; ours is bounded so that one connection cannot fill the heap
     * (see docs/security/limits.md). 0 means unlimited.
     */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 65_536;
    /** Connections accepted but not yet through TLS and authentication; not a nats-server option. */
    public static final int DEFAULT_MAX_PENDING_AUTH = 512;
    /** 0: derive the server-wide subscription memory budget from the JVM's maximum heap. */
    public static final long AUTO_SUBSCRIPTION_MEMORY = 0;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofMinutes(2);
    public static final int DEFAULT_PING_MAX = 2;
    public static final Duration DEFAULT_WRITE_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_CLOSED_CLIENTS = 10_000;
    /** The nats-server version we speak and report; clients gate features on it. */
    public static final String NATS_VERSION = "2.9.10";

    private final String host;
    private final int port;
    private final String serverName;
    private final String httpHost;
    private final int httpPort;
    private final int maxPayload;
    private final int maxControlLine;
    private final long maxPending;
    private final int maxConnections;
    private final int maxSubscriptions;
    private final int maxPendingAuth;
    private final int maxConnectionsPerUser;
    private final long maxSubscriptionMemory;
    private final Duration pingInterval;
    private final int pingMax;
    private final Duration writeDeadline;
    private final Duration authTimeout;
    private final int maxClosedClients;
    private final boolean authTimeoutSet;
    private final Authenticator authenticator;
    private final int eventLoopThreads;
    private final boolean preferNativeTransport;
    private final BrokerEventListener listener;
    private final TlsOptions tls;
    private final GatewayOptions gateway;
    private final SubscriptionInterceptor subscriptionInterceptor;
    private final boolean strictHeaders;
    private final boolean deferAcceptingClients;
    private final java.util.Set<String> orderedQueueGroups;
    private final long maxInMsgsPerSecond;
    private final long maxInBytesPerSecond;

    private BrokerOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.serverName = b.serverName;
        this.httpHost = b.httpHost;
        this.httpPort = b.httpPort;
        this.maxPayload = b.maxPayload;
        this.maxControlLine = b.maxControlLine;
        this.maxPending = b.maxPending;
        this.maxConnections = b.maxConnections;
        this.maxSubscriptions = b.maxSubscriptions;
        this.maxPendingAuth = b.maxPendingAuth;
        this.maxConnectionsPerUser = b.maxConnectionsPerUser;
        this.maxSubscriptionMemory = b.maxSubscriptionMemory == AUTO_SUBSCRIPTION_MEMORY
                ? Runtime.getRuntime().maxMemory() / 2 : b.maxSubscriptionMemory;
        this.pingInterval = b.pingInterval;
        this.pingMax = b.pingMax;
        this.writeDeadline = b.writeDeadline;
        this.authTimeout = b.authTimeout;
        this.maxClosedClients = b.maxClosedClients;
        this.authTimeoutSet = b.authTimeoutSet;
        this.authenticator = b.authenticator;
        this.eventLoopThreads = b.eventLoopThreads;
        this.preferNativeTransport = b.preferNativeTransport;
        this.listener = b.listener;
        this.tls = b.tls;
        this.gateway = b.gateway;
        this.subscriptionInterceptor = b.subscriptionInterceptor;
        this.strictHeaders = b.strictHeaders;
        this.deferAcceptingClients = b.deferAcceptingClients;
        this.orderedQueueGroups = java.util.Set.copyOf(b.orderedQueueGroups);
        this.maxInMsgsPerSecond = b.maxInMsgsPerSecond;
        this.maxInBytesPerSecond = b.maxInBytesPerSecond;
    }

    public static Builder builder() { return new Builder(); }

    /** A builder holding these options, to derive a variant. */
    public Builder toBuilder() { return new Builder(this); }

    public String host() { return host; }
    public int port() { return port; }
    /** The configured server name, or null to use the server id (as nats-server does). */
    public String serverName() { return serverName; }
    public String httpHost() { return httpHost; }
    /** Monitoring port; -1 disables monitoring, 0 picks a free port. */
    public int httpPort() { return httpPort; }
    public int maxPayload() { return maxPayload; }
    public int maxControlLine() { return maxControlLine; }
    public long maxPending() { return maxPending; }
    public int maxConnections() { return maxConnections; }
    /** 0 means unlimited. */
    public int maxSubscriptions() { return maxSubscriptions; }
    /**
     * The most client connections that may be accepted but not yet authenticated (or, without auth, not yet through
     * the TLS handshake) at once; more are refused at accept. Bounds what a flood of idle connections can hold.
     */
    public int maxPendingAuth() { return maxPendingAuth; }
    /** Authenticated connections one user (by {@code User.name()}) may hold at once; 0 = unlimited (the default). */
    public int maxConnectionsPerUser() { return maxConnectionsPerUser; }
    /**
     * Server-wide: the heap all subscriptions together may take, as estimated per subscription; a SUB beyond it is
     * refused like one over max_subscriptions. Half the maximum heap unless set.
     */
    public long maxSubscriptionMemory() { return maxSubscriptionMemory; }
    public Duration pingInterval() { return pingInterval; }
    public int pingMax() { return pingMax; }
    public Duration writeDeadline() { return writeDeadline; }
    public Duration authTimeout() { return authTimeout; }
    public int maxClosedClients() { return maxClosedClients; }
    /** Null when no authentication is configured: then CONNECT credentials are ignored, as in nats-server. */
    public Authenticator authenticator() { return authenticator; }
    public boolean authRequired() { return authenticator != null; }
    public int eventLoopThreads() { return eventLoopThreads; }
    public boolean preferNativeTransport() { return preferNativeTransport; }
    public BrokerEventListener listener() { return listener; }
    /** Null when the client port is plaintext. */
    public TlsOptions tls() { return tls; }
    /** Null when this server takes part in no super-cluster. */
    public GatewayOptions gateway() { return gateway; }
    public SubscriptionInterceptor subscriptionInterceptor() { return subscriptionInterceptor; }
    /**
     * Whether HPUB header blocks are checked ({@link dev.eventbus.broker.protocol.HeaderBlock}); off by default, as
     * nats-server forwards them verbatim.
     */
    public boolean strictHeaders() { return strictHeaders; }
    /** See {@link Builder#deferAcceptingClients(boolean)}. */
    public boolean deferAcceptingClients() { return deferAcceptingClients; }
    /** See {@link Builder#orderedQueueGroups(java.util.Collection)}. */
    public java.util.Set<String> orderedQueueGroups() { return orderedQueueGroups; }
    /** Messages per second one client connection may publish; 0 = unlimited (the default, as nats-server). */
    public long maxInMsgsPerSecond() { return maxInMsgsPerSecond; }
    /** Payload bytes per second one client connection may publish; 0 = unlimited. */
    public long maxInBytesPerSecond() { return maxInBytesPerSecond; }
    /**
     * As nats-server: 2 s, or tls_timeout + 1 s when TLS is on, unless set explicitly.
     */
    public Duration effectiveAuthTimeout() {
        if (authTimeoutSet || tls == null) return authTimeout;
        return tls.timeout().plusSeconds(1);
    }

    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String serverName;
        private String httpHost = DEFAULT_HOST;
        private int httpPort = -1;
        private int maxPayload = DEFAULT_MAX_PAYLOAD;
        private int maxControlLine = DEFAULT_MAX_CONTROL_LINE;
        private long maxPending = DEFAULT_MAX_PENDING;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
        private int maxPendingAuth = DEFAULT_MAX_PENDING_AUTH;
        private int maxConnectionsPerUser;
        private long maxSubscriptionMemory = AUTO_SUBSCRIPTION_MEMORY;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private int pingMax = DEFAULT_PING_MAX;
        private Duration writeDeadline = DEFAULT_WRITE_DEADLINE;
        private Duration authTimeout = DEFAULT_AUTH_TIMEOUT;
        private int maxClosedClients = DEFAULT_MAX_CLOSED_CLIENTS;
        private Authenticator authenticator;
        private int eventLoopThreads = Runtime.getRuntime().availableProcessors();
        private boolean preferNativeTransport = true;
        private BrokerEventListener listener = BrokerEventListener.NONE;
        private TlsOptions tls;
        private GatewayOptions gateway;
        private SubscriptionInterceptor subscriptionInterceptor = SubscriptionInterceptor.NONE;
        private boolean authTimeoutSet;
        private boolean strictHeaders;
        private boolean deferAcceptingClients;
        private java.util.Set<String> orderedQueueGroups = java.util.Set.of();
        private long maxInMsgsPerSecond;
        private long maxInBytesPerSecond;

        private Builder() {}

        private Builder(BrokerOptions o) {
            host = o.host; port = o.port; serverName = o.serverName; httpHost = o.httpHost; httpPort = o.httpPort;
            maxPayload = o.maxPayload; maxControlLine = o.maxControlLine; maxPending = o.maxPending;
            maxConnections = o.maxConnections; maxSubscriptions = o.maxSubscriptions; pingInterval = o.pingInterval;
            maxPendingAuth = o.maxPendingAuth; maxSubscriptionMemory = o.maxSubscriptionMemory;
            maxConnectionsPerUser = o.maxConnectionsPerUser;
            pingMax = o.pingMax; writeDeadline = o.writeDeadline; authTimeout = o.authTimeout;
            maxClosedClients = o.maxClosedClients; authenticator = o.authenticator;
            eventLoopThreads = o.eventLoopThreads; preferNativeTransport = o.preferNativeTransport;
            listener = o.listener; tls = o.tls; gateway = o.gateway; authTimeoutSet = o.authTimeoutSet;
            subscriptionInterceptor = o.subscriptionInterceptor;
            strictHeaders = o.strictHeaders;
            deferAcceptingClients = o.deferAcceptingClients;
            orderedQueueGroups = o.orderedQueueGroups;
            maxInMsgsPerSecond = o.maxInMsgsPerSecond;
            maxInBytesPerSecond = o.maxInBytesPerSecond;
        }

        public Builder host(String host) { this.host = Objects.requireNonNull(host, "host"); return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder serverName(String name) { this.serverName = name; return this; }
        public Builder httpHost(String host) { this.httpHost = Objects.requireNonNull(host, "httpHost"); return this; }
        public Builder httpPort(int port) { this.httpPort = port; return this; }
        public Builder maxPayload(int bytes) { this.maxPayload = bytes; return this; }
        public Builder maxControlLine(int bytes) { this.maxControlLine = bytes; return this; }
        public Builder maxPending(long bytes) { this.maxPending = bytes; return this; }
        public Builder maxConnections(int n) { this.maxConnections = n; return this; }
        public Builder maxSubscriptions(int n) { this.maxSubscriptions = n; return this; }
        public Builder maxPendingAuth(int n) { this.maxPendingAuth = n; return this; }
        /**
         * Caps the authenticated connections of one user (per-connection limits such as {@link #maxInRate} and
         * max_subscriptions would otherwise multiply with connections); over it: {@code -ERR 'maximum connections
         * per user exceeded'} and a close. 0 = unlimited.
         */
        public Builder maxConnectionsPerUser(int n) { this.maxConnectionsPerUser = n; return this; }
        /** Bytes; {@link #AUTO_SUBSCRIPTION_MEMORY} (0) for half the maximum heap. */
        public Builder maxSubscriptionMemory(long bytes) { this.maxSubscriptionMemory = bytes; return this; }
        public Builder pingInterval(Duration d) { this.pingInterval = Objects.requireNonNull(d, "pingInterval"); return this; }
        public Builder pingMax(int n) { this.pingMax = n; return this; }
        public Builder writeDeadline(Duration d) { this.writeDeadline = Objects.requireNonNull(d, "writeDeadline"); return this; }
        public Builder authTimeout(Duration d) {
            this.authTimeout = Objects.requireNonNull(d, "authTimeout");
            this.authTimeoutSet = true;
            return this;
        }
        public Builder tls(TlsOptions tls) { this.tls = tls; return this; }
        public Builder gateway(GatewayOptions gateway) { this.gateway = gateway; return this; }
        public Builder subscriptionInterceptor(SubscriptionInterceptor i) {
            this.subscriptionInterceptor = Objects.requireNonNull(i, "subscriptionInterceptor");
            return this;
        }
        /**
         * Refuse HPUB whose header block client libraries cannot parse, with {@code -ERR 'Message Header Violation:
         * <why>'} and a close: for servers whose publishers are untrusted (event-gateway).
         */
        public Builder strictHeaders(boolean b) { this.strictHeaders = b; return this; }
        /**
         * For an application that must have its own clients subscribed before anyone else can publish (event-service's
         * intake): {@link Broker#start()} then binds only a listener on 127.0.0.1 at a free port
         * ({@link Broker#localPort()}) for the application's own clients, and the client port, the gateway and
         * monitoring open at {@link Broker#acceptClients()}. The local listener has the same TLS and authentication as
         * the client port and stays open.
         */
        public Builder deferAcceptingClients(boolean b) { this.deferAcceptingClients = b; return this; }
        /**
         * Queue groups whose members each take their own publishers: a message goes to the member picked by its
         * publisher (the client connection; across a gateway link, the requester's reply inbox) rather than to a
         * random one, so one publisher's messages reach one member in publish order (as long as the group's
         * membership does not change). nats-server picks at random for every message; event-service's intake uses
         * this to take events of many connections in parallel without reordering any one of them.
         */
        public Builder orderedQueueGroups(java.util.Collection<String> groups) {
            this.orderedQueueGroups = java.util.Set.copyOf(groups);
            return this;
        }
        /**
         * Per-connection publish rate (messages, payload bytes per second; 0 = unlimited). Over it, the client is
         * not read until it is back under: a stall, never a drop or an error.
         */
        public Builder maxInRate(long msgsPerSecond, long bytesPerSecond) {
            this.maxInMsgsPerSecond = msgsPerSecond;
            this.maxInBytesPerSecond = bytesPerSecond;
            return this;
        }
        public Builder maxClosedClients(int n) { this.maxClosedClients = n; return this; }
        public Builder authenticator(Authenticator a) { this.authenticator = a; return this; }
        public Builder eventLoopThreads(int n) { this.eventLoopThreads = n; return this; }
        /** Use epoll when available (the default); false forces NIO, for comparisons and odd platforms. */
        public Builder preferNativeTransport(boolean b) { this.preferNativeTransport = b; return this; }
        public Builder listener(BrokerEventListener l) { this.listener = Objects.requireNonNull(l, "listener"); return this; }

        /** @throws IllegalArgumentException naming the first option that is out of range */
        public BrokerOptions build() {
            checkPort("port", port);
            if (httpPort != -1) checkPort("http_port", httpPort);
            if (maxPayload <= 0) throw bad("max_payload", maxPayload, "> 0");
            if (maxPayload > maxPending) throw new IllegalArgumentException(
                    "max_payload (" + maxPayload + ") cannot be higher than max_pending (" + maxPending + ")");
            if (maxControlLine < 16) throw bad("max_control_line", maxControlLine, ">= 16");
            if (maxConnections <= 0) throw bad("max_connections", maxConnections, "> 0");
            if (maxSubscriptions < 0) throw bad("max_subscriptions", maxSubscriptions, ">= 0 (0 = unlimited)");
            if (maxPendingAuth <= 0) throw bad("max_pending_auth", maxPendingAuth, "> 0");
            if (maxConnectionsPerUser < 0) throw bad("max_connections_per_user", maxConnectionsPerUser, ">= 0 (0 = unlimited)");
            if (maxSubscriptionMemory < 0) throw bad("max_subscription_memory", maxSubscriptionMemory, ">= 0 (0 = half the heap)");
            if (pingInterval.isNegative() || pingInterval.isZero()) throw bad("ping_interval", pingInterval, "> 0");
            if (pingMax < 0) throw bad("ping_max", pingMax, ">= 0");
            if (writeDeadline.isNegative() || writeDeadline.isZero()) throw bad("write_deadline", writeDeadline, "> 0");
            if (authTimeout.isNegative() || authTimeout.isZero()) throw bad("auth_timeout", authTimeout, "> 0");
            if (maxInMsgsPerSecond < 0) throw bad("max_in_msgs_per_second", maxInMsgsPerSecond, ">= 0 (0 = unlimited)");
            if (maxInBytesPerSecond < 0) throw bad("max_in_bytes_per_second", maxInBytesPerSecond, ">= 0 (0 = unlimited)");
            if (maxClosedClients < 0) throw bad("max_closed_clients", maxClosedClients, ">= 0");
            if (eventLoopThreads <= 0) throw bad("event loop threads", eventLoopThreads, "> 0");
            return new BrokerOptions(this);
        }

        private static void checkPort(String name, int p) {
            if (p < 0 || p > 65535) throw bad(name, p, "0..65535");
        }

        private static IllegalArgumentException bad(String name, Object value, String expected) {
            return new IllegalArgumentException(name + " is " + value + " (expected: " + expected + ")");
        }
    }
}
