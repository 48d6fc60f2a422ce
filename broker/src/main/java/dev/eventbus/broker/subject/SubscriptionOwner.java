package dev.eventbus.broker.subject;

/** Whatever holds subscriptions in a {@link Sublist}: a client connection now, a gateway link later. */
public interface SubscriptionOwner {
    /** Connection id, shown in /subsz and /connz. */
    long cid();
}
