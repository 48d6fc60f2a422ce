package dev.eventbus.broker.monitor;

/**
 * /healthz (nats-server's {@code HealthStatus}): {@code {"status":"ok"}} with HTTP 200, or a status and error with
 * HTTP 503.
 *
 * @param error null when healthy
 */
public record Healthz(String status, String error) {
    public static final Healthz OK = new Healthz("ok", null);

    public boolean ok() { return error == null; }
}
