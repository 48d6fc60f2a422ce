package dev.eventbus.service;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks an event before it is queued. Refusals (see {@link RefusalReason}), in the order they are checked:
 * {@code TOO_LARGE} (before parsing), {@code MALFORMED_JSON} (not JSON, trailing data, duplicate field, not an object),
 * {@code MISSING_EVENT_ID}, {@code MISSING_TYPE}, {@code INVALID_FIELD} (a known field of the wrong shape, an
 * event_id over {@value #MAX_ID_LENGTH} characters or with a lone UTF-16 surrogate, or a {@code published} that is not
 * RFC 3339), {@code TYPE_MISMATCH} (the NATS subject names another type), {@code UNKNOWN_TYPE} (not in the routing
 * table). Stateless and thread-safe.
 */
public final class EventValidator {
    public static final int MAX_ID_LENGTH = 256;

    private final RoutingTable routes;
    private final int maxEventBytes;

    public EventValidator(RoutingTable routes, int maxEventBytes) {
        this.routes = Objects.requireNonNull(routes, "routes");
        if (maxEventBytes <= 0) throw new IllegalArgumentException("maxEventBytes must be > 0: " + maxEventBytes);
        this.maxEventBytes = maxEventBytes;
    }

    /** The outcome: exactly one of {@code event} and {@code reason} is non-null. */
    public record Validation(Event event, RefusalReason reason, String message, String eventId) {
        static Validation ok(Event e) { return new Validation(e, null, "ok", e.eventId()); }
        static Validation refuse(RefusalReason r, String message, String eventId) {
            return new Validation(null, r, message, eventId);
        }
        public boolean valid() { return event != null; }
    }

    public Validation validate(byte[] json) { return validate(json, null); }

    /**
     * @param subjectType the type named by the NATS subject the event came on ({@code events.<type>}), or null when
     *                    there is no subject (HTTP); a body whose {@code type} differs is refused with TYPE_MISMATCH
     */
    public Validation validate(byte[] json, String subjectType) {
        if (json == null) return Validation.refuse(RefusalReason.MALFORMED_JSON, "no event body", null);
        if (json.length > maxEventBytes) {
            return Validation.refuse(RefusalReason.TOO_LARGE,
                    "event is " + json.length + " bytes; the limit is " + maxEventBytes, null);
        }
        JsonNode root;
        try {
            root = EventJson.MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            return Validation.refuse(RefusalReason.MALFORMED_JSON, "JSON too deeply nested or too long: " + e.getOriginalMessage(), null);
        } catch (JsonParseException e) {
            return Validation.refuse(RefusalReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr(), null);
        } catch (IOException e) {
            return Validation.refuse(RefusalReason.MALFORMED_JSON, "not valid JSON: " + e.getMessage(), null);
        }
        if (root == null || root.isMissingNode()) {
            return Validation.refuse(RefusalReason.MALFORMED_JSON, "empty body: an event is a JSON object", null);
        }
        if (!root.isObject()) {
            return Validation.refuse(RefusalReason.MALFORMED_JSON,
                    "an event is a JSON object, got " + root.getNodeType().name().toLowerCase(), null);
        }
        try {
            return check(root, json, subjectType);
        } catch (FieldException e) {
            return Validation.refuse(e.reason, e.getMessage(), e.eventId);
        }
    }

    private Validation check(JsonNode root, byte[] json, String subjectType) throws FieldException {
        JsonNode idNode = root.get("event_id");
        if (idNode == null || idNode.isNull() || (idNode.isTextual() && idNode.asText().isBlank())) {
            throw new FieldException(RefusalReason.MISSING_EVENT_ID, "event_id is missing or blank", null);
        }
        if (!idNode.isTextual()) {
            throw new FieldException(RefusalReason.INVALID_FIELD, "event_id must be a string", null);
        }
        String id = idNode.asText();
        if (id.length() > MAX_ID_LENGTH) {
            throw new FieldException(RefusalReason.INVALID_FIELD,
                    "event_id is longer than " + MAX_ID_LENGTH + " characters", null);
        }
        int lone = loneSurrogate(id);
        if (lone >= 0) {
            // it cannot be written as UTF-8: the queue, the dedup window and the handlers' headers would all see '?'
            throw new FieldException(RefusalReason.INVALID_FIELD, "event_id has an unpaired UTF-16 surrogate (\\u"
                    + String.format("%04x", (int) id.charAt(lone)) + ") at character " + lone + ": it is not valid Unicode", null);
        }
        String type = typeName(root.get("type"), id);
        if (subjectType != null && !subjectType.equals(type)) {
            throw new FieldException(RefusalReason.TYPE_MISMATCH, "the subject says type '" + abbreviate(subjectType)
                    + "' but the event's type is '" + abbreviate(type) + "': publish it on events." + abbreviate(type), id);
        }
        Event.Producer producer = producer(root.get("producer"), id);
        List<String> tags = strings(root.get("tags"), "tags", id);
        Instant published = published(root.get("published"), id);
        Event.Ref actor = ref(root.get("actor"), "actor", id);
        String verb = optText(root.get("verb"), "verb", id);
        Event.Ref object = ref(root.get("object"), "object", id);
        Event.Ref target = ref(root.get("target"), "target", id);
        JsonNode data = root.get("data");
        if (data != null && data.isNull()) data = null;
        if (data != null && !data.isObject()) {
            throw new FieldException(RefusalReason.INVALID_FIELD, "data must be a JSON object", id);
        }
        List<String> projects = strings(root.get("projects"), "projects", id);
        if (!routes.routes(type)) {
            throw new FieldException(RefusalReason.UNKNOWN_TYPE, "unknown event type '" + type
                    + "': the routing table has " + routes.types(), id);
        }
        return Validation.ok(new Event(id, type, producer, tags, published, actor, verb, object, target, data,
                projects, json));
    }

    private static String typeName(JsonNode n, String id) throws FieldException {
        if (n != null && n.isObject()) n = n.get("name");          // proto-JSON: "type": {"name": "…"}
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
            throw new FieldException(RefusalReason.MISSING_TYPE, "type is missing or blank", id);
        }
        if (!n.isTextual()) {
            throw new FieldException(RefusalReason.INVALID_FIELD, "type must be a string or {\"name\": string}", id);
        }
        return n.asText();
    }

    private static Event.Producer producer(JsonNode n, String id) throws FieldException {
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw new FieldException(RefusalReason.INVALID_FIELD, "producer must be a JSON object", id);
        String name = optText(n.has("name") ? n.get("name") : n.get("producer_name"), "producer.name", id);
        String type = optText(n.has("type") ? n.get("type") : n.get("producer_type"), "producer.type", id);
        return new Event.Producer(optText(n.get("id"), "producer.id", id), name, type,
                strings(n.get("tags"), "producer.tags", id));
    }

    private static Event.Ref ref(JsonNode n, String field, String id) throws FieldException {
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw new FieldException(RefusalReason.INVALID_FIELD, field + " must be a JSON object", id);
        return new Event.Ref(optText(n.get("id"), field + ".id", id),
                optText(n.get("object_type"), field + ".object_type", id),
                optText(n.get("display_name"), field + ".display_name", id));
    }

    private static Instant published(JsonNode n, String id) throws FieldException {
        String s = optText(n, "published", id);
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new FieldException(RefusalReason.INVALID_FIELD,
                    "published must be an RFC 3339 timestamp such as 2026-01-02T03:04:05Z: '" + abbreviate(s) + "'", id);
        }
    }

    private static String optText(JsonNode n, String field, String id) throws FieldException {
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new FieldException(RefusalReason.INVALID_FIELD, field + " must be a string", id);
        return n.asText();
    }

    private static List<String> strings(JsonNode n, String field, String id) throws FieldException {
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw new FieldException(RefusalReason.INVALID_FIELD, field + " must be an array of strings", id);
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) throw new FieldException(RefusalReason.INVALID_FIELD, field + " must be an array of strings", id);
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    /** The index of the first surrogate that is not part of a pair, or -1. */
    private static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) { return s.length() <= 64 ? s : s.substring(0, 64) + "…"; }

    private static final class FieldException extends Exception {
        final RefusalReason reason;
        final String eventId;

        FieldException(RefusalReason reason, String message, String eventId) {
            super(message, null, false, false);
            this.reason = reason;
            this.eventId = eventId;
        }
    }

}
