package dev.eventbus.broker.monitor;

import java.util.Objects;

/**
 * What a /subsz request asks for (nats-server's {@code SubszOptions}).
 *
 * @param subs    list the subscriptions, not just the statistics
 * @param offset  negative means 0
 * @param limit   0 or negative means {@link Monitor#DEFAULT_LIST_SIZE}
 * @param test    "" for all; else a publish subject, and only subscriptions it would reach are listed
 * @param account "" for all accounts
 */
public record SubszOptions(boolean subs, long offset, long limit, String test, String account) {
    public static final SubszOptions DEFAULT = new SubszOptions(false, 0, 0, "", "");

    public SubszOptions {
        test = Objects.requireNonNullElse(test, "");
        account = Objects.requireNonNullElse(account, "");
    }

    /** @throws MonitorException for a value nats-server rejects, checked in its order */
    public static SubszOptions fromQuery(QueryParams q) {
        boolean subs = q.bool("subs");
        long offset = q.integer("offset");
        long limit = q.integer("limit");
        return new SubszOptions(subs, offset, limit, q.get("test"), q.get("acc"));
    }
}
