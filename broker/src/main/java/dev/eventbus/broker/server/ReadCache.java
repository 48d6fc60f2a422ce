package dev.eventbus.broker.server;

import dev.eventbus.broker.subject.SublistResult;
import io.netty.buffer.ByteBuf;

/**
 * A publisher's own cache of subject lookups, keyed by the subject's bytes in the read buffer so that a hit needs
 * no String, no lock and no allocation (nats-server's per-client L1 {@code readCache}). Direct-mapped: a collision
 * just replaces the older entry. Results are valid while the sublist's genid is unchanged.
 */
final class ReadCache {
    private static final int SIZE = 256;
    private static final int MASK = SIZE - 1;

    static final class Entry {
        final byte[] key;
        final int hash;
        final String subject;
        /** Pedantic publish check: no wildcard token and no empty token. */
        final boolean validLiteral;
        /** {@code _GR_.} prefixed subjects may not be published by clients. */
        final boolean reserved;
        /**
         * 0 unknown, 1 allowed, 2 denied by this connection's publish permissions; on a gateway link, by the
         * gateway's inbound_allow (what the peer may deliver here).
         */
        byte publishPermission;
        SublistResult result;
        long genid = -1;

        Entry(byte[] key, int hash, String subject, boolean validLiteral, boolean reserved) {
            this.key = key;
            this.hash = hash;
            this.subject = subject;
            this.validLiteral = validLiteral;
            this.reserved = reserved;
        }
    }

    private final Entry[] entries = new Entry[SIZE];

    static int hash(ByteBuf buf, int off, int len) {
        int h = 1;
        for (int i = 0; i < len; i++) h = 31 * h + buf.getByte(off + i);
        return h ^ (h >>> 16);
    }

    Entry get(ByteBuf buf, int off, int len, int hash) {
        Entry e = entries[hash & MASK];
        if (e == null || e.hash != hash || e.key.length != len) return null;
        byte[] k = e.key;
        for (int i = 0; i < len; i++) {
            if (k[i] != buf.getByte(off + i)) return null;
        }
        return e;
    }

    void put(Entry e) { entries[e.hash & MASK] = e; }

    /** Forgets every permission answer, e.g. after re-authentication with other permissions. */
    void clear() { java.util.Arrays.fill(entries, null); }
}
