package dev.eventbus.service.delivery;

import dev.eventbus.service.queue.QueuedEvent;

/** Sends one event to one target. Called by a single worker thread per handler; must not throw for target errors. */
public interface Delivery extends AutoCloseable {
    /** @param attempt 1 for the first try of this event */
    DeliveryResult deliver(QueuedEvent event, int attempt) throws InterruptedException;

    /** The target, for logs and the dead-letter store. */
    String describe();

    @Override
    default void close() {}
}
