package dev.eventbus.service.app;

import dev.eventbus.broker.json.JsonWriter;

/** JSON string literals for the few answers the app writes by hand ({@code null} for a missing value). */
final class JsonText {
    private JsonText() {}

    static String quote(String s) { return s == null ? "null" : JsonWriter.quote(s); }

    /** A JSON array of strings. */
    static String array(java.util.Collection<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (String item : items) {
            if (b.length() > 1) b.append(',');
            b.append(quote(item));
        }
        return b.append(']').toString();
    }
}
