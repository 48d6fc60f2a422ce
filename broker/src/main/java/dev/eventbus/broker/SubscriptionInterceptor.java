package dev.eventbus.broker;

/**
 * Lets an application veto subscriptions (event-service enforces its listener_limit with it). Called on the
 * subscriber's event loop, so it must be fast and thread-safe.
 */
public interface SubscriptionInterceptor {
    SubscriptionInterceptor NONE = new SubscriptionInterceptor() {};

    /**
     * @return null to allow; otherwise a short reason, sent to the client as
     *         {@code -ERR 'Permissions Violation for Subscription to "S", <reason>'} (a non-fatal error for every
     *         NATS client, as nats-server's own {@code , too many tokens} variant)
     */
    default String onSubscribe(long cid, String subject, String queue) { return null; }

    /** An allowed subscription ended (UNSUB, auto-unsubscribe, or the connection closed). */
    default void onUnsubscribe(long cid, String subject, String queue) {}
}
