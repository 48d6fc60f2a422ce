package dev.eventbus.broker.protocol;

/** What the parser can find wrong; the connection decides what the client is told. */
public enum ParseError {
    /** Bad op bytes, missing separator, payload not followed by CRLF: {@code -ERR 'Unknown Protocol Operation'}. */
    UNKNOWN_OPERATION,
    /** Arguments longer than max_control_line: {@code -ERR 'maximum control line exceeded'}. */
    MAX_CONTROL_LINE,
    /** Auth is required and the first operation is not CONNECT: {@code -ERR 'Authorization Violation'}. */
    AUTHORIZATION_VIOLATION,
    /** Wrong argument count or a bad size: nats-server closes without a word. */
    BAD_ARGUMENTS
}
