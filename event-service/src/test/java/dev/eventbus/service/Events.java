package dev.eventbus.service;

import java.nio.charset.StandardCharsets;

/** Builds event JSON for tests. */
public final class Events {
    private Events() {}

    public static byte[] event(String id, String type) {
        return json(id, type).getBytes(StandardCharsets.UTF_8);
    }

    /** A realistic scan-job style event, about 500 bytes plus {@code padding}. */
    public static String json(String id, String type, String padding) {
        return """
                {"event_id":"%s","type":"%s",\
                "producer":{"id":"scanjobs","name":"Scanner","type":"system component","tags":["compliance"]},\
                "tags":["scanjobs","admin","create","compliance","%s"],"published":"2026-01-02T03:04:05Z",\
                "actor":{"id":"","object_type":"User","display_name":"admin"},"verb":"create",\
                "object":{"id":"obj-%s","object_type":"scanjobs","display_name":"nightly scan"},\
                "target":{"id":"","object_type":"Not Applicable","display_name":"Not Applicable"},\
                "data":{"pad":"%s"},"projects":["default"]}""".formatted(id, type, type, id, padding);
    }

    public static String json(String id, String type) { return json(id, type, ""); }

    /** An event of exactly {@code size} bytes. */
    public static byte[] sized(String id, String type, int size) {
        int base = json(id, type, "").getBytes(StandardCharsets.UTF_8).length;
        if (size < base) throw new IllegalArgumentException("size below " + base);
        return json(id, type, "x".repeat(size - base)).getBytes(StandardCharsets.UTF_8);
    }
}
