package dev.eventbus.gateway.app;

import dev.eventbus.broker.Broker;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.gateway.auth.AgentInbox;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A real request/reply through our own agent port and the gateway link to event-service, as the health-check
 * identity (publishing {@code healthcheck.>}, answered on its private inbox {@value AgentInbox#HEALTH_CHECK_PREFIX}):
 * if it is answered, the whole path works.
 */
@Singleton
public class HealthProbe {
    /** event-service answers this subject; the gateway link carries the request and the reply. */
    public static final String SUBJECT = "healthcheck.event-service";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Broker broker;
    private final EffectiveConfig cfg;
    private final GatewayBrokerFactory.HealthCheckToken token;
    private volatile Connection connection;

    HealthProbe(Broker broker, EffectiveConfig cfg, GatewayBrokerFactory.HealthCheckToken token) {
        this.broker = broker;
        this.cfg = cfg;
        this.token = token;
    }

    public record Result(boolean ok, String detail, long rttMicros) {}

    public synchronized Result check() {
        long start = System.nanoTime();
        try {
            Connection c = connection();
            Message m = c.request(SUBJECT, "ping".getBytes(StandardCharsets.UTF_8), TIMEOUT);
            if (m == null) return new Result(false, "no answer from event-service within " + TIMEOUT.toSeconds() + "s", 0);
            if (m.isStatusMessage()) return new Result(false, "event-service is not reachable through the gateway link (no responders)", 0);
            String body = new String(m.getData(), StandardCharsets.UTF_8);
            // reachable is not enough: event-service says whether it takes and delivers events, and why not
            if (!body.contains("\"status\":\"ok\"")) return new Result(false, "event-service reports: " + body, 0);
            return new Result(true, body, (System.nanoTime() - start) / 1000);
        } catch (Exception e) {
            closeQuietly();
            return new Result(false, e.getClass().getSimpleName() + ": " + e.getMessage(), 0);
        }
    }

    private Connection connection() throws Exception {
        Connection c = connection;
        if (c != null && c.getStatus() == Connection.Status.CONNECTED) return c;
        closeQuietly();
        boolean tls = !cfg.getBoolean("service.disable_frontend_tls");
        Options.Builder o = new Options.Builder()
                .server((tls ? "tls://localhost:" : "nats://127.0.0.1:") + broker.port())
                .token(token.value().toCharArray())
                // its grant receives only on its private inbox, so nobody else reads the probe's answers
                .inboxPrefix(AgentInbox.HEALTH_CHECK_PREFIX)
                .connectionTimeout(TIMEOUT)
                .maxReconnects(0)
                .noEcho();
        if (tls) o.sslContext(sslContext());
        connection = c = Nats.connect(o.build());
        return c;
    }

    /**
     * Trusts [tls] root_ca_path and presents [tls] cert/key, in case client certificates are required: the agent port
     * pins that certificate besides the agent CA, so it is presented even though the port does not name its issuer.
     */
    private SSLContext sslContext() {
        Optional<Path> crt = cfg.findPath("tls.cert_path");
        Optional<Path> key = cfg.findPath("tls.key_path");
        return JdkSslContexts.clientPresentingAlways(cfg.findPath("tls.root_ca_path").orElse(null),
                crt.isPresent() && key.isPresent() ? crt.get() : null, key.orElse(null));
    }

    @PreDestroy
    synchronized void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a broken probe connection
            }
        }
    }
}
