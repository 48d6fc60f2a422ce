package dev.eventbus.broker.server;

import dev.eventbus.broker.BrokerEventListener;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.BrokerStartException;
import dev.eventbus.broker.monitor.ConnInfo;
import dev.eventbus.broker.monitor.Monitor;
import dev.eventbus.broker.monitor.MonitorHttpServer;
import dev.eventbus.broker.monitor.MonitorSource;
import dev.eventbus.broker.monitor.ServerStats;
import dev.eventbus.broker.subject.Sublist;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide state and the Netty plumbing (nats-server's {@code server.go}): event loops, the client listener,
 * the connection table, the closed-connection ring and the counters. {@link dev.eventbus.broker.Broker} is its public
 * face.
 */
public final class Server implements MonitorSource {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    private static final String LOCAL_HOST = "127.0.0.1";
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final BrokerOptions options;
    private final String serverId;
    private final String serverName;
    private final Sublist sublist = new Sublist();
    private final ConcurrentHashMap<Long, ClientConnection> clients = new ConcurrentHashMap<>();
    private final ArrayDeque<ConnInfo> closed = new ArrayDeque<>();
    private final AtomicLong cids = new AtomicLong();
    private final LongAdder inMsgs = new LongAdder();
    private final LongAdder inBytes = new LongAdder();
    private final LongAdder outMsgs = new LongAdder();
    private final LongAdder outBytes = new LongAdder();
    private final LongAdder slowConsumers = new LongAdder();
    private final LongAdder totalConnections = new LongAdder();
    /** Admitted client connections (max_connections). */
    private final Slots admitted;
    /** Admitted clients not yet through TLS and authentication (max_pending_auth). */
    private final Slots pendingAuth;
    /** Estimated heap held by all subscriptions (max_subscription_memory). */
    private final AtomicLong subscriptionMemory = new AtomicLong();
    private final AtomicLong lastLimitLog = new AtomicLong(System.nanoTime() - LIMIT_LOG_NANOS);
    private static final long LIMIT_LOG_NANOS = 1_000_000_000L;
    private final Map<EventExecutor, LoopContext> loops = new IdentityHashMap<>();
    private final boolean nativeTransport;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel listener;
    /** With deferAcceptingClients: the loopback listener for the embedding application's own clients. */
    private Channel localListener;
    private volatile int localPort = -1;
    private ServerBootstrap bootstrap;
    private volatile InfoJson info;
    private volatile Instant startTime;
    private volatile int port = -1;
    private volatile boolean ready;
    private final Monitor monitor = new Monitor(this);
    private MonitorHttpServer http;
    private Gateways gateways;
    private volatile int httpPort = -1;

    public Server(BrokerOptions options) {
        this.options = options;
        this.serverId = newServerId();
        this.serverName = options.serverName() == null || options.serverName().isEmpty() ? serverId : options.serverName();
        this.nativeTransport = options.preferNativeTransport() && Epoll.isAvailable();
        this.admitted = new Slots(options.maxConnections());
        this.pendingAuth = new Slots(options.maxPendingAuth());
    }

    /** A 56-character id shaped like nats-server's server nkey ('N' + base32), which clients only display. */
    private static String newServerId() {
        SecureRandom r = new SecureRandom();
        char[] id = new char[56];
        id[0] = 'N';
        for (int i = 1; i < id.length; i++) id[i] = BASE32[r.nextInt(32)];
        return new String(id);
    }

    public synchronized void start() {
        startTime = Instant.now();
        IoHandlerFactory io = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("eventbus-accept", true), io);
        workerGroup = new MultiThreadIoEventLoopGroup(options.eventLoopThreads(), new DefaultThreadFactory("eventbus-io", true), io);
        int i = 0;
        for (EventExecutor e : workerGroup) loops.put(e, new LoopContext(i++, (EventLoop) e));
        bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ClientChannelHandler(Server.this));
                    }
                });
        // made now, started with the listeners: subscriptions made before acceptClients() (event-service's intake)
        // must be in the interest announced to the first gateway peer
        if (options.gateway() != null) gateways = new Gateways(this, options.gateway());
        if (options.deferAcceptingClients()) {
            try {
                localListener = bootstrap.bind(LOCAL_HOST, 0).syncUninterruptibly().channel();
            } catch (Exception e) {
                shutdownGroups();
                throw new BrokerStartException("cannot listen for local client connections on " + LOCAL_HOST + ": " + e.getMessage(), e);
            }
            localPort = ((InetSocketAddress) localListener.localAddress()).getPort();
            info = new InfoJson(serverId, serverName, LOCAL_HOST, localPort, options);
            log.debug("listening on {}:{} for local clients only, until acceptClients()", LOCAL_HOST, localPort);
            return;
        }
        openListeners();
    }

    /**
     * With deferAcceptingClients: binds the client port, the gateway and monitoring, which {@link #start()} left
     * closed. On failure everything is shut down.
     */
    public synchronized void acceptClients() {
        if (!options.deferAcceptingClients()) throw new IllegalStateException("deferAcceptingClients is not set: start() accepts clients");
        if (workerGroup == null) throw new IllegalStateException("not started");
        if (listener != null) throw new IllegalStateException("already accepting clients");
        openListeners();
    }

    private void openListeners() {
        try {
            listener = bootstrap.bind(options.host(), options.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            closeLocalListener();
            shutdownGroups();
            String where = options.host() + ":" + options.port();
            if (e instanceof BindException || String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new BrokerStartException("cannot listen for client connections on " + where + ": address already in use", e);
            }
            throw new BrokerStartException("cannot listen for client connections on " + where + ": " + e.getMessage(), e);
        }
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        info = new InfoJson(serverId, serverName, options.host(), port, options);
        if (gateways != null) {
            try {
                gateways.start();
            } catch (RuntimeException e) {
                listener.close().syncUninterruptibly();
                closeLocalListener();
                shutdownGroups();
                throw e;
            }
        }
        if (options.httpPort() >= 0) {
            http = new MonitorHttpServer(monitor, options.httpHost(), options.httpPort(), workerGroup, serverChannelClass());
            try {
                httpPort = http.start();
            } catch (RuntimeException e) {
                listener.close().syncUninterruptibly();
                closeLocalListener();
                shutdownGroups();
                throw new BrokerStartException("cannot listen for monitoring on " + options.httpHost() + ":"
                        + options.httpPort() + ": " + e.getMessage(), e);
            }
        }
        ready = true;
        log.debug("listening on {}:{} with {} transport", options.host(), port, nativeTransport ? "epoll" : "nio");
    }

    private void closeLocalListener() {
        if (localListener != null) localListener.close().syncUninterruptibly();
    }

    /** The local listener's port, or -1 without deferAcceptingClients. */
    public int localPort() { return localPort; }

    public EventLoopGroup workerGroup() { return workerGroup; }

    EventLoopGroup bossGroup() { return bossGroup; }

    Class<? extends Channel> socketChannelClass() {
        return nativeTransport ? io.netty.channel.epoll.EpollSocketChannel.class : io.netty.channel.socket.nio.NioSocketChannel.class;
    }

    /**
     * Makes a loop the server did not create one of its own, as {@link #start()} does for its workers. For the
     * in-process tests only, which run connections on Netty's {@code EmbeddedChannel}; call it before a channel on that
     * loop is accepted and never on a started server.
     */
    synchronized LoopContext adoptLoop(EventLoop loop) {
        if (workerGroup != null) throw new IllegalStateException("the server is started: it has its own loops");
        if (info == null) info = new InfoJson(serverId, serverName, options.host(), options.port(), options);
        return loops.computeIfAbsent(loop, l -> new LoopContext(loops.size(), (EventLoop) l));
    }

    LoopContext loopContext(Channel ch) {
        LoopContext lc = loops.get(ch.eventLoop());
        if (lc == null) throw new IllegalStateException("channel on an unknown event loop");
        return lc;
    }

    long nextCid() { return cids.incrementAndGet(); }

    /** Null unless this server has a gateway block. */
    Gateways gateways() { return gateways; }

    /** The bound gateway port, or -1. */
    public int gatewayPort() { return gateways == null ? -1 : gateways.port(); }

    void subscriptionAdded(dev.eventbus.broker.subject.Subscription s) {
        if (gateways != null) gateways.localSubAdded(s);
    }

    void subscriptionRemoved(dev.eventbus.broker.subject.Subscription s) {
        releaseSubscription(s.subject(), s.queue(), s.sid());
        if (gateways != null) gateways.localSubRemoved(s);
    }

    /** Returns what {@link #reserveSubscription} charged. */
    void releaseSubscription(String subject, String queue, String sid) {
        subscriptionMemory.addAndGet(-SubscriptionCost.of(subject, queue, sid));
    }

    /**
     * Charges a subscription about to be inserted against max_subscription_memory; false (nothing charged) when the
     * server is full. The charge is returned by {@link #subscriptionRemoved}.
     */
    boolean reserveSubscription(long cid, String subject, String queue, String sid) {
        long cost = SubscriptionCost.of(subject, queue, sid);
        long max = options.maxSubscriptionMemory();
        if (subscriptionMemory.addAndGet(cost) <= max) return true;
        subscriptionMemory.addAndGet(-cost);
        limitReached("cid {}: subscription refused: all subscriptions together hold about {} bytes, the "
                + "max_subscription_memory limit is {}", cid, subscriptionMemory.get(), max);
        return false;
    }

    /** A limit refused something: warn, at most once a second, so a flood cannot flood the log as well. */
    void limitReached(String format, Object... args) {
        long last = lastLimitLog.get();
        long now = System.nanoTime();
        if (now - last >= LIMIT_LOG_NANOS && lastLimitLog.compareAndSet(last, now)) log.warn(format, args);
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return nativeTransport ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public boolean isNativeTransport() { return nativeTransport; }

    /** Closes every client (reason Server Shutdown) and the listener. */
    public synchronized void shutdown() {
        if (workerGroup == null) return;
        ready = false;
        if (listener != null) listener.close().syncUninterruptibly();
        closeLocalListener();
        if (http != null) http.stop();
        if (gateways != null) gateways.shutdown();
        for (ClientConnection c : new ArrayList<>(clients.values())) c.scheduleClose(ClosedState.SERVER_SHUTDOWN);
        shutdownGroups();
    }

    private void shutdownGroups() {
        if (bossGroup != null) bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (workerGroup != null) workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup = null;
        workerGroup = null;
    }

    // ---- connection bookkeeping ----

    ClientConnection accept(Channel ch) {
        LoopContext lc = loopContext(ch);
        long cid = cids.incrementAndGet();
        ClientConnection c = new ClientConnection(this, ch, lc, cid);
        totalConnections.increment();
        String refusal = admit(c);
        if (refusal == null) clients.put(cid, c);
        options.listener().connectionOpened(cid, c.remoteAddress());
        c.onActive(refusal);
        return c;
    }

    /** max_connections, then max_pending_auth; null when admitted, else the -ERR text to close with. */
    private String admit(ClientConnection c) {
        if (!admitted.tryAcquire()) {
            limitReached("connection from {} refused: max_connections ({}) reached", c.remoteAddress(), options.maxConnections());
            return dev.eventbus.broker.protocol.ProtocolErrors.MAX_CONNECTIONS;
        }
        // a connection is pending while a TLS handshake or authentication is still owed; a plain, open server owes none
        if (options.authRequired() || options.tls() != null) {
            if (!pendingAuth.tryAcquire()) {
                admitted.release();
                limitReached("connection from {} refused: {} connections are not yet authenticated (max_pending_auth)",
                        c.remoteAddress(), options.maxPendingAuth());
                return dev.eventbus.broker.protocol.ProtocolErrors.MAX_PENDING_AUTH;
            }
            c.pendingAuth = true;
        }
        return null;
    }

    /** Authenticated connections by user name, when max_connections_per_user is set. */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> perUser = new java.util.concurrent.ConcurrentHashMap<>();

    /** Takes one of the user's connection slots; false (nothing taken) when the user is at max_connections_per_user. */
    boolean admitUser(String name) {
        int max = options.maxConnectionsPerUser();
        if (max <= 0) return true;
        boolean[] admitted = new boolean[1];
        perUser.compute(name, (k, n) -> {
            int held = n == null ? 0 : n;
            admitted[0] = held < max;
            return admitted[0] ? held + 1 : n;
        });
        return admitted[0];
    }

    void releaseUser(String name) {
        perUser.computeIfPresent(name, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** The connection finished its TLS handshake and authentication (or closed first): its pending slot is free. */
    void authDone(ClientConnection c) {
        if (c.pendingAuth) {
            c.pendingAuth = false;
            pendingAuth.release();
        }
    }

    /**
     * Closes, each on its own loop, the authenticated clients whose user matches (a revoked credential), with
     * {@code -ERR 'User Authentication Revoked'}.
     *
     * @return how many connections were told to close
     */
    public int closeConnections(java.util.function.Predicate<dev.eventbus.broker.auth.User> which) {
        int n = 0;
        for (ClientConnection c : clients.values()) {
            dev.eventbus.broker.auth.User u = c.user();
            if (u != null && !c.isClosed() && which.test(u)) {
                c.channel().eventLoop().execute(c::revoked);
                n++;
            }
        }
        return n;
    }

    void connectionClosed(ClientConnection c) {
        authDone(c);
        if (c.userSlot != null) releaseUser(c.userSlot);
        if (clients.remove(c.cid()) != null) admitted.release();
        ConnInfo snap = c.snapshot(true);
        if (options.maxClosedClients() > 0) {
            synchronized (closed) {
                if (closed.size() >= options.maxClosedClients()) closed.pollFirst();
                closed.addLast(snap);
            }
        }
        options.listener().connectionClosed(c.cid(), c.remoteAddress(), snap.reason());
    }

    void watchWriteDeadline(Connection c) {
        c.channel().eventLoop().schedule(() -> {
            if (!c.isClosed() && !c.channel().isWritable()) c.writeDeadlineExceeded();
        }, options.writeDeadline().toNanos(), TimeUnit.NANOSECONDS);
    }

    BrokerEventListener listener() { return options.listener(); }
    InfoJson info() { return info; }
    int loopCount() { return loops.size(); }

    void countIn(long msgs, long bytes) {
        inMsgs.add(msgs);
        inBytes.add(bytes);
    }

    void countOut(long msgs, long bytes) {
        outMsgs.add(msgs);
        outBytes.add(bytes);
    }

    void countSlowConsumer() { slowConsumers.increment(); }

    // ---- MonitorSource ----

    @Override public BrokerOptions options() { return options; }
    @Override public String serverId() { return serverId; }
    @Override public String serverName() { return serverName; }
    @Override public Instant startTime() { return startTime; }
    @Override public int port() { return port; }
    @Override public int httpPort() { return httpPort; }

    public Monitor monitor() { return monitor; }
    @Override public Sublist sublist() { return sublist; }
    @Override public boolean readyForConnections() { return ready; }

    @Override
    public dev.eventbus.broker.monitor.GatewayInfo gatewayInfo() {
        Gateways g = gateways;
        if (g == null) return null;
        var go = g.options();
        List<dev.eventbus.broker.monitor.GatewayInfo.Outbound> out = new ArrayList<>();
        for (Map.Entry<String, ConnInfo> e : g.outboundSnapshot().entrySet()) {
            List<dev.eventbus.broker.monitor.GatewayInfo.Account> accs = new ArrayList<>();
            for (Map.Entry<String, RemoteInterest.Account> a : g.outboundAccounts(e.getKey()).entrySet()) {
                RemoteInterest.Account acc = a.getValue();
                accs.add(new dev.eventbus.broker.monitor.GatewayInfo.Account(a.getKey(), acc.mode.text,
                        acc.byKey.size(), acc.queueSubs));
            }
            out.add(new dev.eventbus.broker.monitor.GatewayInfo.Outbound(e.getKey(), g.isExplicit(e.getKey()), e.getValue(), accs));
        }
        return new dev.eventbus.broker.monitor.GatewayInfo(go.name(), go.host(), g.port(), g.authTimeout(),
                go.tlsTimeout(), go.tls(), g.configuredRemotes(), out, g.inboundSnapshot(), g.refusedInboundSnapshot());
    }

    @Override
    public ServerStats stats() {
        return new ServerStats(inMsgs.sum(), outMsgs.sum(), inBytes.sum(), outBytes.sum(), slowConsumers.sum(),
                totalConnections.sum(), clients.size(), sublist.count());
    }

    @Override
    public List<ConnInfo> openConnections(boolean withSubs) {
        List<ConnInfo> out = new ArrayList<>(clients.size());
        for (ClientConnection c : clients.values()) out.add(c.snapshot(withSubs));
        out.sort(Comparator.comparingLong(ConnInfo::cid));
        return out;
    }

    @Override
    public List<ConnInfo> closedConnections() {
        synchronized (closed) {
            return new ArrayList<>(closed);
        }
    }
}
