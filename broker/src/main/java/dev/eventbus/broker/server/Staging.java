package dev.eventbus.broker.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Output bound for one connection, written by one event loop during one read batch. Small MSGs (headers and
 * payloads) are packed into one accumulation buffer, so a batch of tiny messages becomes one big write; payloads
 * above {@link #COPY_THRESHOLD} travel as retained slices of the publisher's read buffer, never copied.
 * Confined to the loop that owns the slot.
 */
final class Staging {
    /** Copying this much is cheaper than a slice object and an extra gather entry; measured in bench/ (JMH). */
    static final int COPY_THRESHOLD = 2048;
    private static final int ACC_INITIAL = 4096;
    /** Past this an accumulator is cut, so growing it never copies megabytes. */
    private static final int ACC_MAX = 64 * 1024;

    private ByteBuf acc;
    private ByteBuf[] parts = new ByteBuf[4];
    private int nparts;
    /** Wire bytes staged, for the slow-consumer check. */
    long bytes;
    /** Messages and payload bytes staged, for out_msgs/out_bytes. */
    long msgs;
    long msgBytes;
    /** True while the owning loop has this target in its pending list. */
    boolean marked;

    /** The accumulation buffer, with room for at least {@code need} more bytes. */
    ByteBuf acc(ByteBufAllocator alloc, int need) {
        ByteBuf a = acc;
        if (a == null) {
            a = acc = alloc.directBuffer(Math.max(ACC_INITIAL, need));
        } else if (a.writableBytes() < need) {
            if (a.readableBytes() + need > ACC_MAX) {
                push(a);
                a = acc = alloc.directBuffer(Math.max(ACC_INITIAL, need));
            } else {
                a.ensureWritable(need);
            }
        }
        return a;
    }

    /** Appends a retained payload slice after what is accumulated so far. */
    void addSlice(ByteBuf slice) {
        if (acc != null) {
            push(acc);
            acc = null;
        }
        push(slice);
    }

    private void push(ByteBuf b) {
        if (nparts == parts.length) {
            ByteBuf[] p = new ByteBuf[nparts * 2];
            System.arraycopy(parts, 0, p, 0, nparts);
            parts = p;
        }
        parts[nparts++] = b;
    }

    boolean isEmpty() { return nparts == 0 && (acc == null || !acc.isReadable()); }

    /** Moves every staged buffer, in order, to the sink and resets the slot. */
    void drainTo(Sink sink) {
        for (int i = 0; i < nparts; i++) {
            sink.accept(parts[i]);
            parts[i] = null;
        }
        nparts = 0;
        if (acc != null) {
            if (acc.isReadable()) sink.accept(acc);
            else acc.release();
            acc = null;
        }
        bytes = 0;
        msgs = 0;
        msgBytes = 0;
    }

    interface Sink {
        void accept(ByteBuf b);
    }
}
