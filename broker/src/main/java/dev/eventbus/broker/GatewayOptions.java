package dev.eventbus.broker;

import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import dev.eventbus.broker.auth.CertificateIdentities;
import dev.eventbus.broker.subject.Subjects;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The gateway block (nats-server's {@code gateway {}}): this server's gateway (cluster) name, where it listens for
 * other gateways, and the remote gateways it dials. Immutable; build with {@link #builder(String)}.
 */
public final class GatewayOptions {
    /** nats-server retries a failed gateway dial after about a second. */
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(10);
    /** Gateways ping every 15 s whatever the traffic (min(ping_interval, 15 s)). */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(15);

    /** A remote gateway: its name and the URLs of its servers ({@code nats://[user:pass@]host:port}). */
    public record Remote(String name, List<URI> urls) {
        public Remote {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.contains(" ")) throw new IllegalArgumentException("invalid gateway name \"" + name + "\"");
            urls = List.copyOf(urls);
            if (urls.isEmpty()) throw new IllegalArgumentException("gateway " + name + " has no url");
        }
    }

    private final String name;
    private final String host;
    private final int port;
    private final String advertise;
    private final List<Remote> remotes;
    private final String user;
    private final String password;
    private final Supplier<SslContext> serverTls;
    private final Supplier<SslContext> clientTls;
    private final Duration tlsTimeout;
    private final Duration reconnectDelay;
    private final Duration maxReconnectDelay;
    private final Duration pingInterval;
    private final boolean rejectUnknown;
    private final Set<String> peerIdentities;
    private final boolean dialDiscovered;
    private final List<String> inboundAllow;

    private GatewayOptions(Builder b) {
        name = b.name;
        host = b.host;
        port = b.port;
        advertise = b.advertise;
        remotes = List.copyOf(b.remotes);
        user = b.user;
        password = b.password;
        serverTls = b.serverTls;
        clientTls = b.clientTls;
        tlsTimeout = b.tlsTimeout;
        reconnectDelay = b.reconnectDelay;
        maxReconnectDelay = b.maxReconnectDelay;
        pingInterval = b.pingInterval;
        rejectUnknown = b.rejectUnknown;
        peerIdentities = Collections.unmodifiableSet(new LinkedHashSet<>(b.peerIdentities));
        dialDiscovered = b.dialDiscovered;
        inboundAllow = List.copyOf(b.inboundAllow);
    }

    public static Builder builder(String name) { return new Builder(name); }

    public String name() { return name; }
    public String host() { return host; }
    /** 0 picks a free port. */
    public int port() { return port; }
    /** "host:port" advertised to peers, or null to advertise the bound address. */
    public String advertise() { return advertise; }
    /** Configured remotes; an entry with this gateway's own name is ignored, as in nats-server. */
    public List<Remote> remotes() { return remotes; }
    public String user() { return user; }
    public String password() { return password; }
    /** Server side of gateway TLS (must require client certificates: gateway TLS is always mutual). */
    public Supplier<SslContext> serverTls() { return serverTls; }
    /** Client side of gateway TLS, presenting our certificate. */
    public Supplier<SslContext> clientTls() { return clientTls; }
    public Duration tlsTimeout() { return tlsTimeout; }
    public Duration reconnectDelay() { return reconnectDelay; }
    public Duration maxReconnectDelay() { return maxReconnectDelay; }
    public Duration pingInterval() { return pingInterval; }
    /** Refuse inbound links, and gossip, from gateway names that are not among {@link #remotes()}. */
    public boolean rejectUnknown() { return rejectUnknown; }
    public boolean tls() { return serverTls != null; }

    /**
     * With gateway TLS: the certificate identities (SAN dNSName, URI or IP, or subject CN) a peer must prove, on
     * links in both directions; empty admits any certificate the CA trusts. Normalised as
     * {@link CertificateIdentities#normalize}.
     */
    public Set<String> peerIdentities() { return peerIdentities; }

    /**
     * Whether to dial URLs a peer tells us about (gateway_urls in its INFO, gossip, the address of an implicit
     * remote); true is nats-server's behaviour. When false, only the configured remotes' URLs are ever dialed.
     */
    public boolean dialDiscovered() { return dialDiscovered; }

    /**
     * Subjects (wildcards allowed) that messages arriving over any gateway link may be delivered on locally; empty
     * delivers everything. Replies mapped to this cluster ({@code _GR_.<our hash>.}) always pass.
     */
    public List<String> inboundAllow() { return inboundAllow; }

    public static final class Builder {
        private final String name;
        private String host = "0.0.0.0";
        private int port = 7222;
        private String advertise;
        private final List<Remote> remotes = new ArrayList<>();
        private String user;
        private String password;
        private Supplier<SslContext> serverTls;
        private Supplier<SslContext> clientTls;
        private Duration tlsTimeout = Duration.ofSeconds(2);
        private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private boolean rejectUnknown;
        private final Set<String> peerIdentities = new LinkedHashSet<>();
        private boolean dialDiscovered = true;
        private final List<String> inboundAllow = new ArrayList<>();

        private Builder(String name) {
            if (name == null || name.isEmpty() || name.contains(" ")) {
                throw new IllegalArgumentException("gateway name \"" + name + "\" is invalid (expected: non-empty, no spaces)");
            }
            this.name = name;
        }

        public Builder host(String h) { host = Objects.requireNonNull(h); return this; }
        public Builder port(int p) { port = p; return this; }
        public Builder advertise(String hostPort) { advertise = hostPort; return this; }

        public Builder remote(String remoteName, String... urls) {
            List<URI> us = new ArrayList<>();
            for (String u : urls) us.add(parseUrl(remoteName, u));
            remotes.add(new Remote(remoteName, us));
            return this;
        }

        public Builder authorization(String u, String p) { user = u; password = p; return this; }

        /** Gateway TLS: both are needed, since every gateway link is mutual TLS in both directions. */
        public Builder tls(Supplier<SslContext> server, Supplier<SslContext> client) {
            serverTls = Objects.requireNonNull(server, "server");
            clientTls = Objects.requireNonNull(client, "client");
            return this;
        }

        public Builder tlsTimeout(Duration d) { tlsTimeout = d; return this; }
        public Builder reconnectDelay(Duration d) { reconnectDelay = d; return this; }
        public Builder maxReconnectDelay(Duration d) { maxReconnectDelay = d; return this; }
        public Builder pingInterval(Duration d) { pingInterval = d; return this; }
        public Builder rejectUnknown(boolean b) { rejectUnknown = b; return this; }

        /** Replaces the pinned peer identities; empty (the default) admits any certificate the CA trusts. */
        public Builder peerIdentities(Collection<String> identities) {
            peerIdentities.clear();
            for (String id : identities) peerIdentities.add(CertificateIdentities.normalize(id));
            return this;
        }

        public Builder dialDiscovered(boolean b) { dialDiscovered = b; return this; }

        /** Adds subjects that inbound gateway messages may be delivered on; none (the default) allows all. */
        public Builder inboundAllow(String... subjects) {
            for (String s : subjects) {
                if (s == null || !Subjects.isValidSubscribeSubject(s) || s.contains(" ")) {
                    throw new IllegalArgumentException("gateway inbound_allow: invalid subject \"" + s + "\"");
                }
                inboundAllow.add(s);
            }
            return this;
        }

        public GatewayOptions build() {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("gateway port is " + port + " (expected: 0..65535)");
            if ((user == null) != (password == null)) throw new IllegalArgumentException("gateway authorization needs both user and password");
            if (!peerIdentities.isEmpty() && serverTls == null) {
                throw new IllegalArgumentException("gateway peer_identities needs gateway TLS: without certificates nothing proves an identity");
            }
            return new GatewayOptions(this);
        }

        static URI parseUrl(String remote, String url) {
            String u = url.contains("://") ? url : "nats://" + url;
            URI uri;
            try {
                uri = URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gateway " + remote + ": invalid url \"" + url + "\"");
            }
            if (uri.getHost() == null || uri.getPort() <= 0) {
                throw new IllegalArgumentException("gateway " + remote + ": url \"" + url + "\" needs host and port");
            }
            return uri;
        }
    }
}
