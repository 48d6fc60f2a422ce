package dev.eventbus.service;

import java.util.Map;

/**
 * How a {@code nats:SUBJECT} handler publishes. {@link #publish} must return only once the NATS server has the
 * message (for jnats: publish, then flush), and throw when that cannot be confirmed; the handler then retries.
 * Throw {@link IllegalArgumentException} for a message the server can never take (for example over its
 * max_payload): that counts as a rejection and leads to the dead-letter store after maxAttempts.
 * {@link dev.eventbus.service.delivery.JnatsPublisher} is the jnats implementation.
 */
@FunctionalInterface
public interface NatsPublisher {
    /**
     * @param headers {@code Nats-Msg-Id} = event_id (JetStream deduplicates on it) and {@code Eventbus-Event-Type}
     */
    void publish(String subject, Map<String, String> headers, byte[] payload) throws Exception;
}
