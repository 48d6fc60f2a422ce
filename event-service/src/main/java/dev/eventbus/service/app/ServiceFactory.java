package dev.eventbus.service.app;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.broker.SubscriptionInterceptor;
import dev.eventbus.broker.TlsOptions;
import dev.eventbus.broker.monitor.PrometheusMetrics;
import dev.eventbus.broker.subject.Subjects;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.ReloadingSslContext;
import dev.eventbus.config.ConfigTable;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.service.EventService;
import dev.eventbus.service.HandlerTarget;
import dev.eventbus.service.RoutingTable;
import dev.eventbus.service.ServiceOptions;
import dev.eventbus.service.SyncPolicy;
import dev.eventbus.service.delivery.JnatsPublisher;
import dev.eventbus.service.queue.Retention;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.nats.client.Options;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * event-service's parts, from the TOML: the internal broker (mutual TLS when [tls] is set) with the gateway named
 * event-service that event-gateway joins, and the event pipeline (validation, durable queue, typed handlers).
 */
@Factory
final class ServiceFactory {
    static final String GATEWAY_NAME = "event-service";
    /** The gateway name event-gateway uses (its GatewayBrokerFactory.GATEWAY_NAME): the only one that may link. */
    static final String EVENT_GATEWAY = "event-gateway";
    private static final Logger log = LoggerFactory.getLogger(ServiceFactory.class);

    /** The service's intake connections are exempt from listener_limit; a cid is known once it connected. */
    @Singleton
    ListenerGate listenerGate() { return new ListenerGate(); }

    @Singleton
    PrometheusMetrics brokerMetrics() { return new PrometheusMetrics(); }

    @Context
    @Bean(preDestroy = "shutdown")
    Broker broker(EffectiveConfig cfg, ListenerGate gate, PrometheusMetrics metrics) {
        BrokerOptions.Builder b = BrokerOptions.builder()
                .host(cfg.getString("internal_messaging.host"))
                .port(cfg.getInt("internal_messaging.port"))
                .maxPayload(Math.max(BrokerOptions.DEFAULT_MAX_PAYLOAD, cfg.getInt("queue.max_event_bytes")))
                .subscriptionInterceptor(gate)
                .strictHeaders(true) // a header block jnats cannot parse would kill the intake's reader
                // nothing but the service itself gets in until the intake is subscribed (Intake calls acceptClients):
                // a request published earlier would get "no responders", an event without a reply would be lost
                .deferAcceptingClients(true)
                // the intake's connections take events in parallel, each publisher's on one of them, in order
                .orderedQueueGroups(java.util.List.of(Intake.QUEUE))
                .listener(metrics);
        GatewayOptions.Builder g = GatewayOptions.builder(GATEWAY_NAME).host(cfg.getString("internal_messaging.gateway_host"))
                .port(cfg.getInt("internal_messaging.gateway_port"));
        gatewayTrust(cfg, g);
        Optional<Path> crt = cfg.findPath("tls.cert_path"), key = cfg.findPath("tls.key_path"), ca = cfg.findPath("tls.root_ca_path");
        if (crt.isPresent() && key.isPresent() && ca.isPresent()) {
            b.tls(TlsOptions.builder(ReloadingSslContext.forServerMutual(crt.get(), key.get(), ca.get()).name("internal").build())
                    .verify(true).build());
            // a certificate from the internal CA is not enough: only event-service itself and the configured
            // identities get in, each with its own rights
            b.authenticator(InternalBusAccess.authenticator(cfg, crt.get()));
            g.tls(ReloadingSslContext.forServerMutual(crt.get(), key.get(), ca.get()).name("gateway server").build(),
                    ReloadingSslContext.forClientMutual(crt.get(), key.get(), ca.get()).name("gateway client").build());
            List<String> peers = cfg.getList("internal_messaging.gateway_peers", String.class);
            if (peers.isEmpty()) throw new IllegalArgumentException("internal_messaging.gateway_peers is empty: name the certificate "
                    + "identities that may link (default [\"event-gateway\"]); an empty list would admit any certificate of the internal CA");
            g.peerIdentities(peers);
        } else {
            if (!cfg.getTables(InternalBusAccess.CLIENTS).isEmpty()) {
                throw new IllegalArgumentException("[[" + InternalBusAccess.CLIENTS + "]] needs [tls] cert_path, key_path and "
                        + "root_ca_path: without certificates nothing proves a client's identity");
            }
            log.warn("event-service: [tls] cert_path/key_path/root_ca_path not all set, the internal bus is plaintext "
                    + "and any local process has every right on it");
        }
        return new Broker(b.gateway(g.build()).build()).start();
    }

    /**
     * What a gateway link may do here: only event-gateway (by name, and by certificate identity with TLS) may link,
     * event-service dials only the configured addresses of event-gateway (never one a peer announces), and a link
     * carries in only events and the health probe; replies to our own requests always pass.
     */
    private static void gatewayTrust(EffectiveConfig cfg, GatewayOptions.Builder g) {
        List<String> urls = new ArrayList<>();
        for (String a : cfg.getList("internal_messaging.event_gateway_addresses", String.class)) urls.add("nats://" + a);
        if (urls.isEmpty()) throw new IllegalArgumentException("internal_messaging.event_gateway_addresses is empty: event-service "
                + "needs event-gateway's gateway address to send acknowledgements back");
        g.remote(EVENT_GATEWAY, urls.toArray(new String[0]))
                .rejectUnknown(true)
                .dialDiscovered(false)
                .inboundAllow(Intake.SUBJECTS, Intake.HEALTH_SUBJECT);
    }

    /**
     * jnats options for our own internal broker, with the service's certificate when the bus is mutual TLS. They use
     * the broker's local listener, which is open from the start (the internal port opens only once the intake is
     * subscribed) and has the same TLS and authentication.
     */
    static Options.Builder internalClient(EffectiveConfig cfg, Broker broker) {
        Optional<Path> crt = cfg.findPath("tls.cert_path"), key = cfg.findPath("tls.key_path"), ca = cfg.findPath("tls.root_ca_path");
        Options.Builder o = new Options.Builder().maxReconnects(-1).reconnectWait(Duration.ofMillis(200));
        if (crt.isPresent() && key.isPresent() && ca.isPresent()) {
            SSLContext ssl = JdkSslContexts.client(ca.get(), crt.get(), key.get());
            o.server("tls://localhost:" + broker.localPort()).sslContext(ssl);
        } else {
            o.server("nats://127.0.0.1:" + broker.localPort());
        }
        return o;
    }

    /**
     * The connection NATS handler targets publish on. A bean of its own so that closing the app closes it, after the
     * service that publishes on it (EventService does not own the publisher it is given): left open it would
     * reconnect to the stopped broker for the life of the JVM.
     */
    @Bean(preDestroy = "close")
    @Singleton
    JnatsPublisher internalPublisher(EffectiveConfig cfg, Broker broker) throws IOException, InterruptedException {
        return JnatsPublisher.connect(internalClient(cfg, broker).build());
    }

    @Bean(preDestroy = "close")
    @Singleton
    EventService eventService(EffectiveConfig cfg, ListenerGate gate, DeliveryLatency latency, JnatsPublisher publisher) {
        ServiceOptions.Builder o = ServiceOptions.builder()
                .dataDir(cfg.findPath("queue.data_dir").orElse(Path.of("event-service-data")).toAbsolutePath())
                .eventLimit(cfg.getInt("service.event_limit"))
                .listenerLimit(cfg.getInt("service.listener_limit"))
                .maxEventBytes(cfg.getInt("queue.max_event_bytes"))
                .dedupWindow(cfg.getDuration("queue.dedup_window"))
                .retention(new Retention(cfg.getDuration("queue.retention"), cfg.getLong("queue.retention_bytes")))
                .syncPolicy(SyncPolicy.parse(cfg.getString("queue.sync"), cfg.getDuration("queue.sync_interval")))
                .segmentBytes(cfg.getLong("queue.segment_bytes"))
                .maxBytes(cfg.getLong("queue.max_bytes"))
                .maxAttempts(cfg.getInt("delivery.max_attempts"))
                .retryBaseDelay(cfg.getDuration("delivery.retry_base_delay"))
                .retryMaxDelay(cfg.getDuration("delivery.retry_max_delay"))
                .requestTimeout(cfg.getDuration("delivery.request_timeout"))
                .unhealthyAfter(cfg.getDuration("delivery.unhealthy_after"))
                .metrics(latency);
        RoutingTable.Builder routes = RoutingTable.builder();
        RoutingTable defaults = RoutingTable.defaults();
        for (String type : dev.eventbus.service.EventTypes.ALL) routes.route(type, defaults.handlersFor(type).toArray(new String[0]));
        for (ConfigTable r : cfg.getTables("routes")) routes.route(r.getString("type"), r.getString("handler"));
        o.routingTable(routes.build());
        for (String handler : new String[] {RoutingTable.FEED, RoutingTable.CFGINGEST, RoutingTable.EVENT_FEED}) {
            o.handlerTarget(handler, target(cfg.getString("handlers." + handler)));
        }
        Optional<Path> crt = cfg.findPath("tls.cert_path"), key = cfg.findPath("tls.key_path"), ca = cfg.findPath("tls.root_ca_path");
        if (crt.isPresent() && key.isPresent()) {
            // HTTPS handler targets get the service's client certificate
            o.httpsContext(JdkSslContexts.client(ca.orElse(null), crt.get(), key.get()));
        }
        try {
            o.natsPublisher(publisher);
            EventService service = EventService.start(o.build());
            gate.service.set(service);
            return service;
        } catch (IOException e) {
            closeQuietly(publisher);
            throw new UncheckedIOException("event-service cannot open its queue: " + e.getMessage(), e);
        } catch (Exception e) {
            closeQuietly(publisher);
            throw new IllegalStateException("event-service cannot start: " + e.getMessage(), e);
        }
    }

    /** A start that failed must not leave its publisher reconnecting forever to a broker that is gone. */
    private static void closeQuietly(JnatsPublisher publisher) {
        if (publisher == null) return;
        try {
            publisher.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Chef Automate wrote handler targets as host:port; we POST to http://host:port/events for those. */
    static HandlerTarget target(String spec) {
        if (spec.startsWith("nats:") || spec.startsWith("http://") || spec.startsWith("https://")) return HandlerTarget.parse(spec);
        return HandlerTarget.parse("http://" + spec + "/events");
    }

    /**
     * listener_limit over the NATS subscriptions that can receive an event (the intake's own ones excepted): every
     * subject that overlaps {@code events.>}, wildcards included, so {@code >}, {@code *.>} and {@code *.scanJobCreated}
     * count as much as {@code events.scanJobCreated}.
     */
    static final class ListenerGate implements SubscriptionInterceptor {
        final AtomicReference<EventService> service = new AtomicReference<>();
        /**
         * Client ids of every intake connection, added before it subscribes. Never removed: the broker never reuses a
         * cid, and the unsubscribes it reports when a replaced connection closes must not release listener slots.
         */
        final Set<Long> intakeCids = ConcurrentHashMap.newKeySet();

        static boolean isListener(String subject) {
            return Subjects.overlaps(subject, Intake.SUBJECTS);
        }

        @Override
        public String onSubscribe(long cid, String subject, String queue) {
            EventService s = service.get();
            if (s == null || intakeCids.contains(cid) || !isListener(subject)) return null;
            return s.listeners().tryAcquire() ? null : "listener_limit reached";
        }

        @Override
        public void onUnsubscribe(long cid, String subject, String queue) {
            EventService s = service.get();
            if (s != null && !intakeCids.contains(cid) && isListener(subject)) s.listeners().release();
        }
    }
}
