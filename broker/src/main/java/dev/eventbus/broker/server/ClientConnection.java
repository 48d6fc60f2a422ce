package dev.eventbus.broker.server;

import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.auth.AuthResult;
import dev.eventbus.broker.auth.ClientAuthentication;
import dev.eventbus.broker.auth.Permissions;
import dev.eventbus.broker.auth.User;
import dev.eventbus.broker.json.JsonReader;
import dev.eventbus.broker.monitor.ConnInfo;
import dev.eventbus.broker.monitor.SubDetail;
import dev.eventbus.broker.protocol.ConnectOptions;
import dev.eventbus.broker.protocol.HeaderBlock;
import dev.eventbus.broker.protocol.ParseError;
import dev.eventbus.broker.protocol.Parser;
import dev.eventbus.broker.protocol.ProtocolErrors;
import dev.eventbus.broker.protocol.ProtocolHandler;
import dev.eventbus.broker.protocol.PubArgs;
import dev.eventbus.broker.subject.Subjects;
import dev.eventbus.broker.subject.Sublist;
import dev.eventbus.broker.subject.SublistResult;
import dev.eventbus.broker.subject.Subscription;
import dev.eventbus.broker.subject.SubscriptionOwner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: acts on what the {@link Parser} recognises (nats-server's {@code client.go}).
 *
 * <p>Threading: every method except the delivery targets' side of {@link #deliver} runs on this connection's event
 * loop. Other loops touch a connection only through {@link Outbound} (its staging slot and MPSC queue), the
 * subscription's atomic counters, {@link #isClosed()}, and {@link #scheduleClose(ClosedState)}.
 */
final class ClientConnection extends Connection implements ProtocolHandler, ClientAuthentication {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private static final byte[] PONG = ascii("PONG\r\n");
    private static final byte[] PING = ascii("PING\r\n");
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] NO_RESPONDERS_HDR = ascii("NATS/1.0 503\r\n\r\n");
    private static final byte[] GR_PREFIX = ascii("_GR_.");
    private static final byte[] R_PREFIX = ascii("_R_.");
    private static final byte[] JS_ACK_PREFIX = ascii("$JS.ACK.");
    /** The first keepalive comes soon after CONNECT, to measure RTT, as nats-server's short first ping. */
    private static final Duration FIRST_PING = Duration.ofSeconds(2);

    private final Parser parser;
    /** Created on the first publish: most connections of a bus only subscribe. */
    private ReadCache cache;
    private final ConcurrentHashMap<String, Subscription> subs = new ConcurrentHashMap<>();
    private final Sublist sublist;
    private final Instant start = Instant.now();
    private final String ip;
    private final int port;

    private ConnectOptions opts = ConnectOptions.DEFAULTS;
    private List<X509Certificate> peerCerts = List.of();
    private volatile String tlsVersion;
    private volatile String tlsCipher;
    boolean headers;
    private boolean connectSeen;
    private boolean authenticated;
    /** Holds one of the server's max_pending_auth slots until TLS and authentication are done (loop-confined). */
    boolean pendingAuth;
    private volatile User user;
    /** The user name holding a max_connections_per_user slot, released on close; null when none is held. */
    volatile String userSlot;
    Permissions perms = Permissions.ALLOW_ALL;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile ClosedState closedState;
    private volatile Instant stop;
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> expiryTimer;
    /** Null without a rate limit; loop-confined. */
    private final RateLimit rate;
    private boolean throttled;
    private int pingsOut;
    private long pingSentNanos;
    private volatile long rttNanos;
    private long lastInNanos = System.nanoTime();
    private volatile long lastActivityMillis = System.currentTimeMillis();

    // in_* are written only by this connection's loop; read racily by the monitor, which is fine for counters
    private volatile long inMsgs;
    private volatile long inBytes;
    private final AtomicLong outMsgs = new AtomicLong();
    private final AtomicLong outBytes = new AtomicLong();
    // batched into the server totals once per read, so the hot path touches no shared counter
    private long batchInMsgs;
    private long batchInBytes;

    ClientConnection(Server server, Channel channel, LoopContext lc, long cid) {
        super(server, channel, lc, cid);
        this.sublist = server.sublist();
        this.parser = new Parser(this, options.maxControlLine());
        this.rate = RateLimit.of(options.maxInMsgsPerSecond(), options.maxInBytesPerSecond());
        parser.requireConnectFirst(options.authRequired());
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        this.ip = remote == null ? "" : remote.getAddress().getHostAddress();
        this.port = remote == null ? 0 : remote.getPort();
    }

    // ---- accessors used by the server, outbound and monitor ----

    @Override Parser parser() { return parser; }

    @Override
    void countOut(long msgs, long bytes) {
        outMsgs.addAndGet(msgs);
        outBytes.addAndGet(bytes);
        server.countOut(msgs, bytes);
        lastActivityMillis = System.currentTimeMillis();
    }

    @Override public ConnectOptions connectOptions() { return opts; }
    @Override public String remoteAddress() { return ip + ":" + port; }
    @Override public List<X509Certificate> peerCertificates() { return peerCerts; }
    @Override public String nonce() { return null; }

    // ---- lifecycle ----

    /**
     * Sends INFO at once, before reading anything, then enforces max_connections / max_pending_auth (a non-null
     * {@code refusal}) and starts the timers.
     */
    void onActive(String refusal) {
        writeRaw(server.info().forClient(cid, ip));
        if (refusal != null) {
            closeWithError(refusal, ClosedState.MAX_CONNECTIONS_EXCEEDED);
            return;
        }
        // with TLS the auth timer starts once the handshake is done, as in nats-server
        if (options.tls() == null) startAuthTimer();
        schedulePing(options.pingInterval());
        lc.flushPending();
    }

    private void startAuthTimer() {
        if (options.authRequired()) {
            authTimer = channel.eventLoop().schedule(this::authTimeout, options.effectiveAuthTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The handshake succeeded: check the client certificate again (a resumed session skipped the trust manager),
     * then remember what /connz and the authenticator need.
     */
    @Override
    void tlsHandshakeDone(SslHandler ssl) {
        if (ssl != null) {
            SSLSession session = ssl.engine().getSession();
            String p = session.getProtocol();
            tlsVersion = p.startsWith("TLSv") ? p.substring(4) : p;
            tlsCipher = session.getCipherSuite();
            peerCerts = PeerCertificates.of(session);
            String problem = peerCerts.isEmpty()
                    ? (options.tls() != null && options.tls().verify() ? "no client certificate in the TLS session" : null)
                    : PeerCertificates.validityProblem(peerCerts, new Date());
            if (problem != null) {
                // as a failed handshake in nats-server: no -ERR, the connection just ends; the operator gets the reason
                log.info("cid {} {}: TLS client certificate refused: {}", cid, remoteAddress(), problem);
                server.listener().authenticationFailed(remoteAddress(), "certificate: " + problem);
                close(ClosedState.TLS_HANDSHAKE_ERROR);
                return;
            }
        }
        if (!options.authRequired()) server.authDone(this);
        startAuthTimer();
    }

    @Override
    void onRead() {
        lastInNanos = System.nanoTime();
        lastActivityMillis = System.currentTimeMillis();
    }

    /** End of one read batch: publish the batch's counters. Flushing is the loop's job. */
    @Override
    void onReadComplete() {
        if (batchInMsgs != 0) {
            server.countIn(batchInMsgs, batchInBytes);
            batchInMsgs = 0;
            batchInBytes = 0;
        }
        if (rate != null && parser.isPaused() && !throttled && !closed) throttle();
    }

    /**
     * Over its rate, a publisher is not read until its buckets have refilled: its bytes wait (in our buffer, then
     * in its socket, and TCP slows it down), nothing is dropped, and the loop goes on serving everyone else.
     */
    private void throttle() {
        throttled = true;
        long waitNanos = Math.max(rate.deficitNanos(System.nanoTime()), 1_000_000L);
        channel.eventLoop().schedule(this::endThrottle, waitNanos, TimeUnit.NANOSECONDS);
    }

    private void endThrottle() {
        if (closed) return;
        long more = rate.deficitNanos(System.nanoTime());
        if (more > 0) {
            channel.eventLoop().schedule(this::endThrottle, more, TimeUnit.NANOSECONDS);
            return;
        }
        throttled = false;
        parser.resume();
        io.netty.channel.ChannelHandlerContext ctx = channel.pipeline().context(ConnectionChannelHandler.class);
        if (ctx != null) ((ConnectionChannelHandler) ctx.handler()).resumeParsing(ctx);
        if (!closed && !parser.isPaused() && !isStalled()) channel.config().setAutoRead(true);
    }

    @Override boolean readPaused() { return throttled; }

    /**
     * One operation against the publish rate (SUB and UNSUB count as messages of no bytes: each first or last one
     * changes the interest announced over the gateway link). Over the rate mid-read, nothing after this operation
     * is parsed, and nothing more read, until the buckets refill.
     */
    private void charge(int bytes) {
        if (rate.take(bytes) && rate.deficitNanos(System.nanoTime()) > 0) {
            parser.pause();
            channel.config().setAutoRead(false);
        }
    }

    private void authTimeout() {
        if (!authenticated && !closed) closeWithError(ProtocolErrors.AUTHENTICATION_TIMEOUT, ClosedState.AUTHENTICATION_TIMEOUT);
    }

    private void schedulePing(Duration d) {
        if (pingTimer != null) pingTimer.cancel(false);
        pingTimer = channel.eventLoop().schedule(this::pingTimerFired, d.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void pingTimerFired() {
        if (closed) return;
        long interval = options.pingInterval().toNanos();
        // like nats-server: an active connection with a known RTT needs no keepalive this round
        if (rttNanos > 0 && System.nanoTime() - lastInNanos < interval && pingsOut == 0) {
            schedulePing(options.pingInterval());
            return;
        }
        if (pingsOut + 1 > options.pingMax()) {
            closeWithError(ProtocolErrors.STALE_CONNECTION, ClosedState.STALE_CONNECTION);
            return;
        }
        pingsOut++;
        pingSentNanos = System.nanoTime();
        writeRaw(PING);
        lc.flushPending();
        schedulePing(options.pingInterval());
    }

    // ---- protocol ops ----

    /** When auth is configured, nothing but CONNECT may come first. */
    private boolean checkAuthorized() {
        if (options.authRequired() && !authenticated) {
            closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
            return false;
        }
        return true;
    }

    @Override
    public void processConnect(ByteBuf buf, int offset, int length) {
        if (authTimer != null) {
            authTimer.cancel(false);
            authTimer = null;
        }
        ConnectOptions o;
        try {
            o = ConnectOptions.parse(buf.toString(offset, length, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            log.debug("cid {}: bad CONNECT: {}", cid, e.getMessage());
            close(ClosedState.PROTOCOL_VIOLATION);
            return;
        }
        if (authenticated && !sameCredentials(opts, o)) {
            // a second CONNECT must not swap identities: the new one would keep the old one's subscriptions, and
            // revoking the first credential would no longer find this connection
            log.info("cid {} {}: CONNECT with other credentials after authentication, closing", cid, remoteAddress());
            server.listener().authenticationFailed(remoteAddress(), "credentials changed on an authenticated connection");
            closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
            return;
        }
        boolean reauth = !authenticated;
        opts = o;
        headers = o.headers();
        if (options.authRequired() && reauth) {
            AuthResult r;
            try {
                r = options.authenticator().authenticate(this);
            } catch (RuntimeException e) {
                log.warn("cid {}: authenticator failed", cid, e);
                r = AuthResult.denied("authenticator error: " + e);
            }
            if (!r.isOk()) {
                log.info("cid {} {}: authentication failed: {}", cid, remoteAddress(), r.failureReason());
                server.listener().authenticationFailed(remoteAddress(), r.failureReason());
                closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
                return;
            }
            if (!server.admitUser(r.user().name())) {
                log.info("cid {} {}: {} is at max_connections_per_user ({}), closing", cid, remoteAddress(),
                        r.user().name(), options.maxConnectionsPerUser());
                server.listener().authenticationFailed(remoteAddress(), "max_connections_per_user reached by " + r.user().name());
                closeWithError(ProtocolErrors.MAX_CONNECTIONS_PER_USER, ClosedState.MAX_CONNECTIONS_EXCEEDED);
                return;
            }
            user = r.user();
            userSlot = options.maxConnectionsPerUser() > 0 ? user.name() : null;
            perms = user.permissions();
            if (user.expiresAt() != null && !scheduleExpiry(user.expiresAt())) return;
            parser.requireConnectFirst(false);
            if (cache != null) cache.clear();
            authenticated = true;
            server.authDone(this);
        }
        if ((o.account() != null && !o.account().isEmpty()) || o.newAccount()) {
            closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
            return;
        }
        if (o.protocol() < 0 || o.protocol() > 1) {
            closeWithError(ProtocolErrors.INVALID_CLIENT_PROTOCOL, ClosedState.BAD_CLIENT_PROTOCOL_VERSION);
            return;
        }
        if (o.noResponders() && !headers) {
            closeWithError(ProtocolErrors.NO_RESPONDERS_REQUIRES_HEADERS, ClosedState.NO_RESPONDERS_REQUIRES_HEADERS);
            return;
        }
        if (o.verbose()) writeRaw(OK);
        if (!connectSeen) {
            connectSeen = true;
            long first = Math.min(options.pingInterval().toNanos(), FIRST_PING.toNanos());
            schedulePing(Duration.ofNanos(first + ThreadLocalRandom.current().nextLong(first / 5 + 1)));
        }
    }

    private static boolean sameCredentials(ConnectOptions a, ConnectOptions b) {
        return java.util.Objects.equals(a.authToken(), b.authToken()) && java.util.Objects.equals(a.user(), b.user())
                && java.util.Objects.equals(a.pass(), b.pass()) && java.util.Objects.equals(a.jwt(), b.jwt())
                && java.util.Objects.equals(a.nkey(), b.nkey());
    }

    /**
     * nats-server closes a JWT user's connection when its credential expires; so do we, for any authenticator that
     * says when its credential ends. Returns false when it already has.
     */
    private boolean scheduleExpiry(Instant at) {
        long nanos = Duration.between(Instant.now(), at).toNanos();
        if (nanos <= 0) {
            expired();
            return false;
        }
        expiryTimer = channel.eventLoop().schedule(this::expired, nanos, TimeUnit.NANOSECONDS);
        return true;
    }

    private void expired() {
        if (closed) return;
        log.info("cid {} {}: credential of {} expired, closing", cid, remoteAddress(), user.name());
        closeWithError(ProtocolErrors.AUTHENTICATION_EXPIRED, ClosedState.AUTHENTICATION_EXPIRED);
    }

    /** On this connection's loop: its credential was revoked. */
    void revoked() {
        if (closed) return;
        log.info("cid {} {}: credential of {} revoked, closing", cid, remoteAddress(), user == null ? "?" : user.name());
        closeWithError(ProtocolErrors.AUTHENTICATION_REVOKED, ClosedState.REVOCATION);
    }

    User user() { return user; }

    @Override
    public void processInfo(ByteBuf buf, int offset, int length) {
        try {
            JsonReader.parse(buf.toString(offset, length, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            close(ClosedState.PROTOCOL_VIOLATION);
        }
    }

    @Override
    public boolean processPubArgs(ByteBuf buf, PubArgs a) {
        if (!checkAuthorized()) return false;
        if (a.headerSize >= 0 && !headers) {
            log.debug("cid {}: HPUB without headers support", cid);
            close(ClosedState.PROTOCOL_VIOLATION);
            return false;
        }
        if (a.totalSize > options.maxPayload()) {
            closeWithError(ProtocolErrors.MAX_PAYLOAD_VIOLATION, ClosedState.MAX_PAYLOAD_EXCEEDED);
            return false;
        }
        return true;
    }

    @Override
    public void processMsg(ByteBuf buf, PubArgs a) {
        if (a.headerSize > 0 && options.strictHeaders()) {
            String bad = HeaderBlock.check(buf, a.payloadOffset, a.headerSize);
            if (bad != null) {
                log.info("cid {} {}: malformed header block from {}: {}", cid, remoteAddress(),
                        user == null ? "(anonymous)" : user.name(), bad);
                audit(ProtocolErrors.headerViolation(bad));
                closeWithError(ProtocolErrors.headerViolation(bad), ClosedState.MSG_HEADER_VIOLATION);
                return;
            }
        }
        batchInMsgs++;
        batchInBytes += a.totalSize;
        if (rate != null) charge(a.totalSize);
        inMsgs++;
        inBytes += a.totalSize;

        ReadCache cache = this.cache;
        if (cache == null) cache = this.cache = new ReadCache();
        int hash = ReadCache.hash(buf, a.subjectOffset, a.subjectLength);
        ReadCache.Entry e = cache.get(buf, a.subjectOffset, a.subjectLength, hash);
        if (e == null) e = newCacheEntry(buf, a, hash);
        if (opts.pedantic() && !e.validLiteral) writeError(ProtocolErrors.INVALID_PUBLISH_SUBJECT);
        if (e.reserved || !publishAllowed(e)) {
            violation(ProtocolErrors.publishViolation(e.subject));
            return;
        }
        if (a.hasReply() && (reservedReply(buf, a)
                || (perms.restrictsReplies() && !perms.canReplyTo(buf, a.replyOffset, a.replyLength)))) {
            violation(ProtocolErrors.publishReplyViolation(
                    buf.toString(a.replyOffset, a.replyLength, StandardCharsets.UTF_8)));
            return;
        }
        if (opts.verbose()) writeRaw(OK);

        long gen = sublist.genid();
        if (e.genid != gen) {
            e.result = sublist.match(e.subject);
            e.genid = gen;
        }
        Gateways gw = server.gateways();
        boolean toGateways = gw != null && gw.active();
        List<String> served = toGateways && e.result.qsubs().length > 0 ? new ArrayList<>(2) : null;
        boolean delivered = deliverLocal(e.result, buf, a, e.subject, opts.echo(), null, served);
        if (toGateways) delivered |= gw.forward(this, buf, a, e.subject, served);
        if (!delivered && a.hasReply() && opts.noResponders()) sendNoResponders(buf, a);
    }

    private ReadCache.Entry newCacheEntry(ByteBuf buf, PubArgs a, int hash) {
        byte[] key = new byte[a.subjectLength];
        buf.getBytes(a.subjectOffset, key);
        String subject = new String(key, StandardCharsets.UTF_8);
        boolean reserved = startsWith(buf, a.subjectOffset, a.subjectLength, GR_PREFIX);
        ReadCache.Entry e = new ReadCache.Entry(key, hash, subject, Subjects.isValidLiteralSubject(subject), reserved);
        cache.put(e);
        return e;
    }

    private boolean publishAllowed(ReadCache.Entry e) {
        if (perms == Permissions.ALLOW_ALL || perms.isUnrestricted()) return true;
        if (e.publishPermission == 0) e.publishPermission = (byte) (perms.canPublish(e.subject) ? 1 : 2);
        return e.publishPermission == 1;
    }

    private static boolean reservedReply(ByteBuf buf, PubArgs a) {
        return startsWith(buf, a.replyOffset, a.replyLength, R_PREFIX)
                || startsWith(buf, a.replyOffset, a.replyLength, JS_ACK_PREFIX)
                || startsWith(buf, a.replyOffset, a.replyLength, GR_PREFIX);
    }

    private static boolean startsWith(ByteBuf buf, int off, int len, byte[] prefix) {
        if (len < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (buf.getByte(off + i) != prefix[i]) return false;
        }
        return true;
    }

    /** The 503 status nats-server sends to a requester that asked for it when nobody is listening. */
    private void sendNoResponders(ByteBuf buf, PubArgs a) {
        String reply = buf.toString(a.replyOffset, a.replyLength, StandardCharsets.UTF_8);
        for (Subscription s : sublist.match(reply).psubs()) {
            if (s.owner() != this || s.isClosed()) continue;
            Staging st = outbound.stage(lc);
            ByteBuf out = st.acc(alloc, 64 + reply.length() + s.sidBytes().length);
            out.writeBytes(HMSG);
            out.writeBytes(buf, a.replyOffset, a.replyLength);
            out.writeByte(' ');
            out.writeBytes(s.sidBytes());
            out.writeBytes(ascii(" 16 16\r\n"));
            out.writeBytes(NO_RESPONDERS_HDR);
            out.writeBytes(CRLF);
            return;
        }
    }

    @Override
    public void processSub(ByteBuf buf, int so, int sl, int qo, int ql, int io, int il) {
        if (!checkAuthorized()) return;
        if (rate != null) charge(0);
        String subject = buf.toString(so, sl, StandardCharsets.UTF_8);
        String queue = ql == 0 ? null : buf.toString(qo, ql, StandardCharsets.UTF_8);
        String sid = buf.toString(io, il, StandardCharsets.UTF_8);
        if (subs.containsKey(sid)) {
            // nats-server keeps the first subscription for a duplicate sid and still says +OK
            if (opts.verbose()) writeRaw(OK);
            return;
        }
        if (!Subjects.isValidSubscribeSubject(subject)) {
            writeError(ProtocolErrors.INVALID_SUBJECT);
            return;
        }
        if ("_sys_".equals(queue) || !perms.canSubscribe(subject, queue)) {
            violation(ProtocolErrors.subscribeViolation(subject, queue));
            return;
        }
        if (options.maxSubscriptions() > 0 && subs.size() >= options.maxSubscriptions()) {
            server.limitReached("cid {} {}: subscription refused: max_subscriptions ({}) reached", cid, remoteAddress(),
                    options.maxSubscriptions());
            violation(ProtocolErrors.MAX_SUBSCRIPTIONS);
            return;
        }
        if (!server.reserveSubscription(cid, subject, queue, sid)) {
            violation(ProtocolErrors.MAX_SUBSCRIPTIONS);
            return;
        }
        String veto = options.subscriptionInterceptor().onSubscribe(cid, subject, queue);
        if (veto != null) {
            server.releaseSubscription(subject, queue, sid);
            violation(ProtocolErrors.subscribeViolation(subject, queue) + ", " + veto);
            return;
        }
        Subscription s = new Subscription(this, subject, queue, sid);
        subs.put(sid, s);
        sublist.insert(s);
        server.subscriptionAdded(s);
        if (opts.verbose()) writeRaw(OK);
    }

    @Override
    public void processUnsub(ByteBuf buf, int io, int il, int max) {
        if (!checkAuthorized()) return;
        if (rate != null) charge(0);
        String sid = buf.toString(io, il, StandardCharsets.UTF_8);
        if (opts.verbose()) writeRaw(OK);
        Subscription s = subs.get(sid);
        if (s == null) return;
        if (max > 0 && max > s.delivered()) {
            s.max(max);
        } else {
            removeSubscription(s);
        }
    }

    /** From any loop, e.g. when a delivery reached the subscription's max. */
    void removeSubscription(Subscription s) {
        if (subs.remove(s.sid(), s)) {
            s.close();
            if (sublist.remove(s)) {
                server.subscriptionRemoved(s);
                options.subscriptionInterceptor().onUnsubscribe(cid, s.subject(), s.queue());
            }
        }
    }

    @Override
    public void processPing() {
        if (!checkAuthorized()) return;
        writeRaw(PONG);
    }

    @Override
    public void processPong() {
        if (!checkAuthorized()) return;
        pingsOut = 0;
        if (pingSentNanos != 0) {
            rttNanos = Math.max(1, System.nanoTime() - pingSentNanos);
            pingSentNanos = 0;
        }
    }

    @Override
    public void processOk() {
        checkAuthorized();
    }

    @Override
    public void processErr(ByteBuf buf, int offset, int length) {
        log.debug("cid {}: client sent -ERR {}", cid, buf.toString(offset, length, StandardCharsets.UTF_8));
        close(ClosedState.PARSE_ERROR);
    }

    @Override
    public void protocolError(ParseError error, String detail) {
        log.debug("cid {}: protocol error {} {}", cid, error, detail);
        switch (error) {
            case UNKNOWN_OPERATION ->
                    closeWithError(ProtocolErrors.UNKNOWN_PROTOCOL_OPERATION, ClosedState.PROTOCOL_VIOLATION);
            case MAX_CONTROL_LINE ->
                    closeWithError(ProtocolErrors.MAX_CONTROL_LINE, ClosedState.MAX_CONTROL_LINE_EXCEEDED);
            case BAD_ARGUMENTS -> close(ClosedState.PROTOCOL_VIOLATION);
            case AUTHORIZATION_VIOLATION ->
                    closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
        }
    }

    // ---- output ----

    private void writeError(String text) {
        writeRaw(ProtocolErrors.line(text).getBytes(StandardCharsets.UTF_8));
    }

    /** A refused operation: the client gets the -ERR, the application's listener hears of it (an audit trail). */
    private void violation(String text) {
        writeError(text);
        audit(text);
    }

    /** Tells the application (event-gateway's audit trail) about a refusal at the door; never throws. */
    private void audit(String text) {
        try {
            server.listener().permissionViolation(cid, remoteAddress(), user, text);
        } catch (RuntimeException ex) {
            log.warn("cid {}: event listener failed", cid, ex);
        }
    }

    /**
     * Our own replies (PONG, +OK, -ERR) count towards max_pending like messages do, as in nats-server's
     * queueOutbound: a client that floods PINGs or refused SUBs and never reads cannot make us buffer without end.
     */
    @Override
    void writeRaw(byte[] bytes) {
        super.writeRaw(bytes);
        if (!closed && outbound.pendingBytes(outbound.stage(lc)) > options.maxPending()) slowConsumer();
    }

    // ---- closing ----

    /** Sends -ERR, flushes it, then closes; nats-server gives the error a chance to reach the client. */
    void closeWithError(String text, ClosedState reason) {
        if (closed) return;
        writeError(text);
        lc.flushPending();
        closeInternal(reason, true);
    }

    @Override
    void close(ClosedState reason) {
        closeInternal(reason, false);
    }

    /** On this (the publisher's) loop: see {@link Connection#overfedLink}. */
    @Override
    void overfedLink(String link) {
        if (closed) return;
        log.warn("cid {} {}: gateway link to {} is over max_pending ({} bytes) despite back-pressure; closing this publisher, not the link",
                cid, remoteAddress(), link, options.maxPending());
        server.countSlowConsumer();
        server.listener().slowConsumer(cid, remoteAddress());
        closeWithError(ProtocolErrors.SLOW_CONSUMER, ClosedState.SLOW_CONSUMER_PENDING_BYTES);
    }

    /** From any thread: the slow consumer is cut without a word and its pending output dropped. */
    void slowConsumer() {
        if (closing.compareAndSet(false, true)) {
            server.countSlowConsumer();
            server.listener().slowConsumer(cid, remoteAddress());
            log.info("cid {} {}: slow consumer, closing (pending over {} bytes)", cid, remoteAddress(), options.maxPending());
            channel.eventLoop().execute(() -> closeInternal(ClosedState.SLOW_CONSUMER_PENDING_BYTES, false));
        }
    }

    @Override
    void writeDeadlineExceeded() {
        if (closing.compareAndSet(false, true)) {
            server.countSlowConsumer();
            closeInternal(ClosedState.SLOW_CONSUMER_WRITE_DEADLINE, false);
        }
    }

    private void closeInternal(ClosedState reason, boolean flushFirst) {
        if (closed) return;
        closing.set(true);
        closed = true;
        closedState = reason;
        stop = Instant.now();
        parser.stop();
        if (authTimer != null) authTimer.cancel(false);
        if (pingTimer != null) pingTimer.cancel(false);
        if (expiryTimer != null) expiryTimer.cancel(false);
        for (Subscription s : subs.values()) {
            s.close();
            if (sublist.remove(s)) {
                server.subscriptionRemoved(s);
                options.subscriptionInterceptor().onUnsubscribe(cid, s.subject(), s.queue());
            }
        }
        server.connectionClosed(this);
        if (flushFirst) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
        outbound.releaseAll();
        log.debug("cid {} {}: closed: {}", cid, remoteAddress(), reason);
    }

    // ---- monitoring ----

    ConnInfo snapshot(boolean withSubs) {
        List<SubDetail> details = null;
        if (withSubs) {
            details = new ArrayList<>();
            for (Subscription s : subs.values()) {
                details.add(new SubDetail(null, s.subject(), s.queue(), s.sid(), s.delivered(), s.max(), cid));
            }
            details.sort(Comparator.comparing(SubDetail::sid));
        }
        long rtt = rttNanos;
        ConnectOptions o = opts;
        return new ConnInfo(cid, "Client", "nats", ip, port, start, Instant.ofEpochMilli(lastActivityMillis),
                stop, closedState == null ? null : closedState.toString(), rtt == 0 ? null : Duration.ofNanos(rtt),
                pendingBytesEstimate(), inMsgs, outMsgs.get(), inBytes, outBytes.get(), subs.size(),
                o.name(), o.lang(), o.version(), tlsVersion, tlsCipher, user == null ? null : user.name(), null, details);
    }

    private long pendingBytesEstimate() {
        var ob = channel.unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }

}
