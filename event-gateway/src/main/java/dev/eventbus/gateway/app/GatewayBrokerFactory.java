package dev.eventbus.gateway.app;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.broker.TlsOptions;
import dev.eventbus.broker.monitor.PrometheusMetrics;
import dev.eventbus.certs.Pem;
import dev.eventbus.certs.ReloadingSslContext;
import dev.eventbus.certs.SniMapping;
import dev.eventbus.config.ConfigTable;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.gateway.auth.AuthAudit;
import dev.eventbus.gateway.auth.CountingAuthMetrics;
import dev.eventbus.gateway.auth.JwtAuthOptions;
import dev.eventbus.gateway.auth.JwtAuthenticator;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the embedded broker from the TOML: the external TLS endpoint with JWT agents, and the gateway named
 * {@code event-gateway} joined to event-service's gateway over mutual TLS.
 */
@Factory
final class GatewayBrokerFactory {
    static final String GATEWAY_NAME = "event-gateway";
    static final String EVENT_SERVICE_GATEWAY = "event-service";
    /**
     * The gateway link's inbound allow-list: nothing but replies to our agents' (and the health probe's) requests.
     * A reply mapped to us ({@code _GR_.…}) always passes, but event-service's broker remembers such a mapping for
     * only 2 s (as nats-server does); an acknowledgement that takes longer is sent as a plain message on the
     * requester's inbox, {@code _INBOX.<agent>.…}, and without this entry it would be dropped. Letting {@code _INBOX.>}
     * in opens no door to agents' inboxes: only the peer that proves event-service's certificate identity
     * (internal_event_service.peer_identities) can link, and each agent may subscribe to its own inbox only.
     */
    static final String INBOUND_REPLIES = "_INBOX.>";
    private static final Logger log = LoggerFactory.getLogger(GatewayBrokerFactory.class);

    @Singleton
    CountingAuthMetrics authMetrics() { return new CountingAuthMetrics(); }

    @Singleton
    PrometheusMetrics brokerMetrics() { return new PrometheusMetrics(); }

    @Singleton
    AuthAudit authAudit() { return new AuthAudit(); }

    @Singleton
    JwtAuthenticator authenticator(EffectiveConfig cfg, CountingAuthMetrics authMetrics, AuthAudit audit, HealthCheckToken health) {
        JwtAuthOptions.Builder auth = JwtAuthOptions.builder().metrics(authMetrics).audit(audit).healthCheckToken(health.value())
                .clockSkew(cfg.getDuration("auth.clock_skew")).maxTokenBytes(cfg.getInt("auth.max_token_bytes"));
        cfg.findPath("auth.hs256_secret_file").ifPresent(auth::hmacSecretFile);
        for (Path k : cfg.getList("auth.public_key_files", Path.class)) auth.publicKeyFile(k);
        cfg.findPath("auth.jwks_file").ifPresent(auth::jwksFile);
        cfg.findString("auth.issuer").ifPresent(auth::issuer);
        cfg.findString("auth.audience").ifPresent(auth::audience);
        cfg.findPath("auth.revocation_file").ifPresent(auth::revocationFile);
        return new JwtAuthenticator(auth.build());
    }

    /** Closes connections of revoked tokens within the reload interval of the revocation file changing. */
    @Context
    @Bean(preDestroy = "close")
    RevocationEnforcer revocationEnforcer(Broker broker, JwtAuthenticator authenticator, CountingAuthMetrics metrics, AuthAudit audit) {
        return new RevocationEnforcer(broker, authenticator, metrics, audit, authenticator.options().reloadInterval());
    }

    static ReservedQueueGroups reservedQueueGroups(EffectiveConfig cfg) {
        List<String> names = cfg.getList("auth.reserved_queue_groups", String.class);
        for (String q : names) {
            if (q.isEmpty() || q.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("auth.reserved_queue_groups: \"" + q
                        + "\" is not a queue group name (empty or with white space)");
            }
        }
        return new ReservedQueueGroups(names);
    }

    /** A fresh opaque token per start; written to health_check_credentials_file when configured. */
    @Singleton
    HealthCheckToken healthCheckToken(EffectiveConfig cfg) {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        String token = "hc-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Optional<Path> file = cfg.findPath("service.health_check_credentials_file");
        if (file.isPresent()) {
            try {
                // owner-only from creation: a chmod after writing would leave a moment in which others could read it
                Files.deleteIfExists(file.get());
                Files.createFile(file.get(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file.get(), token + "\n");
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the health-check credentials to " + file.get() + ": " + e.getMessage(), e);
            }
        }
        return new HealthCheckToken(token);
    }

    @Context
    @Bean(preDestroy = "shutdown")
    Broker broker(EffectiveConfig cfg, JwtAuthenticator authenticator, CountingAuthMetrics authMetrics, AuthAudit audit,
                  PrometheusMetrics metrics) {
        BrokerOptions.Builder b = BrokerOptions.builder()
                .host(cfg.getString("service.host"))
                .port(cfg.getInt("service.port"))
                // a JWT rides in CONNECT: the control line must fit the largest token we accept
                .maxControlLine(cfg.getInt("auth.max_token_bytes") + BrokerOptions.DEFAULT_MAX_CONTROL_LINE)
                .authenticator(authenticator)
                .subscriptionInterceptor(reservedQueueGroups(cfg))
                // agents are untrusted: a header block jnats cannot parse must not reach event-service's intake,
                // and no agent may take more than its share of the link
                .strictHeaders(true)
                .maxInRate(cfg.getInt("agent_limits.msgs_per_second"), cfg.getInt("agent_limits.bytes_per_second"))
                .maxSubscriptions(cfg.getInt("agent_limits.max_subscriptions"))
                // the limits above are per connection: without these, one agent (or a flood of connections) could
                // multiply its share by connecting again and again
                .maxConnections(cfg.getInt("agent_limits.max_connections"))
                .maxConnectionsPerUser(cfg.getInt("agent_limits.max_connections_per_agent"))
                .listener(new GatewayEvents(metrics, authMetrics, audit))
                .gateway(gateway(cfg));
        if (!cfg.getBoolean("service.disable_frontend_tls")) b.tls(frontendTls(cfg));
        Broker broker = new Broker(b.build()).start();
        log.info("event-gateway: agents on port {} ({}), gateway \"{}\" on port {} towards {}:{}", broker.port(),
                cfg.getBoolean("service.disable_frontend_tls") ? "plaintext" : "TLS", GATEWAY_NAME, broker.gatewayPort(),
                cfg.getString("internal_event_service.host"), cfg.getInt("internal_event_service.gateway_port"));
        return broker;
    }

    /**
     * The gateway link to event-service: listening on service.gateway_host (loopback unless configured), accepting
     * only the gateway named event-service whose certificate proves one of internal_event_service.peer_identities,
     * dialing only the configured address, and carrying in nothing but replies to our agents' requests.
     */
    private static GatewayOptions gateway(EffectiveConfig cfg) {
        GatewayOptions.Builder g = GatewayOptions.builder(GATEWAY_NAME)
                .host(cfg.getString("service.gateway_host"))
                .port(cfg.getInt("service.gateway_port"))
                .remote(EVENT_SERVICE_GATEWAY, "nats://" + cfg.getString("internal_event_service.host") + ":"
                        + cfg.getInt("internal_event_service.gateway_port"))
                .rejectUnknown(true)
                .dialDiscovered(false)
                .inboundAllow(INBOUND_REPLIES);
        Optional<Path> crt = cfg.findPath("tls.cert_path");
        Optional<Path> key = cfg.findPath("tls.key_path");
        Optional<Path> ca = cfg.findPath("tls.root_ca_path");
        if (crt.isPresent() && key.isPresent() && ca.isPresent()) {
            // gateway links are always mutual TLS, in both directions, as in nats-server; the internal CA only
            g.tls(ReloadingSslContext.forServerMutual(crt.get(), key.get(), ca.get()).name("gateway server").build(),
                    ReloadingSslContext.forClientMutual(crt.get(), key.get(), ca.get()).name("gateway client").build());
            List<String> peers = cfg.getList("internal_event_service.peer_identities", String.class);
            if (peers.isEmpty()) throw new IllegalArgumentException("internal_event_service.peer_identities is empty: name the "
                    + "certificate identities that may link (default [\"event-service\"]); an empty list would admit any certificate of the internal CA");
            g.peerIdentities(peers);
        } else {
            log.warn("event-gateway: [tls] cert_path/key_path/root_ca_path not all set, the link to event-service is plaintext");
        }
        return g.build();
    }

    /**
     * [[frontend_tls]] by SNI (the first is the default), or [tls] when the list is empty. Agents' client certificates
     * are verified against service.agent_ca_path only, never [tls] root_ca_path: the internal CA vouches for
     * services, not agents.
     */
    private static TlsOptions frontendTls(EffectiveConfig cfg) {
        String mode = cfg.getString("service.client_certificates");
        Optional<Path> ca = cfg.findPath("service.agent_ca_path");
        if (!mode.equals("none") && ca.isEmpty()) {
            if (mode.equals("required")) {
                throw new IllegalArgumentException("service.client_certificates = \"required\" needs service.agent_ca_path "
                        + "(the CA that signs agents' certificates; certs init: agent-ca.crt)");
            }
            log.info("event-gateway: service.agent_ca_path is not set, agents' client certificates are not asked for");
            mode = "none";
        }
        if (ca.isPresent() && ca.equals(cfg.findPath("tls.root_ca_path"))) {
            throw new IllegalArgumentException("service.agent_ca_path is the same file as [tls] root_ca_path: agents need a CA of "
                    + "their own, or any service certificate passes as an agent's and any agent's as a service's");
        }
        List<ConfigTable> fronts = cfg.getTables("frontend_tls");
        String m = mode;
        Path own = cfg.findPath("tls.cert_path").orElse(null);
        if (fronts.isEmpty()) {
            Path crt = cfg.findPath("tls.cert_path").orElseThrow(() -> new IllegalArgumentException(
                    "TLS is on for agents but neither [[frontend_tls]] nor [tls] cert_path is set (or set service.disable_frontend_tls)"));
            Path key = cfg.getPath("tls.key_path");
            return TlsOptions.builder(context(crt, key, ca.orElse(null), own, m)).verify(m.equals("required")).build();
        }
        ConfigTable first = fronts.get(0);
        ReloadingSslContext dflt = context(first.getPath("cert_path"), first.getPath("key_path"), ca.orElse(null), own, m);
        SniMapping.Builder sni = SniMapping.builder(dflt);
        for (ConfigTable t : fronts) {
            sni.add(t.getString("server_name"), context(t.getPath("cert_path"), t.getPath("key_path"), ca.orElse(null), own, m));
        }
        return TlsOptions.builder(dflt).sni(sni.build()).verify(m.equals("required")).build();
    }

    /**
     * One agent-port TLS context. Client certificates are checked against the agent CA, plus one pinned leaf: our own
     * [tls] certificate ({@code own}), which the health probe presents; trusting that exact certificate (the JDK
     * accepts a trusted end-entity certificate as its own anchor) admits the probe without trusting the internal CA.
     */
    private static ReloadingSslContext context(Path crt, Path key, Path ca, Path own, String mode) {
        boolean verify = !mode.equals("none");
        List<Path> watched = new ArrayList<>(List.of(crt, key));
        if (verify) watched.add(ca);
        if (verify && own != null && !watched.contains(own)) watched.add(own);
        ReloadingSslContext.Loader loader = () -> {
            SslContextBuilder sb = SslContextBuilder.forServer(Pem.readPrivateKey(key, null), Pem.readCertificates(crt))
                    .protocols("TLSv1.3", "TLSv1.2");
            if (verify) {
                List<X509Certificate> trusted = new ArrayList<>(Pem.readCertificates(ca));
                if (own != null) trusted.add(Pem.readCertificates(own).get(0));
                sb.trustManager(trusted).clientAuth(mode.equals("required") ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return sb.build();
        };
        return ReloadingSslContext.custom(loader, watched).name("frontend " + crt.getFileName()).build();
    }

    /** The health-check identity's token (opaque, not a JWT). */
    record HealthCheckToken(String value) implements Supplier<String> {
        @Override public String get() { return value; }
    }
}
