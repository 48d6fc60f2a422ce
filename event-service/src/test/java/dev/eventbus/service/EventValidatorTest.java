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

    @Test
    void refusalsCarryTheEventIdWhenKnown() {
        assertThat(validate("{\"event_id\":\"abc\",\"type\":\"nope\"}").eventId()).isEqualTo("abc");
    }
}
