package dev.eventbus.audit.browse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Turns JSON into {@code path -> scalar} pairs for comparison. Arrays of connections and routes are keyed by their
 * ids ({@code connections[cid=5].name}) so that a connection that moved in the list is not seen as a change.
 */
final class JsonFlattener {
    private static final String[] ID_FIELDS = {"cid", "rid"};

    private JsonFlattener() {}

    static void flatten(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            if (node.isEmpty()) out.put(path, "{}");
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) out.put(path, "[]");
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                flatten(path + "[" + itemKey(item, i) + "]", item, out);
            }
        } else if (node.isTextual()) {
            out.put(path, node.textValue());
        } else {
            out.put(path, node.toString());
        }
    }

    private static String itemKey(JsonNode item, int index) {
        if (item.isObject()) {
            for (String f : ID_FIELDS) {
                JsonNode id = item.get(f);
                if (id != null && id.isValueNode()) return f + "=" + id.asText();
            }
        }
        return Integer.toString(index);
    }
}
