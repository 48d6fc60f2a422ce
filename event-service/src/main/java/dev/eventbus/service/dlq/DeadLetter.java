package dev.eventbus.service.dlq;

import java.time.Instant;

/**
 * One event a handler gave up on.
 *
 * @param id             {@code HANDLER-POSITION}, unique in the data directory
 * @param target         where the handler delivered (URL or nats:SUBJECT)
 * @param attempts       delivery attempts the target answered and refused
 * @param lastError      the last refusal (for example {@code POST http://…: HTTP 422 bad field})
 * @param acceptedAt     when the event was accepted (or last replayed)
 * @param logPosition    where the event was in the queue log
 * @param payloadBytes   size of the stored event JSON
 * @param state          DEAD, or REPLAY_REQUESTED by the CLI and not yet picked up by the running service
 */
public record DeadLetter(String id, String handler, String eventId, String type, String target, int attempts,
                         String lastError, Instant acceptedAt, Instant deadLetteredAt, long logPosition,
                         int payloadBytes, State state) {
    public enum State { DEAD, REPLAY_REQUESTED }
}
