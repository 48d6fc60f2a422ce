package dev.eventbus.gateway.app;

import dev.eventbus.broker.SubscriptionInterceptor;
import java.util.List;
import java.util.Set;

/**
 * Refuses subscriptions in reserved queue groups, whatever the agent's grant. event-service consumes events in queue
 * group {@code event-service}; the gateway serves a queue group locally when it has a member and does not forward the
 * message, so an agent that joined that group would receive the other agents' events instead of event-service and
 * could forge their acknowledgements. Called only on SUB, never per message.
 */
final class ReservedQueueGroups implements SubscriptionInterceptor {
    /** The text after {@code Permissions Violation for Subscription to "S" using queue "Q", }. */
    static final String VETO = "reserved queue group";

    private final Set<String> reserved;

    ReservedQueueGroups(List<String> reserved) { this.reserved = Set.copyOf(reserved); }

    @Override
    public String onSubscribe(long cid, String subject, String queue) {
        return queue != null && reserved.contains(queue) ? VETO : null;
    }

    Set<String> names() { return reserved; }
}
