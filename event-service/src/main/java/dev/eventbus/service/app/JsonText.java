package dev.eventbus.service.app;

import dev.eventbus.broker.json.JsonWriter;

/** JSON string literals for the few answers the app writes by hand ({@code null} for a missing value). */
final class JsonText {
    private JsonText() {}

    static String quote(String s) { return s == null ? "null" : JsonWriter.quote(s); }
}
