package dev.eventbus.broker.server;

import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.BrokerStartException;
import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.broker.monitor.ConnInfo;
import dev.eventbus.broker.protocol.PubArgs;
import dev.eventbus.broker.subject.Subscription;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's part in a super-cluster (nats-server's {@code srvGateway}): the gateway listener, one outbound link
 * per remote gateway, the inbound links, the interest we announce, and forwarding of local publishes.
 *
 * <p>Interest we send is interest-only from the start (nats-server 2.9's behaviour, {@code gateway_iom}): for the
 * global account, INFO cmd 2, one RS+ per distinct subject, INFO cmd 3, then RS+/RS- on every first/last local
 * subscription. Replies of requests we forward are always mapped to {@code _GR_.} so answers come straight back
 * whatever the state of interest on the other link.
 */
final class Gateways {
    private static final Logger log = LoggerFactory.getLogger(Gateways.class);
    static final String GLOBAL_ACCOUNT = "$G";

    private final Server server;
    private final GatewayOptions options;
    private final String clusterHash;
    private final byte[] replyPrefix;
    private final GatewayReplies replies = new GatewayReplies();
    private final ConcurrentHashMap<String, Remote> remotes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, GatewayConnection> outbound = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, GatewayConnection> inbound = new ConcurrentHashMap<>();
    /** Read on every publish: the registered outbound links, replaced on every change. */
    private volatile GatewayConnection[] outboundLinks = new GatewayConnection[0];
    private final Map<String, Integer> plainInterest = new HashMap<>();
    private final Map<String, Integer> queueInterest = new LinkedHashMap<>();
    /** Messages dropped by inbound_allow, by the name of the gateway that sent them. */
    private final ConcurrentHashMap<String, LongAdder> refusedInbound = new ConcurrentHashMap<>();
    /** Discovered URLs already logged as not dialed (dialDiscovered off), so each is logged once. */
    private final Set<String> ignoredLogged = ConcurrentHashMap.newKeySet();
    private Channel listener;
    private volatile boolean stopped;
    private String advertised;
    private byte[] info;

    /** Bounds the per-name maps a peer can grow by inventing names (logged refusals, counters). */
    private static final int MAX_TRACKED_NAMES = 1024;

    /** What we know of one remote gateway: its URLs, whether it was configured, how often dialing failed. */
    private static final class Remote {
        final String name;
        final boolean explicit;
        final Set<URI> urls = Collections.synchronizedSet(new LinkedHashSet<>());
        /** "host:port" (host lower-cased) of the configured URLs: all that is dialed when dialDiscovered is off. */
        final Set<String> configured = new HashSet<>();
        volatile int failures;
        volatile boolean dialing;

        Remote(String name, boolean explicit) {
            this.name = name;
            this.explicit = explicit;
        }
    }

    Gateways(Server server, GatewayOptions options) {
        this.server = server;
        this.options = options;
        this.clusterHash = GatewayReplies.hash(options.name());
        String serverHash = GatewayReplies.hash(server.serverId());
        this.replyPrefix = (GatewayReplies.PREFIX + clusterHash + "." + serverHash + ".").getBytes(StandardCharsets.US_ASCII);
        for (GatewayOptions.Remote r : options.remotes()) {
            if (r.name().equals(options.name())) continue; // a shared config lists ourselves too, as nats-server allows
            Remote rem = new Remote(r.name(), true);
            rem.urls.addAll(r.urls());
            for (URI u : r.urls()) rem.configured.add(hostPort(u));
            remotes.put(r.name(), rem);
        }
    }

    GatewayOptions options() { return options; }
    String clusterHash() { return clusterHash; }
    GatewayReplies replies() { return replies; }
    byte[] info() { return info; }
    boolean isConfigured(String name) { return remotes.containsKey(name) && remotes.get(name).explicit; }

    Duration authTimeout() {
        return options.tls() ? options.tlsTimeout().plusSeconds(1) : BrokerOptions.DEFAULT_AUTH_TIMEOUT;
    }

    // ---- start and stop ----

    void start() {
        ServerBootstrap b = new ServerBootstrap()
                .group(server.bossGroup(), server.workerGroup())
                .channel(server.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (options.tls()) {
                            SslHandler h = options.serverTls().get().newHandler(ch.alloc());
                            h.setHandshakeTimeoutMillis(options.tlsTimeout().toMillis());
                            ch.pipeline().addLast(h);
                        }
                        ch.pipeline().addLast(new GatewayChannelHandler(Gateways.this, false, null, options.tls()));
                    }
                });
        try {
            listener = b.bind(options.host(), options.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new BrokerStartException("cannot listen for gateway connections on " + options.host() + ":"
                    + options.port() + ": " + (String.valueOf(e.getMessage()).contains("in use") ? "address already in use" : e.getMessage()), e);
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        advertised = options.advertise() != null ? options.advertise() : advertiseHost(options.host()) + ":" + port;
        String hostPart = advertised.substring(0, advertised.lastIndexOf(':'));
        int portPart = Integer.parseInt(advertised.substring(advertised.lastIndexOf(':') + 1));
        StringBuilder sb = new StringBuilder(256).append("INFO {");
        sb.append("\"server_id\":").append(InfoJson.str(server.serverId()));
        sb.append(",\"server_name\":").append(InfoJson.str(server.serverName()));
        sb.append(",\"version\":").append(InfoJson.str(BrokerOptions.NATS_VERSION));
        sb.append(",\"proto\":0,\"go\":\"\"");
        sb.append(",\"host\":").append(InfoJson.str(hostPart)).append(",\"port\":").append(portPart);
        sb.append(",\"headers\":true");
        if (options.user() != null) sb.append(",\"auth_required\":true");
        if (options.tls()) sb.append(",\"tls_required\":true,\"tls_verify\":true");
        sb.append(",\"max_payload\":").append(server.options().maxPayload());
        sb.append(",\"gateway\":").append(InfoJson.str(options.name()));
        sb.append(",\"gateway_urls\":[").append(InfoJson.str(advertised)).append("]");
        sb.append(",\"gateway_url\":").append(InfoJson.str(advertised));
        sb.append(",\"gateway_nrp\":true,\"gateway_iom\":true}\r\n");
        info = sb.toString().getBytes(StandardCharsets.UTF_8);
        log.info("Gateway name is {}", options.name());
        log.info("Listening for gateways connections on {}:{}", options.host(), port);
        for (Remote r : remotes.values()) dial(r);
    }

    int port() { return listener == null ? -1 : ((InetSocketAddress) listener.localAddress()).getPort(); }

    /** nats-server advertises the first non-loopback address when bound to all interfaces. */
    private static String advertiseHost(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::")) return host;
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) continue;
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) return a.getHostAddress();
                }
            }
        } catch (Exception ignored) {
            // fall through to loopback
        }
        return "127.0.0.1";
    }

    void shutdown() {
        stopped = true;
        if (listener != null) listener.close().syncUninterruptibly();
        for (GatewayConnection c : outbound.values()) c.scheduleClose(ClosedState.SERVER_SHUTDOWN);
        for (GatewayConnection c : inbound.values()) c.scheduleClose(ClosedState.SERVER_SHUTDOWN);
    }

    // ---- links ----

    GatewayConnection newConnection(Channel ch, boolean isOutbound, String remoteName) {
        return new GatewayConnection(server, this, ch, server.loopContext(ch), server.nextCid(), isOutbound, remoteName);
    }

    private void dial(Remote r) {
        if (stopped || outbound.containsKey(r.name) || r.dialing) return;
        List<URI> urls;
        synchronized (r.urls) {
            urls = new ArrayList<>(r.urls);
        }
        if (urls.isEmpty()) return;
        r.dialing = true;
        URI url = urls.get(ThreadLocalRandom.current().nextInt(urls.size()));
        Bootstrap b = new Bootstrap()
                .group(server.workerGroup())
                .channel(server.socketChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (options.tls()) {
                            SslHandler h = options.clientTls().get().newHandler(ch.alloc(), url.getHost(), url.getPort());
                            h.setHandshakeTimeoutMillis(options.tlsTimeout().toMillis());
                            ch.pipeline().addLast(h);
                        }
                        ch.pipeline().addLast(new GatewayChannelHandler(Gateways.this, true, r.name, options.tls()));
                    }
                });
        log.debug("dialing gateway {} at {}", r.name, url);
        ChannelFuture f = b.connect(url.getHost(), url.getPort());
        f.addListener(done -> {
            r.dialing = false;
            if (!done.isSuccess()) {
                log.debug("gateway {} at {}: {}", r.name, url, done.cause().toString());
                scheduleRedial(r);
            }
        });
    }

    /** Exponential backoff from reconnect_delay to max_reconnect_delay, with up to 20% jitter. */
    private void scheduleRedial(Remote r) {
        if (stopped) return;
        if (!r.explicit && !hasInboundFrom(r.name)) {
            log.info("gateway {}: implicit remote unreachable and no inbound link from it, giving up", r.name);
            remotes.remove(r.name, r);
            return;
        }
        int n = Math.min(r.failures++, 16);
        long base = Math.min(options.reconnectDelay().toNanos() << n, options.maxReconnectDelay().toNanos());
        long delay = base + ThreadLocalRandom.current().nextLong(base / 5 + 1);
        server.workerGroup().schedule(() -> dial(r), delay, TimeUnit.NANOSECONDS);
    }

    private boolean hasInboundFrom(String name) {
        for (GatewayConnection c : inbound.values()) if (name.equals(c.remoteName())) return true;
        return false;
    }

    /** @return false when another outbound link to the same gateway is already up (this one is then closed) */
    boolean outboundRegistered(GatewayConnection c) {
        GatewayConnection prev = outbound.putIfAbsent(c.remoteName(), c);
        if (prev != null && prev != c) return false;
        Remote r = remotes.get(c.remoteName());
        if (r != null) r.failures = 0;
        refreshOutboundLinks();
        log.info("Outbound gateway connection to \"{}\" ({}) registered", c.remoteName(), c.remoteAddress());
        server.options().listener().gatewayLinkUp(c.remoteName(), true);
        return true;
    }

    /** The peer sent CONNECT and INFO on a link it dialed: announce our interest, and dial back if we don't yet. */
    void inboundRegistered(GatewayConnection c, List<String> urls) {
        synchronized (this) {
            inbound.put(c.cid(), c);
            c.sendProtoAsync(initialInterest());
        }
        log.info("Inbound gateway connection from \"{}\" ({}) registered", c.remoteName(), c.remoteAddress());
        server.options().listener().gatewayLinkUp(c.remoteName(), false);
        gossipTo(c);
        String name = c.remoteName();
        if (!name.equals(options.name()) && !urls.isEmpty()) {
            if (!mayDiscover(name, urls, "its inbound link")) return;
            Remote r = remotes.computeIfAbsent(name, n -> new Remote(n, false));
            mergeInto(r, urls);
            dial(r);
        }
    }

    /**
     * Whether a gateway a peer told us about ({@code how}) may become a remote we dial. With dialDiscovered off
     * only configured gateways may (and only at their configured URLs, see {@link #mergeInto}); the rest is
     * logged once per URL and ignored, so a peer cannot make this server dial an address of its choosing.
     */
    private boolean mayDiscover(String name, List<String> urls, String how) {
        if (options.dialDiscovered() || isConfigured(name)) return true;
        for (String u : urls) ignored(name, u, how);
        return false;
    }

    private void ignored(String name, String url, String how) {
        if (ignoredLogged.size() < MAX_TRACKED_NAMES && ignoredLogged.add(name + " " + url)) {
            log.warn("gateway {}: not dialing {} (from {}): dial_discovered is off and it is not a configured url", name, url, how);
        }
    }

    /** Tell a new inbound peer about the other gateways we know (INFO gateway_cmd 1), for a full mesh. */
    private void gossipTo(GatewayConnection c) {
        StringBuilder sb = new StringBuilder();
        for (Remote r : remotes.values()) {
            if (r.name.equals(c.remoteName())) continue;
            List<String> hostPorts = new ArrayList<>();
            synchronized (r.urls) {
                for (URI u : r.urls) hostPorts.add(u.getHost() + ":" + u.getPort());
            }
            if (hostPorts.isEmpty()) continue;
            sb.append("INFO {\"server_id\":").append(InfoJson.str(server.serverId()))
                    .append(",\"server_name\":\"\",\"version\":\"\",\"proto\":0,\"go\":\"\",\"host\":\"\",\"port\":0,\"headers\":false,\"max_payload\":0")
                    .append(",\"gateway\":").append(InfoJson.str(r.name)).append(",\"gateway_urls\":[");
            for (int i = 0; i < hostPorts.size(); i++) sb.append(i == 0 ? "" : ",").append(InfoJson.str(hostPorts.get(i)));
            sb.append("],\"gateway_cmd\":1}\r\n");
        }
        if (!sb.isEmpty()) c.sendProtoAsync(sb.toString());
    }

    /** INFO gateway_cmd 1 from a peer: another gateway to connect to. */
    void gossip(String name, List<String> urls) {
        if (name.isEmpty() || name.equals(options.name()) || urls.isEmpty()) return;
        if (options.rejectUnknown() && !isConfigured(name)) {
            log.debug("gateway {}: gossip ignored, not a configured remote (reject_unknown)", name);
            return;
        }
        if (!mayDiscover(name, urls, "gossip")) return;
        Remote r = remotes.computeIfAbsent(name, n -> new Remote(n, false));
        mergeInto(r, urls);
        dial(r);
    }

    void mergeUrls(String name, List<String> urls) {
        Remote r = remotes.get(name);
        if (r != null) mergeInto(r, urls);
    }

    private void mergeInto(Remote r, List<String> hostPorts) {
        String scheme = options.tls() ? "tls://" : "nats://";
        for (String hp : hostPorts) {
            URI u;
            try {
                u = URI.create(hp.contains("://") ? hp : scheme + hp);
            } catch (IllegalArgumentException e) {
                log.warn("gateway {}: ignoring bad url {}", r.name, hp);
                continue;
            }
            if (u.getHost() == null || u.getPort() <= 0) {
                log.warn("gateway {}: ignoring bad url {}", r.name, hp);
            } else if (options.dialDiscovered() || r.configured.contains(hostPort(u))) {
                r.urls.add(u);
            } else {
                ignored(r.name, hp, "a peer's INFO");
            }
        }
    }

    private static String hostPort(URI u) {
        return u.getHost().toLowerCase(Locale.ROOT) + ":" + u.getPort();
    }

    /** One message dropped by inbound_allow on a link from {@code name}. */
    void countRefusedInbound(String name) {
        LongAdder n = refusedInbound.get(name);
        if (n == null) {
            String key = refusedInbound.size() < MAX_TRACKED_NAMES ? name : "(other)";
            n = refusedInbound.computeIfAbsent(key, k -> new LongAdder());
        }
        n.increment();
    }

    /** Messages dropped by inbound_allow so far, by sending gateway. */
    Map<String, Long> refusedInboundSnapshot() {
        Map<String, Long> m = new TreeMap<>();
        refusedInbound.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    void connectionClosed(GatewayConnection c) {
        if (c.outbound) {
            if (outbound.remove(c.remoteName(), c)) {
                refreshOutboundLinks();
                server.options().listener().gatewayLinkDown(c.remoteName(), true);
            }
            Remote r = remotes.get(c.remoteName());
            if (r != null) scheduleRedial(r);
        } else if (inbound.remove(c.cid()) != null) {
            server.options().listener().gatewayLinkDown(c.remoteName(), false);
        }
    }

    private void refreshOutboundLinks() {
        outboundLinks = outbound.values().toArray(new GatewayConnection[0]);
    }

    // ---- interest we announce (on inbound links) ----

    synchronized void localSubAdded(Subscription s) {
        String key = s.queue() == null ? s.subject() : s.subject() + " " + s.queue();
        Map<String, Integer> m = s.queue() == null ? plainInterest : queueInterest;
        if (m.merge(key, 1, Integer::sum) == 1) {
            broadcast(s.queue() == null ? "RS+ $G " + key + "\r\n" : "RS+ $G " + key + " 1\r\n");
        }
    }

    synchronized void localSubRemoved(Subscription s) {
        String key = s.queue() == null ? s.subject() : s.subject() + " " + s.queue();
        Map<String, Integer> m = s.queue() == null ? plainInterest : queueInterest;
        Integer n = m.get(key);
        if (n == null) return;
        if (n == 1) {
            m.remove(key);
            broadcast("RS- $G " + key + "\r\n");
        } else {
            m.put(key, n - 1);
        }
    }

    private void broadcast(String line) {
        for (GatewayConnection c : inbound.values()) c.sendProtoAsync(line);
    }

    /** Queue RS+ first, then the interest-only switch of the global account with every plain subject. */
    private String initialInterest() {
        StringBuilder sb = new StringBuilder();
        for (String q : queueInterest.keySet()) sb.append("RS+ $G ").append(q).append(" 1\r\n");
        sb.append(cmdInfo(2));
        for (String p : plainInterest.keySet()) sb.append("RS+ $G ").append(p).append("\r\n");
        sb.append(cmdInfo(3));
        return sb.toString();
    }

    private String cmdInfo(int cmd) {
        String payload = Base64.getEncoder().encodeToString(GLOBAL_ACCOUNT.getBytes(StandardCharsets.UTF_8));
        return "INFO {\"server_id\":\"\",\"server_name\":\"\",\"version\":\"\",\"proto\":0,\"go\":\"\",\"host\":\"\",\"port\":0,"
                + "\"headers\":false,\"max_payload\":0,\"gateway\":" + InfoJson.str(options.name())
                + ",\"gateway_cmd\":" + cmd + ",\"gateway_cmd_payload\":\"" + payload + "\"}\r\n";
    }

    byte[] connectJson() {
        StringBuilder sb = new StringBuilder("CONNECT {\"echo\":false,\"verbose\":false,\"pedantic\":false");
        if (options.user() != null) {
            sb.append(",\"user\":").append(InfoJson.str(options.user()))
                    .append(",\"pass\":").append(InfoJson.str(options.password()));
        }
        sb.append(",\"tls_required\":").append(options.tls()).append(",\"headers\":true");
        sb.append(",\"name\":").append(InfoJson.str(server.serverId())).append(",\"cluster\":\"\"");
        sb.append(",\"gateway\":").append(InfoJson.str(options.name())).append("}\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- forwarding local publishes ----

    /** True when any outbound link is up; checked on every publish before anything else. */
    boolean active() { return outboundLinks.length > 0; }

    /**
     * Sends a message a local client published to every gateway that wants it (nats-server's
     * sendMsgToGateways): plain interest, or queue groups not served locally nor by an earlier gateway.
     *
     * @return whether any gateway took it (a request then has responders, so no 503)
     */
    boolean forward(Connection publisher, ByteBuf buf, PubArgs a, String subject, List<String> servedQueues) {
        GatewayConnection[] links = outboundLinks;
        if (links.length == 0) return false;
        GatewayReplies.Route back = replies.lookup(subject);
        if (back != null) {
            byte[] full = back.fullSubject().getBytes(StandardCharsets.UTF_8);
            for (GatewayConnection c : links) {
                if (GatewayReplies.hash(c.remoteName()).equals(back.clusterHash())) {
                    return c.sendMsg(publisher, buf, a, full, null, null);
                }
            }
            return false;
        }
        byte[] mapReply = a.replyLength > 0 ? replyPrefix : null;
        Set<String> assigned = null;
        boolean sent = false;
        for (GatewayConnection c : links) {
            RemoteInterest ri = c.interest();
            if (ri == null) continue;
            RemoteInterest.Decision d = ri.decide(GLOBAL_ACCOUNT, subject);
            if (!d.any()) continue;
            List<String> queues = null;
            for (Subscription[] group : d.result().qsubs()) {
                String q = group[0].queue();
                if (servedQueues != null && servedQueues.contains(q)) continue;
                if (assigned == null) assigned = new HashSet<>();
                if (!assigned.add(q)) continue;
                if (queues == null) queues = new ArrayList<>(2);
                queues.add(q);
            }
            if (!d.plain() && queues == null) continue;
            sent |= c.sendMsg(publisher, buf, a, null, mapReply, queues);
        }
        return sent;
    }

    // ---- monitoring ----

    /** (name, configured, outbound ConnInfo) of every outbound link, and the inbound ones by name. */
    Map<String, ConnInfo> outboundSnapshot() {
        Map<String, ConnInfo> m = new LinkedHashMap<>();
        for (GatewayConnection c : outbound.values()) m.put(c.remoteName(), c.snapshot());
        return m;
    }

    Map<String, List<ConnInfo>> inboundSnapshot() {
        Map<String, List<ConnInfo>> m = new LinkedHashMap<>();
        for (GatewayConnection c : inbound.values()) m.computeIfAbsent(c.remoteName(), k -> new ArrayList<>()).add(c.snapshot());
        return m;
    }

    boolean isExplicit(String name) {
        Remote r = remotes.get(name);
        return r != null && r.explicit;
    }

    Map<String, List<String>> configuredRemotes() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Remote r : remotes.values()) {
            if (!r.explicit) continue;
            List<String> l = new ArrayList<>();
            synchronized (r.urls) {
                for (URI u : r.urls) l.add(u.getHost() + ":" + u.getPort());
            }
            m.put(r.name, l);
        }
        return m;
    }

    GatewayConnection outboundTo(String name) { return outbound.get(name); }

    Map<String, RemoteInterest.Account> outboundAccounts(String name) {
        GatewayConnection c = outbound.get(name);
        return c == null || c.interest() == null ? Map.of() : c.interest().accounts();
    }
}
