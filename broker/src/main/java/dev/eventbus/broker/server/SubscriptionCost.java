package dev.eventbus.broker.server;

/**
 * What one subscription costs on the heap, as charged against max_subscription_memory: a fixed part measured on a
 * 64-bit JVM with compressed oops (the {@code Subscription}, its entry in the connection's sid map, its trie node and
 * list, and the sid bytes; see docs/security/limits.md for the measurement) plus its strings, which the trie and the
 * subscription each hold a copy of. An estimate that errs high for ASCII names (the usual case), so the budget holds;
 * names outside Latin-1 take two bytes a character and are undercharged, at most twice.
 */
final class SubscriptionCost {
    /** Bytes per subscription apart from its strings' characters. */
    static final long FIXED = 400;

    private SubscriptionCost() {}

    static long of(String subject, String queue, String sid) {
        return FIXED + 2L * subject.length() + (queue == null ? 0 : 2L * queue.length()) + 2L * sid.length();
    }
}
