package dev.eventbus.audit.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventbus.audit.archive.GoJson;

/**
 * One server the capture asked (or tried to), as recorded in the metadata's {@code servers} list.
 *
 * @param url      the monitoring URL, password redacted
 * @param via      {@code argument}, or how it was discovered ({@code routez of n1}, {@code gatewayz of n2})
 * @param status   {@code captured}, {@code unreachable}, {@code timed out}, {@code duplicate} or {@code mismatch}
 * @param info     what /varz said; null when it did not answer
 * @param error    why it was not captured, or null
 * @param captured how many responses were stored for it
 */
public record CapturedServer(String url, String via, String status, ServerInfo info, String error, int captured) {
    public boolean ok() { return "captured".equals(status); }

    public ObjectNode toJson() {
        ObjectNode o = GoJson.MAPPER.createObjectNode();
        o.put("url", url);
        o.put("via", via);
        o.put("status", status);
        if (info != null) {
            o.put("name", info.name());
            o.put("id", info.id());
            o.put("cluster", info.cluster());
            o.put("version", info.version());
            o.put("kind", info.kind());
        }
        if (error != null) o.put("error", error);
        o.put("responses", captured);
        return o;
    }
}
