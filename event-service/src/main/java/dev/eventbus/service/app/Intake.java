package dev.eventbus.service.app;

import dev.eventbus.broker.Broker;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.service.AcceptResult;
import dev.eventbus.service.EventService;
import io.micronaut.context.annotation.Context;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events published on {@code events.<type>} (on the internal bus, or by agents through event-gateway) go to the
 * pipeline; a publish with a reply subject is answered once the event is durably queued, or refused with the reason.
 * Also answers event-gateway's health probe.
 */
@Context
final class Intake {
    static final String SUBJECTS = "events.>";
    static final String QUEUE = "event-service";
    static final String HEALTH_SUBJECT = "healthcheck.event-service";
    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    private final EventService service;
    private final EventStream stream;
    private final Connection nc;

    Intake(EffectiveConfig cfg, Broker broker, EventService service, ServiceFactory.ListenerGate gate, EventStream stream)
            throws Exception {
        this.service = service;
        this.stream = stream;
        this.nc = Nats.connect(ServiceFactory.internalClient(cfg, broker).connectionName("event-service intake").build());
        gate.intakeCid = nc.getServerInfo().getClientId();
        // several dispatchers: accept() waits for the disk, so events are taken in parallel
        for (int i = 0; i < 4; i++) {
            Dispatcher d = nc.createDispatcher(this::onEvent);
            d.subscribe(SUBJECTS, QUEUE);
        }
        nc.createDispatcher(this::onHealth).subscribe(HEALTH_SUBJECT);
        nc.flush(java.time.Duration.ofSeconds(5));
        log.info("event-service: taking events on {} (queue group {})", SUBJECTS, QUEUE);
    }

    private void onEvent(Message m) {
        AcceptResult r = service.accept(m.getData());
        if (r.isAccepted() && !r.isDuplicate()) stream.published(m.getData());
        if (r.isRefused()) log.info("event refused on {}: {} {}", m.getSubject(), r.reason(), r.message());
        if (m.getReplyTo() != null) nc.publish(m.getReplyTo(), answer(r).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"accepted":true,"event_id":"…"}} or {@code {"accepted":false,"error":"…"}}, as the issue specifies. */
    static String answer(AcceptResult r) {
        if (r.isAccepted()) {
            return "{\"accepted\":true,\"event_id\":" + JsonText.quote(r.eventId()) + (r.isDuplicate() ? ",\"duplicate\":true" : "") + "}";
        }
        return "{\"accepted\":false,\"error\":" + JsonText.quote(r.message()) + ",\"reason\":" + JsonText.quote(r.reason().code()) + "}";
    }

    private void onHealth(Message m) {
        if (m.getReplyTo() == null) return;
        String body = service.health().isHealthy() ? "{\"status\":\"ok\"}" : "{\"status\":\"unhealthy\"}";
        nc.publish(m.getReplyTo(), body.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() throws InterruptedException {
        nc.close();
    }
}
