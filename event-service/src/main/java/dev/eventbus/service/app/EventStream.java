package dev.eventbus.service.app;

import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A live tap of accepted events for {@code GET /v1/events/stream} listeners. Best effort per listener: a listener
 * that cannot keep up misses events here (delivery to handlers is what the durable queue guarantees).
 */
@Singleton
final class EventStream {
    private final Sinks.Many<String> sink = Sinks.many().multicast().directBestEffort();

    void published(byte[] json) {
        if (sink.currentSubscriberCount() > 0) sink.tryEmitNext(new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }

    Flux<String> flux() { return sink.asFlux(); }
}
