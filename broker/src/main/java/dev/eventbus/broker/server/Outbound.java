package dev.eventbus.broker.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How output reaches one connection without a lock per message (the Java answer to nats-server's
 * {@code queueOutbound}/{@code flushClients}).
 *
 * <p>Each event loop stages what it sends to this connection in its own {@link Staging} slot (confined, no
 * synchronisation). When the loop's read batch ends, the slot is handed over once: written straight to the channel
 * when the connection lives on the same loop, otherwise queued on an MPSC queue and drained by one task on the
 * connection's own loop. So the cost of crossing threads is one CAS per batch and target, not per message, and
 * each publisher's order is kept.
 */
final class Outbound {
    private final Connection conn;
    private final Staging[] slots;
    /**
     * Offered once per buffer handed over (a few per read batch, not per message), so a linked queue's node is
     * cheap, and an idle connection pays for one empty node instead of a pre-sized array.
     */
    private final Queue<ByteBuf> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final Staging.Sink directSink;
    private final Staging.Sink queueSink;
    private final Staging.Sink releaseSink = ByteBuf::release;

    Outbound(Connection conn, int loops) {
        this.conn = conn;
        this.slots = new Staging[loops];
        Channel ch = conn.channel();
        this.directSink = b -> ch.write(b, ch.voidPromise());
        this.queueSink = b -> {
            queued.addAndGet(b.readableBytes());
            inbox.offer(b);
        };
    }

    /** The calling loop's slot for this connection, registered for flushing at the end of the batch. */
    Staging stage(LoopContext lc) {
        Staging s = slots[lc.index];
        if (s == null) s = slots[lc.index] = new Staging();
        if (!s.marked) {
            s.marked = true;
            lc.markPending(conn);
        }
        return s;
    }

    /** Bytes written to this connection but not yet on the wire, including what {@code s} holds. */
    long pendingBytes(Staging s) {
        ChannelOutboundBuffer ob = conn.channel().unsafe().outboundBuffer();
        return s.bytes + queued.get() + (ob == null ? 0 : ob.totalPendingWriteBytes());
    }

    /** Bytes queued or in Netty's buffer for this connection, without any loop's current batch. */
    long pendingBytes() {
        ChannelOutboundBuffer ob = conn.channel().unsafe().outboundBuffer();
        return queued.get() + (ob == null ? 0 : ob.totalPendingWriteBytes());
    }

    /** Runs on {@code lc}'s loop at the end of its batch. */
    void handOver(LoopContext lc) {
        Staging s = slots[lc.index];
        s.marked = false;
        if (s.isEmpty()) return;
        if (conn.isClosed()) {
            s.drainTo(releaseSink);
            return;
        }
        conn.countOut(s.msgs, s.msgBytes);
        if (lc == conn.loopContext()) {
            // what other loops queued earlier goes first: a PONG must never overtake a MSG queued before it
            drainInbox(conn.channel());
            s.drainTo(directSink);
            conn.channel().flush();
        } else {
            s.drainTo(queueSink);
            if (drainScheduled.compareAndSet(false, true)) conn.loopContext().loop.execute(drainTask);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Channel ch = conn.channel();
        drainInbox(ch);
        if (!conn.isClosed()) ch.flush();
    }

    private void drainInbox(Channel ch) {
        boolean closed = conn.isClosed();
        ByteBuf b;
        while ((b = inbox.poll()) != null) {
            queued.addAndGet(-b.readableBytes());
            if (closed) b.release();
            else ch.write(b, ch.voidPromise());
        }
    }

    /** Frees everything queued; called once the connection is closed, on its own loop. */
    void releaseAll() {
        Staging own = slots[conn.loopContext().index];
        if (own != null && !own.marked) own.drainTo(releaseSink);
        drain();
    }
}
