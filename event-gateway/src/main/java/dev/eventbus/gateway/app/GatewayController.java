package dev.eventbus.gateway.app;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.monitor.ConnzOptions;
import dev.eventbus.broker.monitor.Monitor;
import dev.eventbus.broker.monitor.MonitorException;
import dev.eventbus.broker.monitor.MonitorJson;
import dev.eventbus.broker.monitor.PrometheusMetrics;
import dev.eventbus.broker.monitor.QueryParams;
import dev.eventbus.broker.monitor.SubszOptions;
import dev.eventbus.gateway.auth.AuthAudit;
import dev.eventbus.gateway.auth.CountingAuthMetrics;
import dev.eventbus.gateway.auth.Reason;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Map;
import java.util.function.Function;

/**
 * event-gateway's HTTP face on the [monitor] port: {@code /healthz} (a real request/reply to event-service),
 * {@code /metrics} (Prometheus), and the broker's monitoring endpoints with nats-server's JSON.
 */
@Controller
final class GatewayController {
    private final Broker broker;
    private final Monitor monitor;
    private final HealthProbe probe;
    private final PrometheusMetrics metrics;
    private final CountingAuthMetrics auth;
    private final AuthAudit audit;

    GatewayController(Broker broker, HealthProbe probe, PrometheusMetrics metrics, CountingAuthMetrics auth, AuthAudit audit) {
        this.broker = broker;
        this.monitor = broker.monitor();
        this.probe = probe;
        this.metrics = metrics;
        this.auth = auth;
        this.audit = audit;
    }

    @Get("/healthz")
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<String> healthz() {
        HealthProbe.Result r = probe.check();
        if (r.ok()) {
            return HttpResponse.ok("{\"status\":\"ok\",\"event_service\":\"ok\",\"rtt_us\":" + r.rttMicros() + "}")
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        return HttpResponse.<String>status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
                .body("{\"status\":\"unavailable\",\"error\":" + dev.eventbus.broker.json.JsonWriter.quote(r.detail()) + "}")
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Get(value = "/metrics", produces = "text/plain; version=0.0.4")
    String metrics() {
        return metrics.render(broker.monitorSource(), w -> {
            w.family("eventbus_gateway_auth_successes_total", "counter", "Agents authenticated with a valid token")
                    .sample("eventbus_gateway_auth_successes_total", Map.of(), auth.successes());
            w.family("eventbus_gateway_auth_refused_total", "counter", "Agents refused, by reason");
            for (Reason reason : Reason.values()) {
                w.sample("eventbus_gateway_auth_refused_total", Map.of("reason", reason.name().toLowerCase()), auth.failures(reason));
            }
            w.family("eventbus_gateway_health_checks_total", "counter", "Connections of the health-check identity")
                    .sample("eventbus_gateway_health_checks_total", Map.of(), auth.healthChecks());
            counter(w, "eventbus_gateway_permission_violations_total",
                    "Publishes, reply subjects and subscriptions refused as outside the agent's grant", auth.permissionViolations());
            counter(w, "eventbus_gateway_reserved_queue_refusals_total",
                    "Subscriptions refused because they joined a reserved queue group", auth.reservedQueueRefusals());
            counter(w, "eventbus_gateway_token_expiries_total", "Connections closed because their token expired", auth.expiries());
            counter(w, "eventbus_gateway_token_revocations_total", "Connections closed because their token was revoked", auth.revocations());
        });
    }

    private static void counter(PrometheusMetrics.Writer w, String name, String help, long value) {
        w.family(name, "counter", help).sample(name, Map.of(), value);
    }

    /** The auth audit trail: recent refusals, permission violations, expiries and revocations, by agent and reason. */
    @Get(value = "/authz", produces = MediaType.APPLICATION_JSON)
    String authz() { return audit.toJson(); }

    @Get(value = "/varz", produces = MediaType.APPLICATION_JSON)
    String varz() { return MonitorJson.varz(monitor.varz()); }

    @Get(value = "/connz", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> connz(HttpRequest<?> req) {
        return query(req, q -> MonitorJson.connz(monitor.connz(ConnzOptions.fromQuery(q))));
    }

    @Get(value = "/subsz", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> subsz(HttpRequest<?> req) {
        return query(req, q -> MonitorJson.subsz(monitor.subsz(SubszOptions.fromQuery(q))));
    }

    @Get(value = "/gatewayz", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> gatewayz(HttpRequest<?> req) {
        return query(req, monitor::gatewayzJson);
    }

    /** nats-server answers bad query values with 400 and a plain-text reason; so do we. */
    private static HttpResponse<String> query(HttpRequest<?> req, Function<QueryParams, String> f) {
        String raw = req.getUri().getRawQuery();
        try {
            return HttpResponse.ok(f.apply(QueryParams.parse(raw)));
        } catch (MonitorException e) {
            return HttpResponse.<String>badRequest(e.getMessage()).contentType(MediaType.TEXT_PLAIN_TYPE);
        }
    }

}
