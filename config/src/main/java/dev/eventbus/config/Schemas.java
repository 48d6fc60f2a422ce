package dev.eventbus.config;

import java.util.List;

/**
 * The configuration schemas of eventbus's apps, built from blocks shared between them.
 *
 * <p>To add a block (a later {@code [gateway]}, {@code [auth]}, {@code [routes]}...): declare it here as a
 * {@code List<Key>}, add it to each app's schema below, and put its defaults in {@code <app>-defaults.toml} under
 * {@code src/main/resources/dev/eventbus/config/}. {@code SchemaDefaultsTest} fails until the bundled defaults file and
 * the schema defaults agree.
 */
public final class Schemas {
    private Schemas() {}

    /** An address as Chef Automate writes handler targets: {@code host:port} or {@code [v6]:port}. */
    private static final String ADDRESS = "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):[0-9]{1,5}";
    private static final String NON_EMPTY = ".*\\S.*";

    /** {@code [tls]}: the service certificate for mTLS between eventbus processes. */
    public static final List<Key> TLS = List.of(
            Key.path("tls.cert_path").doc("Service certificate (PEM); relative paths resolve against this file's folder"),
            Key.path("tls.key_path").doc("Private key of the service certificate (PEM)"),
            Key.path("tls.root_ca_path").doc("The internal CA: signs the service identities that open gateway links and the internal bus (certs init: ca.crt); never the agents' CA"));

    /** {@code [log]}: applies to every eventbus process ({@link LogSettings}). */
    public static final List<Key> LOG = List.of(
            Key.string("log.format").oneOf("text", "json").defaultValue("text")
                    .doc("text: nats-server style lines; json: one JSON object per line"),
            Key.string("log.level").oneOf("trace", "debug", "info", "warn", "error", "fatal", "panic")
                    .defaultValue("info").doc("Lowest level logged (fatal and panic log errors only, as logrus does)"));

    /** event-service {@code [service]}: the HTTP API and its limits. */
    public static final List<Key> EVENT_SERVICE_SERVICE = List.of(
            Key.string("service.host").pattern(NON_EMPTY, "a host name or address").defaultValue("127.0.0.1")
                    .doc("Address the HTTP API (POST /v1/events, GET /v1/events/stream, /healthz, /metrics) binds to; off loopback it needs api_token_file or api_mtls"),
            Key.port("service.port").defaultValue(10132).doc("HTTP API port"),
            Key.integer("service.event_limit").range(0, Integer.MAX_VALUE).defaultValue(100_000)
                    .doc("Accepted but undelivered events held (on disk) across handlers; at the limit publishes are refused, never blocked or dropped (0 refuses every publish)"),
            Key.integer("service.listener_limit").range(0, Integer.MAX_VALUE).defaultValue(100_000)
                    .doc("Concurrent listeners: NATS subscriptions on events.> subjects plus /v1/events/stream clients"),
            Key.path("service.api_token_file")
                    .doc("File holding the bearer token the HTTP API requires (Authorization: Bearer TOKEN) on everything but /healthz"),
            Key.bool("service.api_mtls").defaultValue(false)
                    .doc("Serve the HTTP API over TLS with the [tls] certificate and require client certificates signed by [tls] root_ca_path"),
            Key.integer("service.intake_connections").range(1, 32).defaultValue(3)
                    .doc("Connections taking events from the internal bus (each in queue group event-service); one failing never stops intake"),
            Key.duration("service.intake_probe_timeout").defaultValue("2s")
                    .doc("An intake connection that does not deliver its own liveness probe within this long is replaced (probed every half of it)"));

    /** event-service {@code [queue]}: the durable queue of accepted events. */
    public static final List<Key> QUEUE = List.of(
            Key.path("queue.data_dir").doc("Where the queue, acknowledgements and dead letters live (default: ./event-service-data)"),
            Key.string("queue.sync").oneOf("always", "interval").defaultValue("always")
                    .doc("always: fsync before acknowledging (nothing acknowledged is lost on a crash); interval: fsync every sync_interval (a power loss may lose that much)"),
            Key.duration("queue.sync_interval").defaultValue("1s").doc("fsync period when sync = \"interval\""),
            Key.integer("queue.max_event_bytes").range(256, 64 * 1024 * 1024).defaultValue(1024 * 1024)
                    .doc("Larger events are refused"),
            Key.duration("queue.dedup_window").defaultValue("2m").doc("A repeated event_id within this window is accepted once"),
            Key.integer("queue.segment_bytes").range(64 * 1024, 1024 * 1024 * 1024).defaultValue(64 * 1024 * 1024)
                    .doc("The event log rolls to a new segment file beyond this size; space is freed a delivered segment at a time"),
            Key.integer("queue.max_bytes").range(0, Long.MAX_VALUE).defaultValue(0)
                    .doc("Events that would grow the log's segment files past this many bytes are refused with storage_full "
                            + "(retryable) until deliveries free space; 0 = only a full disk refuses; else at least 2 × segment_bytes"));

    /** event-service {@code [delivery]}: retries and health. */
    public static final List<Key> DELIVERY = List.of(
            Key.integer("delivery.max_attempts").range(1, 1_000_000).defaultValue(10)
                    .doc("Attempts before an event goes to the dead-letter store"),
            Key.duration("delivery.retry_base_delay").defaultValue("200ms").doc("First retry delay (doubles, with jitter)"),
            Key.duration("delivery.retry_max_delay").defaultValue("30s").doc("Longest retry delay"),
            Key.duration("delivery.request_timeout").defaultValue("10s").doc("Timeout of one delivery"),
            Key.duration("delivery.unhealthy_after").defaultValue("1m")
                    .doc("/healthz turns unhealthy when a handler target has been failing this long"));

    /** event-service {@code [[routes]]}: event type to handler, over the built-in table of the ten seed types. */
    public static final List<Key> ROUTES = List.of(
            Key.tables("routes",
                            Key.string("type").pattern(NON_EMPTY, "an event type").required().doc("Event type"),
                            Key.string("handler").oneOf("feed", "cfgingest", "event_feed").required().doc("Handler"))
                    .doc("Extra or changed routes; the ten seed types are routed by default"));

    /** A handler target: Chef's host:port, an http(s) URL, or a NATS subject. */
    private static final String TARGET = "(nats:\\S+|https?://\\S+|" + ADDRESS + ")";

    /** event-service {@code [handlers]}: where events are delivered. */
    public static final List<Key> HANDLERS = List.of(
            Key.string("handlers.feed").pattern(TARGET, "host:port, an http(s) URL or nats:SUBJECT").defaultValue("127.0.0.1:10121")
                    .doc("compliance-service handler (the name is historical); host:port means POST http://host:port/events"),
            Key.string("handlers.cfgingest").pattern(TARGET, "host:port, an http(s) URL or nats:SUBJECT").defaultValue("127.0.0.1:10122")
                    .doc("ingest-service handler (cfgingest and nodeTerminated events)"),
            Key.string("handlers.event_feed").pattern(TARGET, "host:port, an http(s) URL or nats:SUBJECT").defaultValue("127.0.0.1:10134")
                    .doc("event-feed-service handler (event_feed, scan job and profile events)"));

    /** A certificate identity: a SAN (DNS, URI or IP) or the subject CN, e.g. {@code event-gateway}. */
    private static final String IDENTITY = "[^\\s,]+";

    /** A subject or wildcard pattern as NATS permissions take it. */
    private static final String SUBJECT = "[^\\s]+";

    /** event-service {@code [internal_messaging]}: the embedded broker, and who may use it. */
    public static final List<Key> INTERNAL_MESSAGING = List.of(
            Key.string("internal_messaging.host").pattern(NON_EMPTY, "a host name or address").defaultValue("127.0.0.1")
                    .doc("Address the internal NATS client port binds to"),
            Key.port("internal_messaging.port").defaultValue(10140).doc("Internal NATS client port (mTLS)"),
            Key.string("internal_messaging.gateway_host").pattern(NON_EMPTY, "a host name or address").defaultValue("127.0.0.1")
                    .doc("Address the gateway port binds to (another host's event-gateway needs a reachable address here)"),
            Key.port("internal_messaging.gateway_port").defaultValue(10147)
                    .doc("Gateway-protocol port event-gateway connects to"),
            Key.list("internal_messaging.gateway_peers", ValueType.STRING).pattern(IDENTITY, "a certificate identity (SAN or CN)")
                    .defaultValue(List.of("event-gateway"))
                    .doc("Certificate identities (SAN or CN, from [tls] root_ca_path) that may open a gateway link to event-service, and that event-gateway must prove when event-service dials it"),
            Key.list("internal_messaging.event_gateway_addresses", ValueType.STRING).pattern(ADDRESS, "an address host:port")
                    .defaultValue(List.of("127.0.0.1:10148"))
                    .doc("event-gateway's gateway listener (its service.gateway_host:gateway_port), the only addresses event-service dials; addresses a peer announces are never dialed"),
            Key.tables("internal_messaging.clients",
                            Key.string("identity").pattern(IDENTITY, "a certificate identity (SAN or CN)").required()
                                    .doc("Certificate identity (SAN or CN) of the client, from [tls] root_ca_path"),
                            Key.list("publish", ValueType.STRING).pattern(SUBJECT, "a subject").defaultValue(List.of())
                                    .doc("Subjects it may publish to (wildcards allowed; empty: none)"),
                            Key.list("subscribe", ValueType.STRING).pattern(SUBJECT, "a subject").defaultValue(List.of())
                                    .doc("Subjects it may subscribe to (wildcards allowed; empty: none)"))
                    .doc("Clients of the internal NATS port besides event-service itself, by certificate identity; any other certificate is refused"));

    /** event-gateway {@code [service]}: the external NATS endpoint. */
    public static final List<Key> EVENT_GATEWAY_SERVICE = List.of(
            Key.string("service.host").pattern(NON_EMPTY, "a host name or address").defaultValue("0.0.0.0")
                    .doc("Address the external NATS client port (agents) binds to"),
            Key.port("service.port").defaultValue(4222).doc("External NATS client port"),
            Key.string("service.gateway_host").pattern(NON_EMPTY, "a host name or address").defaultValue("127.0.0.1")
                    .doc("Address the gateway-protocol listener binds to (loopback: event-service on the same host)"),
            Key.port("service.gateway_port").defaultValue(10148).doc("Gateway-protocol port of event-gateway"),
            Key.bool("service.disable_frontend_tls").defaultValue(false)
                    .doc("Serve external clients in plain text instead of TLS"),
            Key.path("service.health_check_credentials_file")
                    .doc("Where the health-check token is written at start (0600)"),
            Key.path("service.agent_ca_path")
                    .doc("CA that signs agents' client certificates (certs init: agent-ca.crt); never the internal CA"),
            Key.string("service.client_certificates").oneOf("none", "optional", "required").defaultValue("optional")
                    .doc("External clients' certificates: not asked for, checked when presented, or required; always against service.agent_ca_path (optional without it: not asked for)"));

    /** event-gateway {@code [auth]}: how agents' tokens (JWTs) are verified. */
    public static final List<Key> AUTH = List.of(
            Key.path("auth.hs256_secret_file").doc("File holding the HS256 shared secret"),
            Key.list("auth.public_key_files", ValueType.PATH).defaultValue(List.of())
                    .doc("PEM public keys (RSA, EC, Ed25519) that may sign tokens"),
            Key.path("auth.jwks_file").doc("JWKS file of verification keys, re-read when it changes"),
            Key.string("auth.issuer").doc("Expected iss claim (unset: any)"),
            Key.string("auth.audience").doc("Expected aud claim (unset: any)"),
            Key.duration("auth.clock_skew").defaultValue("60s")
                    .doc("Tolerance for exp, nbf and iat"),
            Key.path("auth.revocation_file").doc("Revoked token ids (jti), one per line, re-read when it changes"),
            Key.integer("auth.max_token_bytes").range(256, 65536).defaultValue(8192)
                    .doc("Longer tokens are refused"),
            Key.list("auth.reserved_queue_groups", ValueType.STRING).defaultValue(List.of("event-service"))
                    .doc("Queue groups no agent may join, whatever its token grants (event-service consumes events in \"event-service\")"));

    /** event-gateway {@code [agent_limits]}: what one agent connection may take of the shared link to event-service. */
    public static final List<Key> AGENT_LIMITS = List.of(
            Key.integer("agent_limits.msgs_per_second").range(0, Integer.MAX_VALUE).defaultValue(1000)
                    .doc("Messages per second one agent connection may publish (0 = unlimited); over it the agent is not read until it is back under: a stall, never a drop"),
            Key.integer("agent_limits.bytes_per_second").range(0, Integer.MAX_VALUE).defaultValue(8 * 1024 * 1024)
                    .doc("Payload bytes per second one agent connection may publish (0 = unlimited)"),
            Key.integer("agent_limits.max_subscriptions").range(0, Integer.MAX_VALUE).defaultValue(1000)
                    .doc("Subscriptions one agent connection may hold (0 = unlimited); more are refused with -ERR 'maximum subscriptions exceeded'"),
            Key.integer("agent_limits.max_connections_per_agent").range(0, Integer.MAX_VALUE).defaultValue(10)
                    .doc("Connections one agent (token sub) may hold at once (0 = unlimited); one more is refused with -ERR 'maximum connections per user exceeded'"),
            Key.integer("agent_limits.max_connections").range(1, Integer.MAX_VALUE).defaultValue(10000)
                    .doc("Client connections event-gateway accepts in total, agents and health probe together; one more is refused with -ERR 'maximum connections exceeded'"));

    /** event-gateway {@code [monitor]}: the HTTP port for /healthz, /metrics and the broker's monitoring endpoints. */
    public static final List<Key> GATEWAY_MONITOR = List.of(
            Key.string("monitor.host").pattern(NON_EMPTY, "a host name or address").defaultValue("127.0.0.1")
                    .doc("Address the monitoring HTTP server binds to"),
            Key.port("monitor.port").defaultValue(10149).doc("Monitoring HTTP port (/healthz, /metrics, /varz, /connz, /gatewayz)"));

    /** event-gateway {@code [[frontend_tls]]}: external TLS certificates, chosen by SNI (first one by default). */
    public static final List<Key> FRONTEND_TLS = List.of(
            Key.tables("frontend_tls",
                            Key.string("server_name").pattern(NON_EMPTY, "a non-empty server name").required()
                                    .doc("Host name (SNI) this certificate serves"),
                            Key.path("cert_path").required().doc("Certificate chain (PEM)"),
                            Key.path("key_path").required().doc("Private key (PEM)"))
                    .doc("External TLS certificates; a later layer replaces the whole list"));

    /** event-gateway {@code [internal_event_service]}: the event-service gateway it federates with. */
    public static final List<Key> INTERNAL_EVENT_SERVICE = List.of(
            Key.string("internal_event_service.host").pattern(NON_EMPTY, "a host name or address")
                    .defaultValue("127.0.0.1").doc("Host of event-service's gateway port"),
            Key.port("internal_event_service.gateway_port").defaultValue(10147)
                    .doc("event-service's [internal_messaging] gateway_port"),
            Key.list("internal_event_service.peer_identities", ValueType.STRING)
                    .pattern(IDENTITY, "a certificate identity (SAN or CN)").defaultValue(List.of("event-service"))
                    .doc("Certificate identities (SAN or CN, from [tls] root_ca_path) that may open a gateway link to event-gateway"));

    public static final Schema EVENT_SERVICE =
            Schema.of("event-service", EVENT_SERVICE_SERVICE, TLS, LOG, HANDLERS, INTERNAL_MESSAGING, QUEUE, DELIVERY,
                    ROUTES);

    public static final Schema EVENT_GATEWAY =
            Schema.of("event-gateway", FRONTEND_TLS, EVENT_GATEWAY_SERVICE, TLS, LOG, INTERNAL_EVENT_SERVICE, AUTH,
                    AGENT_LIMITS, GATEWAY_MONITOR);
}
