package dev.eventbus.audit.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;

/**
 * One page of an artifact, decoded.
 *
 * @param path     the zip entry name
 * @param tags     its tags from the manifest
 * @param content  the page's first JSON value
 * @param dataOnly true for v0.1.x archives, whose pages hold only what newer ones keep under {@code data}
 */
public record Artifact(String path, List<Tag> tags, JsonNode content, boolean dataOnly) {

    /** The server reply's {@code data}; for data-only archives and bare artifacts (stream_info) the whole page. */
    public JsonNode data() {
        if (dataOnly) return content;
        JsonNode d = content.get("data");
        if (d != null && content.has("server")) return d;
        return content;
    }

    /** The envelope's {@code server} object (name, id, cluster, ver, ...), or a missing node. */
    public JsonNode server() {
        JsonNode s = dataOnly ? null : content.get("server");
        return s == null ? MissingNode.getInstance() : s;
    }

    /** The value of the first tag with this label, or null. */
    public String tag(String label) {
        for (Tag t : tags) if (t.name().equals(label)) return t.value();
        return null;
    }
}
