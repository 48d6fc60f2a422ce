package dev.eventbus.broker.server;

import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.protocol.PubArgs;
import dev.eventbus.broker.subject.SublistResult;
import dev.eventbus.broker.subject.Subscription;
import dev.eventbus.broker.subject.SubscriptionOwner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What every connection kind shares (nats-server's {@code client} struct serves clients and gateways alike): its
 * loop, its output path, and delivering a message it received to local subscribers.
 */
abstract class Connection implements SubscriptionOwner {
    static final byte[] MSG = ascii("MSG ");
    static final byte[] HMSG = ascii("HMSG ");
    static final byte[] CRLF = ascii("\r\n");

    final Server server;
    final Channel channel;
    final LoopContext lc;
    final long cid;
    final Outbound outbound;
    final ByteBufAllocator alloc;
    final BrokerOptions options;
    volatile boolean closed;
    /** Loop-confined: reads from this producer are paused while a consumer it feeds catches up. */
    private boolean stalled;
    static final long MAX_STALL_NANOS = 1_000_000_000L;
    private static final long STALL_CHECK_NANOS = 2_000_000L;

    Connection(Server server, Channel channel, LoopContext lc, long cid) {
        this.server = server;
        this.channel = channel;
        this.lc = lc;
        this.cid = cid;
        this.options = server.options();
        this.alloc = channel.alloc();
        this.outbound = new Outbound(this, server.loopCount());
    }

    @Override public long cid() { return cid; }
    Channel channel() { return channel; }
    LoopContext loopContext() { return lc; }
    Outbound outbound() { return outbound; }
    boolean isClosed() { return closed; }

    /** Counts messages and payload bytes handed to the socket for this connection (once per batch). */
    abstract void countOut(long msgs, long bytes);

    abstract dev.eventbus.broker.protocol.Parser parser();

    /** Bytes arrived (before parsing). */
    abstract void onRead();

    /** The read batch is over (before the loop flushes). */
    abstract void onReadComplete();

    /** TLS is up (the handler only calls this when the connection uses TLS). */
    abstract void tlsHandshakeDone(io.netty.handler.ssl.SslHandler ssl);

    abstract void close(ClosedState reason);

    /** From any thread. */
    final void scheduleClose(ClosedState reason) {
        if (channel.eventLoop().inEventLoop()) close(reason);
        else channel.eventLoop().execute(() -> close(reason));
    }

    abstract void writeDeadlineExceeded();

    /** Queues bytes of our own (INFO, PONG, +OK, -ERR) behind anything this loop already staged for us. */
    void writeRaw(byte[] bytes) {
        if (closed) return;
        Staging st = outbound.stage(lc);
        st.acc(alloc, bytes.length).writeBytes(bytes);
        st.bytes += bytes.length;
    }

    /**
     * Delivers to every plain subscription and one member of each queue group in {@code r}.
     *
     * @param queues when not null, only these queue groups are served (a gateway names the groups it wants)
     * @param served when not null, receives the names of the queue groups that got the message
     * @return whether anything was delivered
     */
    final boolean deliverLocal(SublistResult r, ByteBuf buf, PubArgs a, String subject, boolean echo,
                               java.util.Set<String> queues, java.util.Collection<String> served) {
        boolean delivered = false;
        for (Subscription sub : r.psubs()) delivered |= deliver(sub, buf, a, subject, echo);
        for (Subscription[] group : r.qsubs()) {
            if (queues != null && !queues.contains(group[0].queue())) continue;
            int n = group.length;
            int first = n == 1 ? 0 : options.orderedQueueGroups().contains(group[0].queue())
                    ? (int) Math.floorMod(publisherKey(buf, a), (long) n) : ThreadLocalRandom.current().nextInt(n);
            for (int i = 0; i < n; i++) {
                if (deliver(group[(first + i) % n], buf, a, subject, echo)) {
                    delivered = true;
                    if (served != null) served.add(group[0].queue());
                    break;
                }
            }
        }
        return delivered;
    }

    /** Which publisher a message comes from, for {@link BrokerOptions#orderedQueueGroups()}: this connection. */
    long publisherKey(ByteBuf buf, PubArgs a) { return cid; }

    /**
     * Stages one MSG/HMSG for a local subscriber, on this (the publishing) connection's loop. Returns false when the
     * subscription was skipped (closed, echo suppressed, filtered, slow, past its max).
     */
    private boolean deliver(Subscription sub, ByteBuf buf, PubArgs a, String subject, boolean echo) {
        ClientConnection target = (ClientConnection) sub.owner();
        if (sub.isClosed() || target.closed) return false;
        if (target == this && !echo) return false;
        if (target.perms.hasSubscribeDeny() && target.perms.deliveryDenied(subject, sub.queue())) return false;
        long n = sub.countDelivery();
        if (sub.overMax(n)) {
            target.removeSubscription(sub);
            return false;
        }
        boolean withHeaders = a.headerSize > 0 && target.headers;
        int off = a.payloadOffset;
        int len = a.totalSize;
        if (a.headerSize > 0 && !target.headers) {
            off += a.headerSize;
            len -= a.headerSize;
        }
        Staging st = target.outbound.stage(lc);
        long pending = target.outbound.pendingBytes(st) + len;
        if (pending > options.maxPending()) {
            target.slowConsumer();
            return false;
        }
        if (pending > options.maxPending() / 2) stallFor(target);
        boolean copy = len <= Staging.COPY_THRESHOLD;
        int lineMax = 5 + a.subjectLength + 1 + sub.sidBytes().length + 1 + a.replyLength + 1 + 22 + 2;
        ByteBuf out = st.acc(alloc, lineMax + (copy ? len + 2 : 0));
        int before = out.writerIndex();
        out.writeBytes(withHeaders ? HMSG : MSG);
        out.writeBytes(buf, a.subjectOffset, a.subjectLength);
        out.writeByte(' ');
        out.writeBytes(sub.sidBytes());
        if (a.replyLength > 0) {
            out.writeByte(' ');
            out.writeBytes(buf, a.replyOffset, a.replyLength);
        }
        out.writeByte(' ');
        if (withHeaders) {
            out.writeBytes(buf, a.headerTokenOffset, a.headerTokenLength);
            out.writeByte(' ');
            out.writeBytes(buf, a.totalTokenOffset, a.totalTokenLength);
        } else if (a.headerSize > 0) {
            writeDecimal(out, len);
        } else {
            out.writeBytes(buf, a.totalTokenOffset, a.totalTokenLength);
        }
        out.writeBytes(CRLF);
        writePayload(st, out, before, buf, off, len, copy);
        if (sub.reachedMax(n)) target.removeSubscription(sub);
        return true;
    }

    /**
     * nats-server's producer stall: a publisher (a client, or a gateway peer delivering here) feeding a consumer (a
     * client, or a gateway link) that is over half
     * of max_pending stops being read for up to {@link #MAX_STALL_NANOS}, or until the consumer is back under a
     * quarter. Only reads from this publisher pause (autoRead off); its event loop keeps serving everyone else, so
     * nothing blocks.
     */
    final void stallFor(Connection target) {
        if (stalled) return;
        stalled = true;
        channel.config().setAutoRead(false);
        long until = System.nanoTime() + MAX_STALL_NANOS;
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (closed || target.closed || System.nanoTime() - until > 0
                        || target.outbound.pendingBytes() < options.maxPending() / 4) {
                    stalled = false;
                    if (!closed && !readPaused()) channel.config().setAutoRead(true);
                } else {
                    channel.eventLoop().schedule(this, STALL_CHECK_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
            }
        };
        channel.eventLoop().schedule(check, STALL_CHECK_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** True while reads are paused for a reason of the subclass (a rate limit), so a stall's end must not resume. */
    boolean readPaused() { return false; }

    final boolean isStalled() { return stalled; }

    /**
     * A gateway link this publisher feeds is over max_pending despite the stall. The link carries everyone's
     * traffic, so it is never cut for one publisher: the publisher is (a client; see ClientConnection).
     */
    void overfedLink(String link) {}

    /** Appends the payload and its CRLF after a control line that starts at {@code before}. */
    final void writePayload(Staging st, ByteBuf out, int before, ByteBuf buf, int off, int len, boolean copy) {
        if (copy) {
            out.writeBytes(buf, off, len);
            out.writeBytes(CRLF);
            st.bytes += out.writerIndex() - before;
        } else {
            st.bytes += out.writerIndex() - before + len + 2;
            st.addSlice(buf.retainedSlice(off, len));
            st.acc(alloc, 2).writeBytes(CRLF);
        }
        st.msgs++;
        st.msgBytes += len;
    }

    static void writeDecimal(ByteBuf out, int v) {
        if (v >= 10) writeDecimal(out, v / 10);
        out.writeByte('0' + v % 10);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
