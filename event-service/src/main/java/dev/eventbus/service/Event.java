package dev.eventbus.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated event: the seed's {@code EventMsg} as JSON.
 *
 * <pre>{@code
 * {"event_id": "9f1c…", "type": "scanJobCreated",
 *  "producer": {"id": "scanjobs", "name": "Scanner", "type": "system component", "tags": []},
 *  "tags": ["scanjobs", "admin", "create"], "published": "2026-01-02T03:04:05Z",
 *  "actor":  {"id": "", "object_type": "User", "display_name": "admin"}, "verb": "create",
 *  "object": {"id": "…", "object_type": "scanjobs", "display_name": "nightly"},
 *  "target": {"id": "", "object_type": "Not Applicable", "display_name": "Not Applicable"},
 *  "data": {…}, "projects": ["default"]}
 * }</pre>
 *
 * Only {@code event_id} and {@code type} are required. {@code type} may also be the proto-JSON shape
 * {@code {"name": "scanJobCreated"}}; {@code producer.name}/{@code producer.type} may also be spelled
 * {@code producer_name}/{@code producer_type}. Unknown fields are allowed and forwarded. Handlers receive the
 * original bytes unchanged ({@link #json()}).
 */
public final class Event {
    /** @param tags never null */
    public record Producer(String id, String name, String type, List<String> tags) {}

    /** The seed's Actor, Object and Target messages. */
    public record Ref(String id, String objectType, String displayName) {}

    private final String eventId;
    private final String type;
    private final Producer producer;
    private final List<String> tags;
    private final Instant published;
    private final Ref actor;
    private final String verb;
    private final Ref object;
    private final Ref target;
    private final JsonNode data;
    private final List<String> projects;
    private final byte[] json;

    Event(String eventId, String type, Producer producer, List<String> tags, Instant published, Ref actor, String verb,
          Ref object, Ref target, JsonNode data, List<String> projects, byte[] json) {
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.type = Objects.requireNonNull(type, "type");
        this.producer = producer;
        this.tags = tags;
        this.published = published;
        this.actor = actor;
        this.verb = verb;
        this.object = object;
        this.target = target;
        this.data = data;
        this.projects = projects;
        this.json = json;
    }

    public String eventId() { return eventId; }
    public String type() { return type; }
    /** Null when absent. */
    public Producer producer() { return producer; }
    /** Empty when absent. */
    public List<String> tags() { return tags; }
    /** Null when absent. */
    public Instant published() { return published; }
    public Ref actor() { return actor; }
    public String verb() { return verb; }
    public Ref object() { return object; }
    public Ref target() { return target; }
    /** The {@code data} object (a protobuf Struct in the seed), or null when absent. */
    public JsonNode data() { return data; }

    /** {@code data} as plain Java maps and lists; empty when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> dataAsMap() {
        return data == null ? Map.of() : EventJson.MAPPER.convertValue(data, Map.class);
    }

    public List<String> projects() { return projects; }

    /** A copy of the event exactly as it was accepted. */
    public byte[] json() { return json.clone(); }

    /** The accepted bytes without a copy; callers must not modify them. */
    byte[] rawJson() { return json; }

    public int sizeBytes() { return json.length; }

    @Override
    public String toString() { return "Event{" + type + " " + eventId + "}"; }
}
