package dev.eventbus.audit.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventbus.audit.archive.GoJson;
import dev.eventbus.audit.archive.GoTime;
import java.time.Instant;

/**
 * What a capture learnt about one server from its {@code /varz}, and the {@code server} object of the reply envelope
 * built from it: the fields and order of nats-server's {@code ServerInfo} ({@code name, host, id, cluster?,
 * domain?, ver, tags?, jetstream, flags, seq, time}), as a {@code $SYS} reply carries it.
 */
public record ServerInfo(String name, String host, String id, String cluster, String domain, String version,
                         JsonNode tags, boolean jetstream, boolean eventbus) {

    /** nats-server's {@code JetStreamEnabled} capability flag. */
    private static final int JETSTREAM_FLAG = 1;

    public static ServerInfo fromVarz(JsonNode varz) {
        String id = text(varz, "server_id");
        String name = text(varz, "server_name");
        if (name.isEmpty()) name = id;
        JsonNode js = varz.path("jetstream");
        boolean jetstream = js.path("config").isObject();
        String domain = js.path("config").path("domain").asText("");
        JsonNode tags = varz.get("tags");
        // eventbus reports its runtime where nats-server reports its Go version
        boolean eventbus = text(varz, "go").startsWith("java");
        return new ServerInfo(name, text(varz, "host"), id, varz.path("cluster").path("name").asText(""), domain,
                text(varz, "version"), tags != null && tags.isArray() && !tags.isEmpty() ? tags : null, jetstream, eventbus);
    }

    /** The envelope's {@code server} object for a reply sent at {@code time} with sequence {@code seq}. */
    public ObjectNode toJson(long seq, Instant time) {
        ObjectNode o = GoJson.MAPPER.createObjectNode();
        o.put("name", name);
        o.put("host", host);
        o.put("id", id);
        if (!cluster.isEmpty()) o.put("cluster", cluster);
        if (!domain.isEmpty()) o.put("domain", domain);
        o.put("ver", version);
        if (tags != null) o.set("tags", tags);
        o.put("jetstream", jetstream);
        o.put("flags", jetstream ? JETSTREAM_FLAG : 0);
        o.put("seq", seq);
        o.put("time", GoTime.format(time));
        return o;
    }

    /** {@code nats-server} or {@code eventbus}. */
    public String kind() { return eventbus ? "eventbus" : "nats-server"; }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
