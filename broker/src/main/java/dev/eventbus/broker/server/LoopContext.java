package dev.eventbus.broker.server;

import io.netty.channel.EventLoop;
import java.util.ArrayList;

/**
 * State owned by one event loop thread: its index into every connection's staging slots, and the connections it
 * wrote to during the current read batch (nats-server's {@code pcd}), flushed once when the batch ends.
 */
final class LoopContext {
    final int index;
    final EventLoop loop;
    private final ArrayList<Connection> pending = new ArrayList<>();

    LoopContext(int index, EventLoop loop) {
        this.index = index;
        this.loop = loop;
    }

    /** Remembers a connection that has output staged in this loop's slot. Called once per batch per target. */
    void markPending(Connection c) { pending.add(c); }

    /**
     * Hands every staged output of this batch to its connection and flushes; runs on this loop only. Connections
     * on other loops are served first: once anyone on this loop gets an answer (a PONG), every message this batch
     * sent elsewhere is already queued ahead of what those connections will write next, as nats-server guarantees.
     */
    void flushPending() {
        ArrayList<Connection> p = pending;
        // index loops: closing a connection during a handover may flush (and empty this list) re-entrantly
        for (int i = 0; i < p.size(); i++) {
            Connection c = p.get(i);
            if (c.loopContext() != this) c.outbound().handOver(this);
        }
        for (int i = 0; i < p.size(); i++) {
            Connection c = p.get(i);
            if (c.loopContext() == this) c.outbound().handOver(this);
        }
        p.clear();
    }
}
