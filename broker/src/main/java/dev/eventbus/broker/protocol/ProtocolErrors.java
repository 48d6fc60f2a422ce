package dev.eventbus.broker.protocol;

/** nats-server's exact {@code -ERR} texts (errors.go, client.go); clients pattern-match them, so never reword. */
public final class ProtocolErrors {
    private ProtocolErrors() {}

    public static final String UNKNOWN_PROTOCOL_OPERATION = "Unknown Protocol Operation";
    public static final String AUTHORIZATION_VIOLATION = "Authorization Violation";
    public static final String AUTHENTICATION_TIMEOUT = "Authentication Timeout";
    public static final String AUTHENTICATION_EXPIRED = "User Authentication Expired";
    public static final String AUTHENTICATION_REVOKED = "User Authentication Revoked";
    public static final String MAX_PAYLOAD_VIOLATION = "Maximum Payload Violation";
    public static final String MAX_CONTROL_LINE = "maximum control line exceeded";
    public static final String MAX_CONNECTIONS = "maximum connections exceeded";
    public static final String INVALID_CLIENT_PROTOCOL = "invalid client protocol";
    public static final String NO_RESPONDERS_REQUIRES_HEADERS = "no responders requires headers support";
    public static final String STALE_CONNECTION = "Stale Connection";
    public static final String INVALID_PUBLISH_SUBJECT = "Invalid Publish Subject";
    public static final String INVALID_SUBJECT = "Invalid Subject";
    public static final String SLOW_CONSUMER = "Slow Consumer";
    /** Ours (nats-server limits connections per account: "maximum account active connections exceeded"). */
    public static final String MAX_CONNECTIONS_PER_USER = "maximum connections per user exceeded";
    public static final String MAX_SUBSCRIPTIONS = "maximum subscriptions exceeded";
    /**
     * Ours (nats-server has no such limit): max_pending_auth reached at accept. It starts with nats-server's
     * max_connections text so that clients back off and retry as they do for that.
     */
    public static final String MAX_PENDING_AUTH = "maximum connections exceeded: too many connections not yet authenticated";

    /** Ours (nats-server does not check header blocks): the HPUB's header block is malformed. */
    public static String headerViolation(String why) {
        return "Message Header Violation: " + why;
    }

    public static String publishViolation(String subject) {
        return "Permissions Violation for Publish to " + GoQuote.quote(subject);
    }

    public static String publishReplyViolation(String reply) {
        return "Permissions Violation for Publish with Reply of " + GoQuote.quote(reply);
    }

    public static String subscribeViolation(String subject, String queue) {
        String s = "Permissions Violation for Subscription to " + GoQuote.quote(subject);
        return queue == null ? s : s + " using queue " + GoQuote.quote(queue);
    }

    /** The wire form: {@code -ERR '<text>'\r\n}. */
    public static String line(String text) {
        return "-ERR '" + text + "'\r\n";
    }
}
