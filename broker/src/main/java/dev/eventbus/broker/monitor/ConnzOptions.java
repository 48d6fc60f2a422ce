package dev.eventbus.broker.monitor;

import java.util.Objects;

/**
 * What a /connz request asks for (nats-server's {@code ConnzOptions}).
 *
 * @param auth       include {@code authorized_user} and {@code account}
 * @param subs       include {@code subscriptions_list} (subjects)
 * @param subsDetail include {@code subscriptions_list_detail} instead ({@code subs=detail})
 * @param offset     negative means 0
 * @param limit      0 or negative means {@link Monitor#DEFAULT_LIST_SIZE}
 * @param cid        0 for all; otherwise that one connection (and a limit of 1). Unsigned, as in Go
 * @param user       "" for all; else only connections authorized as this user
 * @param account    "" for all; else only this account's connections
 * @param mqttClient "" for all; we have no MQTT clients, so any other value matches nothing
 */
public record ConnzOptions(ConnSort sort, boolean auth, boolean subs, boolean subsDetail, long offset, long limit,
                           long cid, ConnState state, String user, String account, String mqttClient) {
    public static final ConnzOptions DEFAULT =
            new ConnzOptions(ConnSort.CID, false, false, false, 0, 0, 0, ConnState.OPEN, "", "", "");

    public ConnzOptions {
        Objects.requireNonNull(sort, "sort");
        Objects.requireNonNull(state, "state");
        user = Objects.requireNonNullElse(user, "");
        account = Objects.requireNonNullElse(account, "");
        mqttClient = Objects.requireNonNullElse(mqttClient, "");
    }

    /**
     * Decodes the query in nats-server's order ({@code auth, subs, offset, limit, cid, state}, then {@code sort}), so
     * a request with several bad values gets the same 400 text.
     *
     * @throws MonitorException for a value nats-server rejects
     */
    public static ConnzOptions fromQuery(QueryParams q) {
        boolean auth = q.bool("auth");
        boolean subsDetail = q.get("subs").equalsIgnoreCase("detail");
        boolean subs = !subsDetail && q.bool("subs");
        long offset = q.integer("offset");
        long limit = q.integer("limit");
        long cid = q.uint64("cid");
        ConnState state = ConnState.parse(q.get("state"));
        ConnSort sort = ConnSort.parse(q.get("sort"));
        return new ConnzOptions(sort, auth, subs, subsDetail, offset, limit, cid, state, q.get("user"), q.get("acc"),
                q.get("mqtt_client"));
    }
}
