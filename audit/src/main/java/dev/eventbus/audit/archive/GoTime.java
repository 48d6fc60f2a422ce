package dev.eventbus.audit.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Go's {@code time.RFC3339Nano} for UTC times: {@code 2026-01-02T03:04:05.123Z}, trailing fraction zeros trimmed. */
public final class GoTime {
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private GoTime() {}

    public static String format(Instant t) {
        StringBuilder b = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos).replaceFirst("0+$", "");
            b.append('.').append(frac);
        }
        return b.append('Z').toString();
    }
}
