package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventValidatorTest {
    private final EventValidator validator = new EventValidator(RoutingTable.defaults(), 2048);

    private EventValidator.Validation validate(String json) {
        return validator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fullEventIsParsed() {
        var v = validate(Events.json("id-1", "scanJobCreated"));
        assertThat(v.valid()).isTrue();
        Event e = v.event();
        assertThat(e.eventId()).isEqualTo("id-1");
        assertThat(e.type()).isEqualTo("scanJobCreated");
        assertThat(e.producer()).isEqualTo(new Event.Producer("scanjobs", "Scanner", "system component", java.util.List.of("compliance")));
        assertThat(e.tags()).contains("scanjobs", "admin");
        assertThat(e.published()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(e.actor()).isEqualTo(new Event.Ref("", "User", "admin"));
        assertThat(e.verb()).isEqualTo("create");
        assertThat(e.object().displayName()).isEqualTo("nightly scan");
        assertThat(e.target().objectType()).isEqualTo("Not Applicable");
        assertThat(e.dataAsMap()).containsEntry("pad", "");
        assertThat(e.projects()).containsExactly("default");
        assertThat(new String(e.json(), StandardCharsets.UTF_8)).isEqualTo(Events.json("id-1", "scanJobCreated"));
    }

    @Test
    void minimalEventAndProtoJsonShapesAreAccepted() {
        var v = validate("{\"event_id\":\"a\",\"type\":{\"name\":\"nodeTerminated\"},"
                + "\"producer\":{\"id\":\"p\",\"producer_name\":\"Node Manager\",\"producer_type\":\"system component\"},"
                + "\"published\":\"2026-01-02T03:04:05.123456789+01:00\",\"unknown_extra\":[1,2]}");
        assertThat(v.valid()).isTrue();
        assertThat(v.event().type()).isEqualTo("nodeTerminated");
        assertThat(v.event().producer().name()).isEqualTo("Node Manager");
        assertThat(v.event().tags()).isEmpty();
        assertThat(v.event().data()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            not json at all                                              | MALFORMED_JSON   | not valid JSON
            {"event_id":"a","type":"event_feed"                          | MALFORMED_JSON   | not valid JSON
            {"event_id":"a","type":"event_feed"} {"x":1}                 | MALFORMED_JSON   | not valid JSON
            {"event_id":"a","event_id":"b","type":"event_feed"}          | MALFORMED_JSON   | Duplicate field 'event_id'
            ["event_id","a"]                                             | MALFORMED_JSON   | an event is a JSON object
            "just a string"                                              | MALFORMED_JSON   | an event is a JSON object
            {"type":"event_feed"}                                        | MISSING_EVENT_ID | event_id is missing
            {"event_id":null,"type":"event_feed"}                        | MISSING_EVENT_ID | event_id is missing
            {"event_id":"  ","type":"event_feed"}                        | MISSING_EVENT_ID | event_id is missing
            {"event_id":"a"}                                             | MISSING_TYPE     | type is missing
            {"event_id":"a","type":""}                                   | MISSING_TYPE     | type is missing
            {"event_id":"a","type":{"name":""}}                          | MISSING_TYPE     | type is missing
            {"event_id":"a","type":"scanJobExploded"}                    | UNKNOWN_TYPE     | unknown event type 'scanJobExploded'
            {"event_id":"a","type":"ScanJobCreated"}                     | UNKNOWN_TYPE     | unknown event type
            {"event_id":42,"type":"event_feed"}                          | INVALID_FIELD    | event_id must be a string
            {"event_id":"a","type":7}                                    | INVALID_FIELD    | type must be a string
            {"event_id":"a","type":"event_feed","tags":"x"}              | INVALID_FIELD    | tags must be an array of strings
            {"event_id":"a","type":"event_feed","tags":[1]}              | INVALID_FIELD    | tags must be an array of strings
            {"event_id":"a","type":"event_feed","published":"yesterday"} | INVALID_FIELD    | published must be an RFC 3339 timestamp
            {"event_id":"a","type":"event_feed","producer":"me"}         | INVALID_FIELD    | producer must be a JSON object
            {"event_id":"a","type":"event_feed","actor":{"id":5}}        | INVALID_FIELD    | actor.id must be a string
            {"event_id":"a","type":"event_feed","data":[1]}              | INVALID_FIELD    | data must be a JSON object
            {"event_id":"a","type":"event_feed","projects":{}}           | INVALID_FIELD    | projects must be an array of strings
            """)
    void badEventsAreRefusedWithTheirReason(String json, RefusalReason reason, String text) {
        var v = validate(json.strip());
        assertThat(v.valid()).isFalse();
        assertThat(v.reason()).isEqualTo(reason);
        assertThat(v.message()).contains(text);
        assertThat(reason.isValidation()).isTrue();
    }

    @Test
    void emptyBodyAndNullAreMalformed() {
        assertThat(validator.validate(new byte[0]).reason()).isEqualTo(RefusalReason.MALFORMED_JSON);
        assertThat(validator.validate(null).reason()).isEqualTo(RefusalReason.MALFORMED_JSON);
    }

    @Test
    void oversizeIsRefusedBeforeParsing() {
        var v = validator.validate(Events.sized("big", "event_feed", 2049));
        assertThat(v.reason()).isEqualTo(RefusalReason.TOO_LARGE);
        assertThat(v.message()).isEqualTo("event is 2049 bytes; the limit is 2048");
        assertThat(validator.validate(Events.sized("ok", "event_feed", 2048)).valid()).isTrue();
    }

    @Test
    void overlongEventIdIsInvalid() {
        var v = validate("{\"event_id\":\"" + "i".repeat(257) + "\",\"type\":\"event_feed\"}");
        assertThat(v.reason()).isEqualTo(RefusalReason.INVALID_FIELD);
        assertThat(v.message()).contains("longer than 256");
    }

    /** Issue 10 item 4: a lone surrogate used to be stored (and delivered, and deduplicated) as '?'. */
    @Test
    void anEventIdWithALoneSurrogateIsInvalid() {
        for (String id : new String[] {"\\ud800", "a\\udc00b", "x\\ud83d"}) {
            var v = validate("{\"event_id\":\"" + id + "\",\"type\":\"event_feed\"}");
            assertThat(v.reason()).as(id).isEqualTo(RefusalReason.INVALID_FIELD);
            assertThat(v.message()).as(id).contains("event_id has an unpaired UTF-16 surrogate");
        }
        // the same in raw bytes: a surrogate encoded as if it were a code point (CESU-8 style), ED A0 80
        byte[] raw = "{\"event_id\":\"a\u0000\",\"type\":\"event_feed\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[raw.length + 2];
        int at = new String(raw, StandardCharsets.UTF_8).indexOf('\u0000');
        System.arraycopy(raw, 0, bytes, 0, at);
        bytes[at] = (byte) 0xED;
        bytes[at + 1] = (byte) 0xA0;
        bytes[at + 2] = (byte) 0x80;
        System.arraycopy(raw, at + 1, bytes, at + 3, raw.length - at - 1);
        var v = validator.validate(bytes);
        assertThat(v.valid()).isFalse();
        // a proper pair (an emoji) is fine, escaped or not
        assertThat(validate("{\"event_id\":\"\\ud83d\\ude00\ud83d\ude00\",\"type\":\"event_feed\"}").valid()).isTrue();
    }

    @Test
    void aSubjectTypeThatDiffersFromTheBodysTypeIsAMismatch() {
        var v = validator.validate(Events.event("m", "scanJobCreated"), "profileCreated");
        assertThat(v.reason()).isEqualTo(RefusalReason.TYPE_MISMATCH);
        assertThat(v.eventId()).isEqualTo("m");
        assertThat(validator.validate(Events.event("m", "scanJobCreated"), "scanJobCreated").valid()).isTrue();
        assertThat(validator.validate(Events.event("m", "scanJobCreated"), null).valid()).isTrue();
        // proto-JSON {"name": …} is the same type
        assertThat(validator.validate("{\"event_id\":\"p\",\"type\":{\"name\":\"nodeTerminated\"}}"
                .getBytes(StandardCharsets.UTF_8), "nodeTerminated").valid()).isTrue();
    }

    @Test
    void refusalsCarryTheEventIdWhenKnown() {
        assertThat(validate("{\"event_id\":\"abc\",\"type\":\"nope\"}").eventId()).isEqualTo("abc");
    }
}
