package dev.eventbus.audit.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code capture/misc/manifest.json}: every entry of the archive (except the manifest itself) and the tags it was
 * written with, in the caller's order. Go type {@code map[string][]*Tag}; written with keys sorted by their UTF-8
 * bytes, two-space indent and a trailing newline, as Go's encoder does.
 */
public final class Manifest {
    /** Go sorts map keys by their bytes; for non-ASCII names that differs from {@link String#compareTo}. */
    public static final Comparator<String> GO_KEY_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final Map<String, List<Tag>> entries = new LinkedHashMap<>();

    /** Records (or, for a duplicate name read from a Go archive, replaces) the tags of an entry. */
    public void put(String entryName, List<Tag> tags) { entries.put(entryName, List.copyOf(tags)); }

    public boolean contains(String entryName) { return entries.containsKey(entryName); }

    /** The tags of an entry, or null when it is not listed. */
    public List<Tag> tags(String entryName) { return entries.get(entryName); }

    /** Entry names in the order they were added (read: the file's order). */
    public List<String> names() { return List.copyOf(entries.keySet()); }

    public Map<String, List<Tag>> asMap() { return Collections.unmodifiableMap(entries); }

    public int size() { return entries.size(); }

    /** The manifest file's bytes, as Go's {@code Writer.Close} writes them. */
    public byte[] toJson() {
        List<String> keys = new ArrayList<>(entries.keySet());
        keys.sort(GO_KEY_ORDER);
        ObjectNode root = GoJson.MAPPER.createObjectNode();
        for (String k : keys) {
            ArrayNode list = root.putArray(k);
            for (Tag t : entries.get(k)) list.addObject().put("Name", t.name()).put("Value", t.value());
        }
        return GoJson.encode(root);
    }

    /**
     * Reads a manifest: an object of entry name to a list of {@code {"Name","Value"}} objects (keys matched
     * case-insensitively, as Go's decoder does). Only the first JSON value counts.
     *
     * @throws ArchiveException when it does not have that shape
     */
    public static Manifest parse(byte[] json) {
        JsonNode root;
        try {
            root = GoJson.parseFirst(json);
        } catch (ArchiveException e) {
            throw new ArchiveException("invalid manifest: " + e.getMessage(), e);
        }
        if (!root.isObject()) throw new ArchiveException("invalid manifest: not a JSON object");
        Manifest m = new Manifest();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode list = e.getValue();
            List<Tag> tags = new ArrayList<>();
            if (list.isArray()) {
                for (JsonNode t : list) {
                    if (t.isNull()) continue;
                    if (!t.isObject()) throw new ArchiveException("invalid manifest: a tag of " + e.getKey() + " is not an object");
                    tags.add(new Tag(field(t, "Name"), field(t, "Value")));
                }
            } else if (!list.isNull()) {
                throw new ArchiveException("invalid manifest: the tags of " + e.getKey() + " are not a list");
            }
            m.put(e.getKey(), tags);
        }
        return m;
    }

    private static String field(JsonNode tag, String name) {
        for (Map.Entry<String, JsonNode> f : tag.properties()) {
            if (f.getKey().equalsIgnoreCase(name) && f.getValue().isTextual()) return f.getValue().textValue();
        }
        return "";
    }
}
