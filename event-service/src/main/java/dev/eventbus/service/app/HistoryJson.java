package dev.eventbus.service.app;

import dev.eventbus.service.delivery.ReplayRun;
import dev.eventbus.service.queue.History;
import dev.eventbus.service.queue.HistoryEvent;
import dev.eventbus.service.queue.HistoryQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The JSON of history pages and replays, the same over HTTP and NATS:
 * <pre>
 * {"events":[{"event_seq":7,"event_id":"…","type":"…","accepted_at":"2026-12-02T15:04:05.123Z","event":{…as accepted…}}],
 *  "next_from_seq":8,"complete":true,"first_seq":1,"gap":false}
 * </pre>
 * {@code complete}: the end of the kept history (or of the range) was reached; ask again from {@code next_from_seq}
 * later for newer events. {@code gap}: the range starts before the oldest event still kept ({@code first_seq}).
 */
final class HistoryJson {
    private HistoryJson() {}

    static String page(History.Page p) {
        StringBuilder b = new StringBuilder(256).append("{\"events\":[");
        List<HistoryEvent> events = p.events();
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) b.append(',');
            event(b, events.get(i));
        }
        return cursor(b.append("],"), p).toString();
    }

    /** The end marker of a replay over NATS: how many events came, and the page's cursor. */
    static String replayEnd(History.Page p) {
        return cursor(new StringBuilder("{\"end\":true,\"count\":").append(p.events().size()).append(','), p).toString();
    }

    private static StringBuilder cursor(StringBuilder b, History.Page p) {
        return b.append("\"next_from_seq\":").append(p.nextSeq()).append(",\"complete\":").append(p.complete())
                .append(",\"first_seq\":").append(p.firstSeq()).append(",\"gap\":").append(p.gap()).append('}');
    }

    static String event(HistoryEvent e) { return event(new StringBuilder(e.payload().length + 160), e).toString(); }

    private static StringBuilder event(StringBuilder b, HistoryEvent e) {
        // the event is embedded as accepted: it was validated JSON then, and its bytes are what handlers receive
        return b.append("{\"event_seq\":").append(e.seq()).append(",\"event_id\":").append(JsonText.quote(e.eventId()))
                .append(",\"type\":").append(JsonText.quote(e.type())).append(",\"accepted_at\":")
                .append(JsonText.quote(Instant.ofEpochMilli(e.acceptedAtMillis()).toString())).append(",\"event\":")
                .append(new String(e.payload(), StandardCharsets.UTF_8)).append('}');
    }

    static String replay(ReplayRun.Status s) {
        HistoryQuery r = s.range();
        StringBuilder b = new StringBuilder("{\"id\":").append(JsonText.quote(s.id())).append(",\"handler\":")
                .append(JsonText.quote(s.handler())).append(",\"from_seq\":").append(r.fromSeq())
                .append(",\"until_seq\":").append(r.untilSeq());
        if (r.since() != null) b.append(",\"since\":").append(JsonText.quote(r.since().toString()));
        if (r.until() != null) b.append(",\"until\":").append(JsonText.quote(r.until().toString()));
        if (r.type() != null) b.append(",\"type\":").append(JsonText.quote(r.type()));
        b.append(",\"state\":").append(JsonText.quote(s.state().name().toLowerCase())).append(",\"delivered\":")
                .append(s.delivered()).append(",\"skipped\":").append(s.skipped()).append(",\"next_seq\":").append(s.nextSeq())
                .append(",\"started\":").append(JsonText.quote(s.started().toString()));
        if (s.error() != null) b.append(",\"last_error\":").append(JsonText.quote(s.error()));
        return b.append('}').toString();
    }

    static String error(String code, String message) {
        return "{\"error\":" + JsonText.quote(message) + ",\"reason\":" + JsonText.quote(code) + "}";
    }
}
