package dev.eventbus.broker.server;

import dev.eventbus.broker.GatewayOptions;
import dev.eventbus.broker.auth.CertificateIdentities;
import dev.eventbus.broker.json.JsonReader;
import dev.eventbus.broker.monitor.ConnInfo;
import dev.eventbus.broker.protocol.ParseError;
import dev.eventbus.broker.protocol.Parser;
import dev.eventbus.broker.protocol.ProtocolErrors;
import dev.eventbus.broker.protocol.ProtocolHandler;
import dev.eventbus.broker.protocol.PubArgs;
import dev.eventbus.broker.subject.Subjects;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway link (nats-server's {@code gateway.go}, per connection). Messages flow one way: we send RMSG/HMSG on
 * links we dialed (outbound) and receive them on links we accepted (inbound); interest flows the other way, from
 * the acceptor to the dialer, on the same socket.
 */
final class GatewayConnection extends Connection implements ProtocolHandler {
    private static final Logger log = LoggerFactory.getLogger(GatewayConnection.class);
    private static final byte[] PING = ascii("PING\r\n");
    private static final byte[] PONG = ascii("PONG\r\n");
    private static final byte[] RMSG = ascii("RMSG $G ");
    private static final byte[] HMSG_G = ascii("HMSG $G ");
    private static final Set<String> NO_QUEUES = Set.of();
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;
    /** The first keepalive comes about a second after the link is up, as nats-server's. */
    private static final Duration FIRST_PING = Duration.ofSeconds(1);

    private final Gateways gateways;
    final boolean outbound;
    /** For outbound links: the remote name we dialed. */
    private final String expectedName;
    private final Parser parser;
    private final Instant start = Instant.now();
    private final String ip;
    private final int port;

    private volatile String remoteName;
    private volatile String remoteServerId = "";
    private boolean connectReceived;
    private volatile boolean registered;
    private volatile boolean peerHeaders = true;
    /** An inbound link holds one of the gateway port's max_pending_auth slots until its CONNECT is accepted. */
    boolean pendingHandshake;
    /** The peer's max_payload from its INFO: it would close the link on a bigger message, so we do not send one. */
    private volatile long peerMaxPayload = Long.MAX_VALUE;
    private volatile RemoteInterest interest;
    private ReadCache cache;
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> pingTimer;
    private int pingsOut;
    private long pingSentNanos;
    private volatile long rttNanos;
    private volatile ClosedState closedState;
    private volatile String tlsVersion;
    private volatile String tlsCipher;
    private volatile long lastActivityMillis = System.currentTimeMillis();
    private volatile long inMsgs;
    private volatile long inBytes;
    private final AtomicLong outMsgs = new AtomicLong();
    private final AtomicLong outBytes = new AtomicLong();
    /** Loop-confined: messages dropped by inbound_allow, and when that was last logged. */
    private long refusedInbound;
    private long refusedLoggedAt;

    GatewayConnection(Server server, Gateways gateways, Channel channel, LoopContext lc, long cid, boolean outbound,
                      String expectedName) {
        super(server, channel, lc, cid);
        this.gateways = gateways;
        this.outbound = outbound;
        this.expectedName = expectedName;
        this.remoteName = expectedName;
        // a peer is held to max_control_line (at least 64 KiB) and max_payload, so it cannot make us buffer without end
        this.parser = new Parser(this, options.maxControlLine(), true);
        // an acceptor takes nothing but CONNECT first (nats-server: Authorization Violation)
        parser.requireConnectFirst(!outbound);
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        this.ip = remote == null ? "" : remote.getAddress().getHostAddress();
        this.port = remote == null ? 0 : remote.getPort();
    }

    String remoteName() { return remoteName; }
    boolean isRegistered() { return registered; }
    RemoteInterest interest() { return interest; }
    boolean peerHeaders() { return peerHeaders; }

    @Override Parser parser() { return parser; }

    @Override
    void countOut(long msgs, long bytes) {
        outMsgs.addAndGet(msgs);
        outBytes.addAndGet(bytes);
        lastActivityMillis = System.currentTimeMillis();
    }

    @Override void onRead() { lastActivityMillis = System.currentTimeMillis(); }

    @Override void onReadComplete() {}

    /** The link is up (TCP, and TLS when configured): the acceptor speaks first. */
    void start() {
        if (closed) return; // refused at accept
        if (!outbound) {
            writeRaw(gateways.info());
            authTimer = channel.eventLoop().schedule(() -> {
                if (!connectReceived) closeWithError(ProtocolErrors.AUTHENTICATION_TIMEOUT, ClosedState.AUTHENTICATION_TIMEOUT);
            }, gateways.authTimeout().toNanos(), TimeUnit.NANOSECONDS);
            lc.flushPending();
        }
    }

    /**
     * TLS is up: check the peer before a single protocol byte. The chain's dates are checked on every handshake,
     * since a resumed session skips the trust manager, and the peer must prove a pinned identity when some are set.
     */
    @Override
    void tlsHandshakeDone(SslHandler ssl) {
        SSLSession session = ssl.engine().getSession();
        String p = session.getProtocol();
        tlsVersion = p.startsWith("TLSv") ? p.substring(4) : p;
        tlsCipher = session.getCipherSuite();
        String problem = peerProblem(PeerCertificates.of(session));
        if (problem != null) {
            log.warn("{} gateway connection {}: peer refused: {}", outbound ? "Outbound" : "Inbound", remoteAddress(), problem);
            server.listener().authenticationFailed(remoteAddress(), "gateway: " + problem);
            // the dialer is told, as nats-server tells a gateway it refuses; as the dialer we just hang up
            if (outbound) close(ClosedState.AUTHENTICATION_VIOLATION);
            else closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
            return;
        }
        start();
    }

    /** Why the peer's verified chain is not acceptable on this link, or null. */
    private String peerProblem(List<X509Certificate> chain) {
        if (chain.isEmpty()) return "no certificate in the TLS session";
        String dates = PeerCertificates.validityProblem(chain, new Date());
        if (dates != null) return dates;
        Set<String> pinned = gateways.options().peerIdentities();
        if (!pinned.isEmpty() && CertificateIdentities.firstMatch(pinned, chain.get(0)) == null) {
            return "certificate identity " + CertificateIdentities.describe(chain.get(0)) + " is not among the peer identities "
                    + pinned + (expectedName == null ? "" : " (dialing gateway \"" + expectedName + "\")");
        }
        return null;
    }

    // ---- handshake ----

    @Override
    public void processConnect(ByteBuf buf, int offset, int length) {
        if (outbound) {
            close(ClosedState.PROTOCOL_VIOLATION);
            return;
        }
        if (authTimer != null) authTimer.cancel(false);
        Map<?, ?> m = json(buf, offset, length);
        if (m == null) return;
        Object gw = m.get("gateway");
        if (!(gw instanceof String name) || name.isEmpty()) {
            closeWithError("attempted to connect to gateway port", ClosedState.PROTOCOL_VIOLATION);
            return;
        }
        GatewayOptions go = gateways.options();
        if (go.user() != null && !(go.user().equals(m.get("user")) && go.password().equals(m.get("pass")))) {
            log.info("gateway {} from {}: authentication failed", name, remoteAddress());
            closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
            return;
        }
        if (m.get("account") instanceof String a && !a.isEmpty()) {
            closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
            return;
        }
        if (go.rejectUnknown() && !gateways.isConfigured(name)) {
            rejectUnknown(name);
            return;
        }
        remoteName = name;
        connectReceived = true;
        gateways.handshakeDone(this);
        parser.requireConnectFirst(false);
        schedulePing(firstPingDelay());
    }

    @Override
    public void processInfo(ByteBuf buf, int offset, int length) {
        Map<?, ?> m = json(buf, offset, length);
        if (m == null) return;
        String gw = m.get("gateway") instanceof String s ? s : "";
        List<String> urls = strings(m.get("gateway_urls"));
        if (!outbound) {
            if (registered) return; // nats-server ignores later INFOs on an inbound link
            if (m.get("server_name") instanceof String sn && !sn.isEmpty() && sn.equals(server.serverName())) {
                log.warn("gateway {}: remote server has our server name {}, closing", gw, sn);
                close(ClosedState.PROTOCOL_VIOLATION);
                return;
            }
            // the INFO names the same gateway as the CONNECT, or a peer admitted under one name (rejectUnknown, the
            // configured name) would be registered, and dialed back, under another
            if (!gw.isEmpty() && !gw.equals(remoteName)) {
                log.warn("gateway {} {}: INFO names gateway \"{}\", closing", remoteName, remoteAddress(), gw);
                closeWithError("Connection to gateway \"" + gateways.options().name() + "\" rejected", ClosedState.WRONG_GATEWAY);
                return;
            }
            remoteServerId = m.get("server_id") instanceof String id ? id : "";
            registered = true;
            gateways.inboundRegistered(this, urls);
            return;
        }
        if (!registered) {
            if (gw.isEmpty()) {
                closeWithError("Attempt to connect to gateway \"" + expectedName + "\" using wrong port", ClosedState.PROTOCOL_VIOLATION);
                return;
            }
            if (!gw.equals(expectedName)) {
                closeWithError("Connection from \"" + gateways.options().name() + "\" rejected, wanted to connect to \""
                        + expectedName + "\", this is \"" + gw + "\"", ClosedState.PROTOCOL_VIOLATION);
                return;
            }
            if (m.get("server_name") instanceof String sn && !sn.isEmpty() && sn.equals(server.serverName())) {
                close(ClosedState.PROTOCOL_VIOLATION);
                return;
            }
            remoteServerId = m.get("server_id") instanceof String id ? id : "";
            peerHeaders = Boolean.TRUE.equals(m.get("headers"));
            if (m.get("max_payload") instanceof Number mp && mp.longValue() > 0) peerMaxPayload = mp.longValue();
            boolean iom = Boolean.TRUE.equals(m.get("gateway_iom"));
            interest = new RemoteInterest(this, iom);
            gateways.mergeUrls(gw, urls);
            writeRaw(gateways.connectJson());
            writeRaw(gateways.info());
            lc.flushPending();
            registered = true;
            if (!gateways.outboundRegistered(this)) {
                close(ClosedState.PROTOCOL_VIOLATION);
                return;
            }
            schedulePing(firstPingDelay());
            return;
        }
        int cmd = m.get("gateway_cmd") instanceof Number n ? n.intValue() : 0;
        switch (cmd) {
            case 1 -> gateways.gossip(gw, urls);
            case 2, 3 -> {
                String acc = account(m.get("gateway_cmd_payload"));
                if (acc == null) {
                    closeWithError("Account absent from receive-all-subscriptions-" + (cmd == 2 ? "start" : "complete")
                            + " command", ClosedState.PROTOCOL_VIOLATION);
                    return;
                }
                if (!gw.equals(expectedName)) {
                    closeWithError("Connection from \"" + gateways.options().name() + "\" rejected, wanted to connect to \""
                            + expectedName + "\", this is \"" + gw + "\"", ClosedState.PROTOCOL_VIOLATION);
                    return;
                }
                if (cmd == 2) interest.allSubsStart(acc);
                else interest.allSubsComplete(acc);
            }
            case 0 -> {
                if (gw.equals(expectedName)) gateways.mergeUrls(gw, urls);
                else closeWithError("Connection from \"" + gateways.options().name() + "\" rejected, wanted to connect to \""
                        + expectedName + "\", this is \"" + gw + "\"", ClosedState.PROTOCOL_VIOLATION);
            }
            default -> log.warn("gateway {}: unknown gateway_cmd {}", expectedName, cmd);
        }
    }

    /** An inbound link from a gateway we are not configured for, with rejectUnknown on (nats-server's text). */
    private void rejectUnknown(String name) {
        log.warn("Rejecting connection from gateway \"{}\" ({}): not a configured remote", name, remoteAddress());
        server.listener().authenticationFailed(remoteAddress(), "gateway: unknown gateway name " + name);
        closeWithError("Connection to gateway \"" + gateways.options().name() + "\" rejected", ClosedState.WRONG_GATEWAY);
    }

    /** Go marshals {@code []byte} as base64; the account name travels that way. */
    private static String account(Object payload) {
        if (!(payload instanceof String s) || s.isEmpty()) return null;
        try {
            return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Map<?, ?> json(ByteBuf buf, int offset, int length) {
        try {
            if (JsonReader.parse(buf.toString(offset, length, StandardCharsets.UTF_8)) instanceof Map<?, ?> m) return m;
        } catch (IllegalArgumentException e) {
            log.debug("gateway {}: bad JSON: {}", remoteName, e.getMessage());
        }
        close(ClosedState.PROTOCOL_VIOLATION);
        return null;
    }

    private static List<String> strings(Object o) {
        if (!(o instanceof List<?> l)) return List.of();
        return l.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    // ---- interest (received on outbound links) ----

    @Override
    public void processRemoteSub(boolean add, ByteBuf buf, int offset, int length) {
        if (!outbound || interest == null) {
            log.debug("gateway {}: RS{} on an inbound link", remoteName, add ? "+" : "-");
            close(ClosedState.PROTOCOL_VIOLATION);
            return;
        }
        if (!interest.remoteSub(add, buf.toString(offset, length, StandardCharsets.UTF_8))) {
            close(ClosedState.PROTOCOL_VIOLATION);
        }
    }

    @Override
    public void processAccountInterest(boolean add, ByteBuf buf, int offset, int length) {
        if (!outbound || interest == null) {
            close(ClosedState.PROTOCOL_VIOLATION);
            return;
        }
        interest.accountInterest(add, buf.toString(offset, length, StandardCharsets.UTF_8).trim());
    }

    // ---- messages (received on inbound links) ----

    @Override
    public boolean processPubArgs(ByteBuf buf, PubArgs args) { return true; }

    @Override
    public void processMsg(ByteBuf buf, PubArgs args) { close(ClosedState.PROTOCOL_VIOLATION); }

    /** Refuses an oversized RMSG/HMSG on its control line, before any of its payload is buffered. */
    @Override
    public boolean processRoutedMsgArgs(ByteBuf buf, PubArgs a) {
        if (a.totalSize > options.maxPayload()) {
            log.warn("gateway {} {}: message of {} bytes is over max_payload ({}), closing the link", remoteName,
                    remoteAddress(), a.totalSize, options.maxPayload());
            closeWithError(ProtocolErrors.MAX_PAYLOAD_VIOLATION, ClosedState.MAX_PAYLOAD_EXCEEDED);
            return false;
        }
        return true;
    }

    @Override
    public void processRoutedMsg(ByteBuf buf, PubArgs a) {
        inMsgs++;
        inBytes += a.totalSize;
        // only the global account exists here; anything else has no subscribers
        if (a.accountLength != 2 || buf.getByte(a.accountOffset) != '$' || buf.getByte(a.accountOffset + 1) != 'G') return;
        boolean mappedReply = false;
        if (startsWithGr(buf, a.subjectOffset, a.subjectLength)) {
            String subject = buf.toString(a.subjectOffset, a.subjectLength, StandardCharsets.UTF_8);
            if (!GatewayReplies.isMapped(subject) || !GatewayReplies.clusterHashOf(subject).equals(gateways.clusterHash())) return;
            a.subjectOffset += GatewayReplies.PREFIX_LENGTH;
            a.subjectLength -= GatewayReplies.PREFIX_LENGTH;
            mappedReply = true;
        }
        ReadCache c = cache;
        if (c == null) c = cache = new ReadCache();
        int hash = ReadCache.hash(buf, a.subjectOffset, a.subjectLength);
        ReadCache.Entry e = c.get(buf, a.subjectOffset, a.subjectLength, hash);
        if (e == null) {
            byte[] key = new byte[a.subjectLength];
            buf.getBytes(a.subjectOffset, key);
            String subject = new String(key, StandardCharsets.UTF_8);
            e = new ReadCache.Entry(key, hash, subject, true, false);
            c.put(e);
        }
        if (!mappedReply && !inboundAllowed(e)) {
            refuseInbound(e.subject);
            return;
        }
        // only for a message we deliver: a tracked reply routes local publishes on it back to this peer
        if (a.replyLength > 0 && startsWithGr(buf, a.replyOffset, a.replyLength)) {
            String reply = buf.toString(a.replyOffset, a.replyLength, StandardCharsets.UTF_8);
            if (GatewayReplies.isMapped(reply)) {
                gateways.replies().track(reply);
                a.replyOffset += GatewayReplies.PREFIX_LENGTH;
                a.replyLength -= GatewayReplies.PREFIX_LENGTH;
            }
        }
        long gen = server.sublist().genid();
        if (e.genid != gen) {
            e.result = server.sublist().match(e.subject);
            e.genid = gen;
        }
        Set<String> queues = NO_QUEUES;
        if (a.queueCount > 0 && e.result.qsubs().length > 0) {
            queues = new HashSet<>();
            for (int i = 0; i < a.queueCount; i++) {
                queues.add(buf.toString(a.queueOffsets[i], a.queueLengths[i], StandardCharsets.UTF_8));
            }
        }
        // a message from a gateway never goes to another gateway: one hop, as in nats-server
        deliverLocal(e.result, buf, a, e.subject, true, queues, null);
    }

    /**
     * A link carries many publishers: a request is keyed by its reply subject without the last token (jnats and
     * nats.go give every connection one inbox prefix, so that is the requesting connection), anything else by the link.
     */
    @Override
    long publisherKey(ByteBuf buf, PubArgs a) {
        if (a.replyLength == 0) return cid;
        int end = a.replyOffset + a.replyLength, dot = end - 1;
        while (dot > a.replyOffset && buf.getByte(dot) != '.') dot--;
        int h = 1;
        for (int i = a.replyOffset; i < dot; i++) h = 31 * h + buf.getByte(i);
        return h;
    }

    /** gateway inbound_allow, decided once per subject and cached like a client's publish permission. */
    private boolean inboundAllowed(ReadCache.Entry e) {
        List<String> allow = gateways.options().inboundAllow();
        if (allow.isEmpty()) return true;
        if (e.publishPermission == 0) {
            boolean ok = false;
            for (String p : allow) {
                if (Subjects.matches(p, e.subject)) {
                    ok = true;
                    break;
                }
            }
            e.publishPermission = (byte) (ok ? 1 : 2);
        }
        return e.publishPermission == 1;
    }

    /** Drops a message outside inbound_allow: counted always, logged at most every few seconds per link. */
    private void refuseInbound(String subject) {
        refusedInbound++;
        gateways.countRefusedInbound(remoteName);
        server.listener().gatewayMessageRefused(remoteName, subject);
        long now = System.nanoTime();
        if (refusedLoggedAt == 0 || now - refusedLoggedAt > REFUSAL_LOG_INTERVAL_NANOS) {
            log.warn("gateway {} {}: dropped message on \"{}\": not in the gateway's inbound_allow ({} dropped on this link)",
                    remoteName, remoteAddress(), subject, refusedInbound);
            refusedLoggedAt = now;
        }
    }

    private static boolean startsWithGr(ByteBuf buf, int off, int len) {
        return len > GatewayReplies.PREFIX_LENGTH && buf.getByte(off) == '_' && buf.getByte(off + 1) == 'G'
                && buf.getByte(off + 2) == 'R' && buf.getByte(off + 3) == '_' && buf.getByte(off + 4) == '.';
    }

    /**
     * Stages an RMSG/HMSG for the peer on the publisher's loop. {@code subject} overrides the subject bytes (for
     * direct {@code _GR_.} sends); {@code replyPrefix} maps the reply so the answer can come straight back.
     */
    boolean sendMsg(Connection publisher, ByteBuf buf, PubArgs a, byte[] subject, byte[] replyPrefix, List<String> queues) {
        if (closed || !registered) return false;
        int off = a.payloadOffset;
        int len = a.totalSize;
        boolean withHeaders = a.headerSize > 0 && peerHeaders;
        if (a.headerSize > 0 && !peerHeaders) {
            off += a.headerSize;
            len -= a.headerSize;
        }
        if (len > peerMaxPayload) {
            server.limitReached("gateway {}: a message of {} bytes on {} is over the peer's max_payload ({}), not forwarded",
                    remoteName, len, subject == null ? buf.toString(a.subjectOffset, a.subjectLength, StandardCharsets.UTF_8)
                            : new String(subject, StandardCharsets.UTF_8), peerMaxPayload);
            return false;
        }
        Staging st = outbound().stage(publisher.lc);
        long pending = outbound().pendingBytes(st) + len;
        if (pending > options.maxPending()) {
            // one fast publisher must not cut the link everyone shares (and drop what is in flight on it)
            publisher.overfedLink(remoteName);
            return false;
        }
        if (pending > options.maxPending() / 2) publisher.stallFor(this);
        boolean copy = len <= Staging.COPY_THRESHOLD;
        int qlen = 0;
        if (queues != null) for (String q : queues) qlen += q.length() + 1;
        int line = 8 + (subject == null ? a.subjectLength : subject.length) + 2 + a.replyLength
                + (replyPrefix == null ? 0 : replyPrefix.length) + 3 + qlen * 3 + 24;
        ByteBuf out = st.acc(publisher.alloc, line + (copy ? len + 2 : 0));
        int before = out.writerIndex();
        out.writeBytes(withHeaders ? HMSG_G : RMSG);
        if (subject == null) out.writeBytes(buf, a.subjectOffset, a.subjectLength);
        else out.writeBytes(subject);
        boolean hasQueues = queues != null && !queues.isEmpty();
        if (a.replyLength > 0) {
            out.writeByte(' ');
            if (hasQueues) out.writeBytes(ascii("+ "));
            if (replyPrefix != null) out.writeBytes(replyPrefix);
            out.writeBytes(buf, a.replyOffset, a.replyLength);
        } else if (hasQueues) {
            out.writeBytes(ascii(" |"));
        }
        if (hasQueues) {
            for (String q : queues) {
                out.writeByte(' ');
                out.writeCharSequence(q, StandardCharsets.UTF_8);
            }
        }
        out.writeByte(' ');
        if (withHeaders) {
            out.writeBytes(buf, a.headerTokenOffset, a.headerTokenLength);
            out.writeByte(' ');
            out.writeBytes(buf, a.totalTokenOffset, a.totalTokenLength);
        } else {
            writeDecimal(out, len);
        }
        out.writeBytes(CRLF);
        writePayload(st, out, before, buf, off, len, copy);
        return true;
    }

    /** From any thread: RS+/RS-/INFO lines for the peer, written on this link's own loop. */
    void sendProtoAsync(String lines) {
        byte[] b = lines.getBytes(StandardCharsets.UTF_8);
        channel.eventLoop().execute(() -> {
            writeRaw(b);
            lc.flushPending();
        });
    }

    // ---- keepalive ----

    private Duration firstPingDelay() {
        long first = Math.min(gateways.options().pingInterval().toNanos(), FIRST_PING.toNanos());
        return Duration.ofNanos(first + ThreadLocalRandom.current().nextLong(first / 5 + 1));
    }

    private void schedulePing(Duration d) {
        if (pingTimer != null) pingTimer.cancel(false);
        pingTimer = channel.eventLoop().schedule(this::pingTimerFired, d.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Gateways ping on a fixed period whatever the traffic, and give up after ping_max unanswered. */
    private void pingTimerFired() {
        if (closed) return;
        if (pingsOut + 1 > options.pingMax()) {
            closeWithError(ProtocolErrors.STALE_CONNECTION, ClosedState.STALE_CONNECTION);
            return;
        }
        pingsOut++;
        pingSentNanos = System.nanoTime();
        writeRaw(PING);
        lc.flushPending();
        schedulePing(gateways.options().pingInterval());
    }

    @Override
    public void processPing() { writeRaw(PONG); }

    @Override
    public void processPong() {
        pingsOut = 0;
        if (pingSentNanos != 0) {
            rttNanos = Math.max(1, System.nanoTime() - pingSentNanos);
            pingSentNanos = 0;
        }
    }

    @Override public void processOk() {}

    @Override
    public void processErr(ByteBuf buf, int offset, int length) {
        log.warn("gateway {}: error from peer: {}", remoteName, buf.toString(offset, length, StandardCharsets.UTF_8));
        close(ClosedState.PARSE_ERROR);
    }

    @Override public void processSub(ByteBuf b, int so, int sl, int qo, int ql, int io, int il) { close(ClosedState.PROTOCOL_VIOLATION); }

    @Override public void processUnsub(ByteBuf b, int io, int il, int max) { close(ClosedState.PROTOCOL_VIOLATION); }

    @Override
    public void protocolError(ParseError error, String detail) {
        log.debug("gateway {}: protocol error {} {}", remoteName, error, detail);
        switch (error) {
            case UNKNOWN_OPERATION -> closeWithError(ProtocolErrors.UNKNOWN_PROTOCOL_OPERATION, ClosedState.PROTOCOL_VIOLATION);
            case AUTHORIZATION_VIOLATION -> closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, ClosedState.AUTHENTICATION_VIOLATION);
            case MAX_CONTROL_LINE -> {
                log.warn("gateway {} {}: control line over {} bytes, closing the link", remoteName, remoteAddress(),
                        Math.max(options.maxControlLine(), Parser.GATEWAY_MIN_CONTROL_LINE));
                closeWithError(ProtocolErrors.MAX_CONTROL_LINE, ClosedState.MAX_CONTROL_LINE_EXCEEDED);
            }
            default -> close(ClosedState.PROTOCOL_VIOLATION);
        }
    }

    // ---- closing ----

    void closeWithError(String text, ClosedState reason) {
        if (closed) return;
        writeRaw(ProtocolErrors.line(text).getBytes(StandardCharsets.UTF_8));
        lc.flushPending();
        closeInternal(reason, true);
    }

    @Override
    void close(ClosedState reason) { closeInternal(reason, false); }

    @Override
    void writeDeadlineExceeded() {
        server.countSlowConsumer();
        closeInternal(ClosedState.SLOW_CONSUMER_WRITE_DEADLINE, false);
    }

    /**
     * Refused at accept (max_pending_auth): nothing was said or registered yet, so it just goes, without the per-link
     * log line a flood would otherwise write for each.
     */
    void refuse() {
        closed = true;
        closedState = ClosedState.MAX_CONNECTIONS_EXCEEDED;
        parser.stop();
        channel.close();
    }

    private void closeInternal(ClosedState reason, boolean flushFirst) {
        if (closed) return;
        closed = true;
        closedState = reason;
        parser.stop();
        if (authTimer != null) authTimer.cancel(false);
        if (pingTimer != null) pingTimer.cancel(false);
        if (flushFirst) channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        else channel.close();
        outbound().releaseAll();
        log.info("{} gateway connection {} {} closed: {}", outbound ? "Outbound" : "Inbound",
                remoteName == null ? "(before its INFO)" : "\"" + remoteName + "\"", remoteAddress(), reason);
        gateways.connectionClosed(this);
    }

    String remoteAddress() { return ip + ":" + port; }

    ConnInfo snapshot() {
        long rtt = rttNanos;
        return new ConnInfo(cid, "Gateway", null, ip, port, start, Instant.ofEpochMilli(lastActivityMillis), null,
                closedState == null ? null : closedState.toString(), rtt == 0 ? null : Duration.ofNanos(rtt), 0,
                inMsgs, outMsgs.get(), inBytes, outBytes.get(), interest == null ? 0 : interest.subscriptionCount(),
                remoteServerId, null, null, tlsVersion, tlsCipher, null, null, null);
    }
}
