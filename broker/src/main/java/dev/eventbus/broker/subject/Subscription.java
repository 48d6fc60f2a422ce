package dev.eventbus.broker.subject;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * One SUB. Immutable apart from its delivery count, the auto-unsubscribe limit and the closed flag, which publishers
 * on any event loop read and update without locks.
 */
public final class Subscription {
    private static final VarHandle DELIVERED;
    static {
        try {
            DELIVERED = MethodHandles.lookup().findVarHandle(Subscription.class, "delivered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SubscriptionOwner owner;
    private final String subject;
    private final String queue;
    private final String sid;
    /** The sid as bytes, written into every MSG line without encoding it again. */
    private final byte[] sidBytes;
    private volatile long delivered;
    private volatile long max;
    private volatile boolean closed;

    public Subscription(SubscriptionOwner owner, String subject, String queue, String sid) {
        this.owner = owner;
        this.subject = subject;
        this.queue = queue;
        this.sid = sid;
        this.sidBytes = sid.getBytes(StandardCharsets.ISO_8859_1);
    }

    public SubscriptionOwner owner() { return owner; }
    public String subject() { return subject; }
    /** The queue group, or null for a plain subscription. */
    public String queue() { return queue; }
    public boolean isQueue() { return queue != null; }
    public String sid() { return sid; }
    public byte[] sidBytes() { return sidBytes; }
    public long delivered() { return delivered; }
    /** The auto-unsubscribe limit, 0 when none. */
    public long max() { return max; }
    public void max(long max) { this.max = max; }
    public boolean isClosed() { return closed; }
    public void close() { closed = true; }

    /**
     * Counts one delivery and says whether it may go out: false once the auto-unsubscribe limit was passed.
     * The caller unsubscribes when {@link #reachedMax(long)} says so.
     */
    public long countDelivery() {
        return (long) DELIVERED.getAndAdd(this, 1L) + 1;
    }

    public boolean reachedMax(long n) {
        long m = max;
        return m > 0 && n >= m;
    }

    public boolean overMax(long n) {
        long m = max;
        return m > 0 && n > m;
    }

    @Override
    public String toString() {
        return "Subscription[" + subject + (queue == null ? "" : " " + queue) + " sid=" + sid + "]";
    }
}
