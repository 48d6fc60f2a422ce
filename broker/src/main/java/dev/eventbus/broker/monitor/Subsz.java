package dev.eventbus.broker.monitor;

import dev.eventbus.broker.subject.Sublist;
import java.time.Instant;
import java.util.List;

/**
 * /subsz (nats-server's {@code Subsz}): sublist statistics plus, when asked for, one page of subscriptions.
 *
 * @param total the size of this page, not of the whole list (nats-server's definition)
 * @param subs  null unless subscriptions were asked for
 */
public record Subsz(String serverId, Instant now, Sublist.Stats stats, int total, long offset, long limit,
                    List<SubDetail> subs) {
    public Subsz {
        subs = subs == null ? null : List.copyOf(subs);
    }

    /** nats-server answers with the bare statistics object when there is no subscription to list. */
    public boolean statsOnly() { return subs == null || subs.isEmpty(); }
}
