package dev.eventbus.broker.subject;

/**
 * The subscriptions that match one subject: plain ones, and queue groups keyed by queue name across every matching
 * subject (one member of each group gets the message). Immutable, shared by all readers of the match cache.
 */
public final class SublistResult {
    static final Subscription[] NO_SUBS = new Subscription[0];
    static final Subscription[][] NO_GROUPS = new Subscription[0][];
    public static final SublistResult EMPTY = new SublistResult(NO_SUBS, NO_GROUPS);

    private final Subscription[] psubs;
    private final Subscription[][] qsubs;

    SublistResult(Subscription[] psubs, Subscription[][] qsubs) {
        this.psubs = psubs;
        this.qsubs = qsubs;
    }

    /** Plain subscriptions; the array is shared and must not be modified. */
    public Subscription[] psubs() { return psubs; }
    /** One array of members per queue group; shared and must not be modified. */
    public Subscription[][] qsubs() { return qsubs; }
    public boolean isEmpty() { return psubs.length == 0 && qsubs.length == 0; }

    /** Fan-out: plain subscribers plus one per queue group. */
    public int fanout() { return psubs.length + qsubs.length; }
}
