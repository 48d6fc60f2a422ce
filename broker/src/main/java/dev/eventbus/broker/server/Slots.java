package dev.eventbus.broker.server;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count with a ceiling, taken and given back from any event loop: admitted connections (max_connections), and
 * connections still owing their TLS handshake and authentication (max_pending_auth). Taking is a reservation, so
 * accepts racing on several loops cannot pass the ceiling together.
 */
final class Slots {
    private final AtomicInteger used = new AtomicInteger();
    private final int max;

    Slots(int max) { this.max = max; }

    /** False, with nothing taken, when every slot is in use. */
    boolean tryAcquire() {
        if (used.incrementAndGet() <= max) return true;
        used.decrementAndGet();
        return false;
    }

    void release() { used.decrementAndGet(); }
}
