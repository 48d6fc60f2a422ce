package dev.eventbus.broker.server;

/** Why a connection closed; {@link #toString()} is the text /connz shows, as nats-server's ClosedState. */
public enum ClosedState {
    CLIENT_CLOSED("Client Closed"),
    AUTHENTICATION_TIMEOUT("Authentication Timeout"),
    AUTHENTICATION_VIOLATION("Authentication Failure"),
    AUTHENTICATION_EXPIRED("Authentication Expired"),
    REVOCATION("Credentials Revoked"),
    TLS_HANDSHAKE_ERROR("TLS Handshake Failure"),
    SLOW_CONSUMER_PENDING_BYTES("Slow Consumer (Pending Bytes)"),
    SLOW_CONSUMER_WRITE_DEADLINE("Slow Consumer (Write Deadline)"),
    WRITE_ERROR("Write Error"),
    READ_ERROR("Read Error"),
    PARSE_ERROR("Parse Error"),
    STALE_CONNECTION("Stale Connection"),
    PROTOCOL_VIOLATION("Protocol Violation"),
    BAD_CLIENT_PROTOCOL_VERSION("Bad Client Protocol Version"),
    MAX_CONNECTIONS_EXCEEDED("Maximum Connections Exceeded"),
    MAX_PAYLOAD_EXCEEDED("Maximum Message Payload Exceeded"),
    MAX_CONTROL_LINE_EXCEEDED("Maximum Control Line Exceeded"),
    SERVER_SHUTDOWN("Server Shutdown"),
    WRONG_GATEWAY("Wrong Gateway"),
    MSG_HEADER_VIOLATION("Message Header Violation"),
    NO_RESPONDERS_REQUIRES_HEADERS("No Responders Requires Headers");

    private final String text;

    ClosedState(String text) { this.text = text; }

    @Override
    public String toString() { return text; }
}
