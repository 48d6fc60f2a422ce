package dev.eventbus.broker.auth;

/**
 * The authentication SPI. Implementations must be thread-safe and fast: they run on the event loop of the
 * connection that sent CONNECT. The refusal reason is for logs and metrics only; a client is only ever told
 * {@code Authorization Violation}, as nats-server does.
 */
@FunctionalInterface
public interface Authenticator {
    AuthResult authenticate(ClientAuthentication client);
}
