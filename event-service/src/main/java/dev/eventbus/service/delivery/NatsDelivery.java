package dev.eventbus.service.delivery;

import dev.eventbus.service.NatsPublisher;
import dev.eventbus.service.queue.QueuedEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes the event JSON unchanged to a NATS subject through a {@link NatsPublisher}, with the headers
 * {@code Nats-Msg-Id} (the event_id), {@code Eventbus-Event-Type} and {@code X-Eventbus-Seq}; a replayed event carries
 * {@code X-Eventbus-Replay: true} and no {@code Nats-Msg-Id}, because a replay is asked for on purpose and a JetStream
 * stream's duplicate window would otherwise swallow it.
 */
public final class NatsDelivery implements Delivery {
    private final String subject;
    private final NatsPublisher publisher;

    public NatsDelivery(String subject, NatsPublisher publisher) {
        this.subject = Objects.requireNonNull(subject, "subject");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    @Override
    public DeliveryResult deliver(QueuedEvent event, int attempt) throws InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!event.replay()) headers.put("Nats-Msg-Id", event.eventId());
        headers.put("Eventbus-Event-Type", event.type());
        headers.put(HttpDelivery.SEQ_HEADER, Long.toString(event.seq()));
        if (event.replay()) headers.put(HttpDelivery.REPLAY_HEADER, "true");
        try {
            publisher.publish(subject, headers, event.payload());
            return DeliveryResult.delivered();
        } catch (InterruptedException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            return DeliveryResult.rejected("nats:" + subject + ": " + e.getMessage());
        } catch (Exception e) {
            return DeliveryResult.unavailable("nats:" + subject + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    @Override
    public String describe() { return "nats:" + subject; }
}
