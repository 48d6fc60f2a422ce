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
            Key.path("tls.root_ca_path").doc("Root CA that signs eventbus service certificates (PEM, first block used)"));

    /** {@code [log]}: applies to every eventbus process ({@link LogSettings}). */
    public static final List<Key> LOG = List.of(
            Key.string("log.format").oneOf("text", "json").defaultValue("text")
                    .doc("text: nats-server style lines; json: one JSON object per line"),
            Key.string("log.level").oneOf("trace", "debug", "info", "warn", "error", "fatal", "panic")
                    .defaultValue("info").doc("Lowest level logged (fatal and panic log errors only, as logrus does)"));

    /** event-service {@code [service]}: the gRPC API and its publish queue. */
    public static final List<Key> EVENT_SERVICE_SERVICE = List.of(
            Key.string("service.host").pattern(NON_EMPTY, "a host name or address").defaultValue("127.0.0.1")
                    .doc("Address the gRPC API binds to (Chef Automate: localhost only)"),
            Key.port("service.port").defaultValue(10132).doc("gRPC API port"),
            Key.integer("service.event_limit").range(0, Integer.MAX_VALUE).defaultValue(100_000)
                    .doc("Capacity of the in-memory publish queue; Publish waits while it is full (0: hand-off)"),
            Key.integer("service.listener_limit").range(0, Integer.MAX_VALUE).defaultValue(100_000)
                    .doc("Kept for compatibility: Chef Automate reads it but never enforces it"));

    /** event-service {@code [handlers]}: where events are delivered. */
    public static final List<Key> HANDLERS = List.of(
            Key.string("handlers.feed").pattern(ADDRESS, "an address host:port").defaultValue("127.0.0.1:10121")
                    .doc("compliance-service handler (the name is historical)"),
            Key.string("handlers.cfgingest").pattern(ADDRESS, "an address host:port").defaultValue("127.0.0.1:10122")
                    .doc("ingest-service handler (nodeTerminated events)"),
            Key.string("handlers.event_feed").pattern(ADDRESS, "an address host:port").defaultValue("127.0.0.1:10134")
                    .doc("event-feed-service handler (scan job and profile events)"));

    /** event-service {@code [internal_messaging]}: the embedded broker. */
    public static final List<Key> INTERNAL_MESSAGING = List.of(
            Key.port("internal_messaging.port").defaultValue(10140).doc("Internal NATS client port (mTLS)"),
            Key.port("internal_messaging.gateway_port").defaultValue(10147)
                    .doc("Gateway-protocol port event-gateway connects to"));

    /** event-gateway {@code [service]}: the external NATS endpoint. */
    public static final List<Key> EVENT_GATEWAY_SERVICE = List.of(
            Key.string("service.host").pattern(NON_EMPTY, "a host name or address").defaultValue("0.0.0.0")
                    .doc("Address the gateway-protocol listener binds to (the client port binds all interfaces)"),
            Key.port("service.port").defaultValue(4222).doc("External NATS client port"),
            Key.port("service.gateway_port").defaultValue(10148).doc("Gateway-protocol port of event-gateway"),
            Key.bool("service.disable_frontend_tls").defaultValue(false)
                    .doc("Serve external clients in plain text instead of TLS"),
            Key.path("service.health_check_credentials_file")
                    .doc("Where the health-check token is written at start (0600)"),
            Key.string("service.client_certificates").oneOf("none", "optional", "required").defaultValue("optional")
                    .doc("External clients' certificates: not asked for, checked when presented (against [tls] root_ca_path), or required"));

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
                    .doc("Longer tokens are refused"));

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
                    .doc("event-service's [internal_messaging] gateway_port"));

    public static final Schema EVENT_SERVICE =
            Schema.of("event-service", EVENT_SERVICE_SERVICE, TLS, LOG, HANDLERS, INTERNAL_MESSAGING);

    public static final Schema EVENT_GATEWAY =
            Schema.of("event-gateway", FRONTEND_TLS, EVENT_GATEWAY_SERVICE, TLS, LOG, INTERNAL_EVENT_SERVICE, AUTH,
                    GATEWAY_MONITOR);
}
