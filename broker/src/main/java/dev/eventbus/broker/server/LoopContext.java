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

    /** Hands every staged output of this batch to its connection and flushes; runs on this loop only. */
    void flushPending() {
        ArrayList<Connection> p = pending;
        // index loop: handing over may stage nothing new, but closing a slow consumer must not break iteration
        for (int i = 0; i < p.size(); i++) p.get(i).outbound().handOver(this);
        p.clear();
    }
}
