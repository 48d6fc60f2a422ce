package dev.eventbus.service.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventbus.broker.Broker;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.service.EventService;
import dev.eventbus.service.HistoryParams;
import dev.eventbus.service.delivery.HttpDelivery;
import dev.eventbus.service.queue.History;
import dev.eventbus.service.queue.HistoryEvent;
import dev.eventbus.service.queue.HistoryQuery;
import io.micronaut.context.annotation.Context;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History over NATS, for any NATS client on the internal bus that is allowed to publish to these subjects
 * ({@code [[internal_messaging.clients]]}; event-gateway's link never carries them, so agents cannot):
 * <ul>
 *   <li>{@code $EVENTS.history}: a request with {@code {"since"|"from_seq", "type", "until", "limit"}} (all optional)
 *       is answered with one page, the JSON of {@code GET /v1/events};</li>
 *   <li>{@code $EVENTS.replay}: the same request; the events come as separate messages on the reply subject (the
 *       event JSON as accepted, headers {@code X-Eventbus-Seq} and {@code X-Eventbus-Replay: true}), then an end
 *       marker: header {@code X-Eventbus-Replay-End: true}, body
 *       {@code {"end":true,"count":N,"next_from_seq":M,"complete":true|false,"first_seq":F,"gap":false}}.</li>
 * </ul>
 * A bad request is answered {@code {"error":"…","reason":"bad_request"}} (on {@code $EVENTS.replay} with the end
 * header too).
 */
@Context
final class HistoryBus {
    static final String HISTORY = "$EVENTS.history";
    static final String REPLAY = "$EVENTS.replay";
    static final String END_HEADER = "X-Eventbus-Replay-End";
    private static final Logger log = LoggerFactory.getLogger(HistoryBus.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventService service;
    private final Connection nc;

    HistoryBus(EffectiveConfig cfg, Broker broker, EventService service) throws IOException, InterruptedException {
        this.service = service;
        this.nc = Nats.connect(ServiceFactory.internalClient(cfg, broker).connectionName("event-service history").build());
        nc.createDispatcher(this::onHistory).subscribe(HISTORY);
        nc.createDispatcher(this::onReplay).subscribe(REPLAY);
        log.info("event-service: history on NATS subjects {} and {}", HISTORY, REPLAY);
    }

    private void onHistory(Message m) {
        if (m.getReplyTo() == null) return;
        String answer;
        try {
            Request r = parse(m.getData());
            answer = HistoryJson.page(service.history().read(r.query, r.limit));
        } catch (IllegalArgumentException e) {
            answer = HistoryJson.error(ServiceController.BAD_REQUEST, e.getMessage());
        } catch (IOException e) {
            answer = HistoryJson.error("storage_unavailable", "reading history failed: " + e.getMessage());
        }
        publish(m.getReplyTo(), null, answer);
    }

    private void onReplay(Message m) {
        if (m.getReplyTo() == null) return;
        Headers end = new Headers().put(END_HEADER, "true");
        try {
            Request r = parse(m.getData());
            History.Page p = service.history().read(r.query, r.limit);
            for (HistoryEvent e : p.events()) {
                Headers h = new Headers().put(HttpDelivery.SEQ_HEADER, Long.toString(e.seq())).put(HttpDelivery.REPLAY_HEADER, "true");
                nc.publish(m.getReplyTo(), h, e.payload());
            }
            publish(m.getReplyTo(), end, HistoryJson.replayEnd(p));
        } catch (IllegalArgumentException e) {
            publish(m.getReplyTo(), end, HistoryJson.error(ServiceController.BAD_REQUEST, e.getMessage()));
        } catch (IOException e) {
            publish(m.getReplyTo(), end, HistoryJson.error("storage_unavailable", "reading history failed: " + e.getMessage()));
        }
    }

    private record Request(HistoryQuery query, int limit) {}

    private static Request parse(byte[] body) {
        JsonNode req;
        if (body == null || body.length == 0) {
            req = JSON.createObjectNode();
        } else {
            try {
                req = JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("the request must be a JSON object: " + e.getMessage());
            }
        }
        if (req == null || !req.isObject()) throw new IllegalArgumentException("the request must be a JSON object");
        JsonNode r = req;
        java.util.function.Function<String, String> param = n -> r.hasNonNull(n) ? r.get(n).asText() : null;
        return new Request(HistoryParams.query(param, Instant.now()), HistoryParams.limit(param));
    }

    private void publish(String subject, Headers headers, String body) {
        try {
            nc.publish(subject, headers, body.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalStateException closed) {
            log.debug("cannot answer on {}: {}", subject, closed.getMessage());
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        nc.close();
    }
}
