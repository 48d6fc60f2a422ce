package dev.eventbus.service.app;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.monitor.ConnzOptions;
import dev.eventbus.broker.monitor.MonitorException;
import dev.eventbus.broker.monitor.MonitorJson;
import dev.eventbus.broker.monitor.PrometheusMetrics;
import dev.eventbus.broker.monitor.QueryParams;
import dev.eventbus.broker.monitor.SubszOptions;
import dev.eventbus.service.AcceptResult;
import dev.eventbus.service.EventService;
import dev.eventbus.service.HealthState;
import dev.eventbus.service.RefusalReason;
import dev.eventbus.service.RoutingTable;
import dev.eventbus.service.ServiceStats;
import dev.eventbus.service.queue.RecoveryFinding;
import dev.eventbus.service.queue.RecoveryJournal;
import dev.eventbus.service.queue.RecoveryReport;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * event-service over HTTP: {@code POST /v1/events} (202, 400, 413, 415, or 429/503 with Retry-After), {@code /healthz},
 * {@code /metrics}, and the internal broker's monitoring endpoints with nats-server's JSON.
 */
@Controller
final class ServiceController {
    /** The reason code of a 415: not one of {@link RefusalReason}'s, since the service core never sees the request. */
    static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

    private final EventService service;
    private final Broker broker;
    private final PrometheusMetrics brokerMetrics;

    private final EventStream stream;
    private final DeliveryLatency latency;

    private final IntakeMetrics intake;

    ServiceController(EventService service, Broker broker, PrometheusMetrics brokerMetrics, EventStream stream,
                      DeliveryLatency latency, IntakeMetrics intake) {
        this.service = service;
        this.intake = intake;
        this.stream = stream;
        this.latency = latency;
        this.broker = broker;
        this.brokerMetrics = brokerMetrics;
    }

    /**
     * Only {@code application/json} (any parameters, such as a charset): a form or text/plain body is what a
     * browser can send cross-site without asking, and anything else is not an event. An empty body reaches the
     * validator (400 malformed_json) instead of the framework's "Required Body" error.
     */
    @Post(value = "/v1/events", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<String> publish(HttpRequest<?> request, @Body @Nullable byte[] body) {
        String type = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (!isJson(type)) {
            return HttpResponse.<String>status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(Intake.refusal(UNSUPPORTED_MEDIA_TYPE,
                    type == null ? "no Content-Type: send the event as application/json"
                            : "Content-Type " + type + " is not accepted: send the event as application/json"));
        }
        AcceptResult r = service.accept(body == null ? new byte[0] : body);
        String json = Intake.answer(r);
        if (r.isAccepted() && !r.isDuplicate()) stream.published(body);
        if (r.isAccepted()) return HttpResponse.<String>status(HttpStatus.ACCEPTED).body(json);
        RefusalReason reason = r.reason();
        if (reason == RefusalReason.TOO_LARGE) return HttpResponse.<String>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(json);
        // storage_full is a 503 too, not WebDAV's 507: clients and proxies retry a 503 with Retry-After, and it clears by itself
        if (reason.retryable()) {
            HttpStatus status = reason == RefusalReason.EVENT_LIMIT ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE;
            return HttpResponse.<String>status(status).header("Retry-After", "1").body(json);
        }
        return HttpResponse.<String>badRequest(json);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        int semicolon = contentType.indexOf(';');
        String bare = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return bare.equalsIgnoreCase(MediaType.APPLICATION_JSON);
    }

    /**
     * A body over {@code micronaut.server.max-request-size} (max_event_bytes plus some slack) is cut off by the
     * framework before it reaches {@link #publish}; answer it like any other refusal, with the reason.
     */
    @Error(exception = ContentLengthExceededException.class)
    HttpResponse<String> tooLarge(ContentLengthExceededException e) {
        return HttpResponse.<String>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(Intake.refusal(RefusalReason.TOO_LARGE.code(), "event is larger than the limit of "
                        + service.options().maxEventBytes() + " bytes"));
    }

    /**
     * Server-sent events: every event accepted from now on. Counts against listener_limit for as long as it is
     * open; one stream over the limit is refused with 429 and the reason.
     */
    @Get(value = "/v1/events/stream", produces = MediaType.TEXT_EVENT_STREAM)
    HttpResponse<?> streamEvents() {
        var limiter = service.listeners();
        if (!limiter.tryAcquire()) {
            return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.TEXT_PLAIN_TYPE).body(limiter.refusalMessage());
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        // a first "ready" event puts the response on the wire at once, before any event is accepted
        var ready = reactor.core.publisher.Flux.just(io.micronaut.http.sse.Event.of("{\"listening\":true}").name("ready"));
        return HttpResponse.ok(ready.concatWith(stream.flux().map(io.micronaut.http.sse.Event::of))
                .doFinally(signal -> {
                    if (released.compareAndSet(false, true)) limiter.release();
                }));
    }

    /**
     * 200 with {@code "status":"ok"}, 200 with {@code "degraded"} (it works, but an operator must look: unacknowledged
     * recovery findings, listed under {@code recovery}), or 503 with {@code "unhealthy"}; {@code reasons} whenever it
     * is not ok.
     */
    @Get(value = "/healthz", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> healthz() {
        HealthState.Status s = service.health().status();
        StringBuilder b = new StringBuilder("{\"status\":").append(JsonText.quote(s.state()));
        b.append(",\"pending\":").append(service.pending()).append(",\"handlers\":{");
        boolean first = true;
        for (var e : s.handlers().entrySet()) {
            if (!first) b.append(',');
            first = false;
            HealthState.HandlerStatus h = e.getValue();
            b.append(JsonText.quote(e.getKey())).append(":{\"healthy\":").append(h.healthy())
                    .append(",\"failing_for_seconds\":").append(h.failingFor().toSeconds())
                    .append(",\"last_error\":").append(JsonText.quote(h.lastError())).append('}');
        }
        b.append("}");
        // why it is unhealthy or degraded, one sentence per cause (storage, a failing handler, intake connections down)
        if (!s.state().equals("ok")) b.append(",\"reasons\":").append(JsonText.array(s.reasons()));
        var open = service.recoveryFindings().stream().filter(e -> !e.acknowledged()).toList();
        if (!open.isEmpty()) {
            b.append(",\"recovery\":[");
            for (int i = 0; i < open.size(); i++) b.append(i > 0 ? "," : "").append(RecoveryJournal.toJson(open.get(i)));
            b.append(']');
        }
        b.append('}');
        return s.healthy() ? HttpResponse.ok(b.toString()) : HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE).body(b.toString());
    }

    /**
     * The handler backlog in the shape the audit's EVENTBUS_001 check reads, and what the queue's recovery found at
     * start (so {@code audit capture} carries it into support archives).
     */
    @Get(value = "/handlerz", produces = MediaType.APPLICATION_JSON)
    String handlerz() {
        StringBuilder b = new StringBuilder("{\"handlers\":[");
        String[] handlers = {RoutingTable.FEED, RoutingTable.CFGINGEST, RoutingTable.EVENT_FEED};
        for (int i = 0; i < handlers.length; i++) {
            if (i > 0) b.append(',');
            b.append("{\"name\":").append(JsonText.quote(handlers[i])).append(",\"pending\":").append(service.pending(handlers[i]))
                    .append(",\"pending_limit\":").append(service.options().eventLimit()).append('}');
        }
        b.append("],\"recovery\":");
        RecoveryReport r = service.recovery();
        b.append("{\"segments\":").append(r.segments()).append(",\"records\":").append(r.records())
                .append(",\"pending_events\":").append(r.pendingEvents())
                .append(",\"truncated_bytes\":").append(r.truncatedBytes())
                .append(",\"quarantined_bytes\":").append(r.quarantinedBytes())
                .append(",\"skipped_records\":").append(r.skippedRecords())
                .append(",\"took_ms\":").append(r.took().toMillis()).append(",\"findings\":[");
        List<RecoveryJournal.Entry> entries = service.recoveryFindings();
        for (int i = 0; i < entries.size(); i++) b.append(i > 0 ? "," : "").append(RecoveryJournal.toJson(entries.get(i)));
        return b.append("]}}").toString();
    }

    @Get(value = "/metrics", produces = "text/plain; version=0.0.4")
    String metrics() {
        ServiceStats st = service.stats();
        return brokerMetrics.render(broker.monitorSource(), w -> {
            w.family("eventbus_events_accepted_total", "counter", "Events durably queued")
                    .sample("eventbus_events_accepted_total", Map.of(), st.accepted());
            w.family("eventbus_queue_fsyncs_total", "counter", "fsyncs of the queue log (each covers every event appended meanwhile)")
                    .sample("eventbus_queue_fsyncs_total", Map.of(), service.queueSyncs());
            w.family("eventbus_events_refused_total", "counter", "Events refused, by reason");
            st.refused().forEach((reason, n) -> w.sample("eventbus_events_refused_total", Map.of("reason", reason.code()), n));
            w.family("eventbus_events_pending", "gauge", "Accepted events not yet delivered, by handler");
            w.family("eventbus_events_delivered_total", "counter", "Deliveries, by handler");
            w.family("eventbus_events_retries_total", "counter", "Delivery retries, by handler");
            w.family("eventbus_events_dead_lettered_total", "counter", "Events moved to the dead-letter store, by handler");
            w.family("eventbus_event_delivery_seconds", "summary", "Publish-to-delivery time, by handler");
            for (String h : new String[] {RoutingTable.FEED, RoutingTable.CFGINGEST, RoutingTable.EVENT_FEED}) {
                Map<String, String> l = Map.of("handler", h);
                w.sample("eventbus_events_pending", l, service.pending(h));
                w.sample("eventbus_events_delivered_total", l, st.delivered(h));
                w.sample("eventbus_events_retries_total", l, st.retries(h));
                w.sample("eventbus_events_dead_lettered_total", l, st.deadLettered(h));
                w.sample("eventbus_event_delivery_seconds_sum", l, latency.seconds(h));
                w.sample("eventbus_event_delivery_seconds_count", l, latency.count(h));
            }
            w.family("eventbus_listeners", "gauge", "Listeners counted against listener_limit")
                    .sample("eventbus_listeners", Map.of(), service.listeners().inUse());
            w.family("eventbus_queue_bytes", "gauge", "Bytes of event log on disk (what queue.max_bytes limits)")
                    .sample("eventbus_queue_bytes", Map.of(), service.queueDiskBytes());
            w.family("eventbus_queue_ack_write_failures_total", "counter",
                    "Ack-offset writes that failed (each costs a re-delivery after a restart)")
                    .sample("eventbus_queue_ack_write_failures_total", Map.of(), service.queueAckWriteFailures());
            recoveryMetrics(w);
            intake.render(w);
        });
    }

    /** What the queue's recovery found at this start; the unacknowledged gauge also counts earlier starts' findings. */
    private void recoveryMetrics(PrometheusMetrics.Writer w) {
        RecoveryReport r = service.recovery();
        gauge(w, "eventbus_queue_recovery_truncated_bytes", "Bytes of torn tail cut at start (an interrupted write)",
                r.truncatedBytes());
        gauge(w, "eventbus_queue_recovery_quarantined_bytes", "Damaged log bytes skipped and copied to quarantine at start",
                r.quarantinedBytes());
        gauge(w, "eventbus_queue_recovery_skipped_records", "Records lost to damage or missing segments found at start",
                r.skippedRecords());
        w.family("eventbus_queue_recovery_problems", "gauge", "Recovery findings at start, by kind");
        for (RecoveryFinding.Kind k : RecoveryFinding.Kind.values()) {
            w.sample("eventbus_queue_recovery_problems", Map.of("kind", k.code()),
                    r.findings().stream().filter(f -> f.kind() == k).count());
        }
        gauge(w, "eventbus_queue_recovery_unacknowledged", "Recovery findings an operator has not acknowledged yet",
                service.recoveryFindings().stream().filter(e -> !e.acknowledged()).count());
    }

    private static void gauge(PrometheusMetrics.Writer w, String name, String help, long value) {
        w.family(name, "gauge", help).sample(name, Map.of(), value);
    }

    @Get(value = "/varz", produces = MediaType.APPLICATION_JSON)
    String varz() { return MonitorJson.varz(broker.monitor().varz()); }

    @Get(value = "/connz", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> connz(HttpRequest<?> req) {
        return query(req, q -> MonitorJson.connz(broker.monitor().connz(ConnzOptions.fromQuery(q))));
    }

    @Get(value = "/subsz", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> subsz(HttpRequest<?> req) {
        return query(req, q -> MonitorJson.subsz(broker.monitor().subsz(SubszOptions.fromQuery(q))));
    }

    @Get(value = "/gatewayz", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> gatewayz(HttpRequest<?> req) { return query(req, broker.monitor()::gatewayzJson); }

    private static HttpResponse<String> query(HttpRequest<?> req, Function<QueryParams, String> f) {
        try {
            return HttpResponse.ok(f.apply(QueryParams.parse(req.getUri().getRawQuery())));
        } catch (MonitorException e) {
            return HttpResponse.<String>badRequest(e.getMessage()).contentType(MediaType.TEXT_PLAIN_TYPE);
        }
    }
}
