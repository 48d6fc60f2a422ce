package dev.eventbus.broker.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.broker.json.JsonReader;
import dev.eventbus.broker.json.JsonWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected bytes are what Go 1.19's encoding/json produces for the same values. */
class JsonWriterTest {

    @Test
    void indentedMatchesMarshalIndentLayout() {
        String json = JsonWriter.indented().beginObject()
                .name("a").value(1)
                .name("empty_obj").beginObject().endObject()
                .name("empty_arr").beginArray().endArray()
                .name("nested").beginObject().name("b").value(true).name("c").nullValue().endObject()
                .name("list").beginArray()
                .beginObject().name("x").value("y").endObject()
                .value(2)
                .endArray()
                .endObject().toString();
        assertThat(json).isEqualTo("{\n"
                + "  \"a\": 1,\n"
                + "  \"empty_obj\": {},\n"
                + "  \"empty_arr\": [],\n"
                + "  \"nested\": {\n"
                + "    \"b\": true,\n"
                + "    \"c\": null\n"
                + "  },\n"
                + "  \"list\": [\n"
                + "    {\n"
                + "      \"x\": \"y\"\n"
                + "    },\n"
                + "    2\n"
                + "  ]\n"
                + "}");
    }

    @Test
    void compactHasNoWhitespace() {
        String json = JsonWriter.compact().beginObject()
                .name("status").value("ok")
                .name("l").beginArray().value(1).value(2).endArray()
                .name("o").beginObject().endObject()
                .endObject().toString();
        assertThat(json).isEqualTo("{\"status\":\"ok\",\"l\":[1,2],\"o\":{}}");
    }

    @Test
    void emptyTopLevelContainers() {
        assertThat(JsonWriter.indented().beginObject().endObject().toString()).isEqualTo("{}");
        assertThat(JsonWriter.indented().beginArray().endArray().toString()).isEqualTo("[]");
    }

    @Test
    void escapesLikeGoWithHtmlSafety() {
        assertThat(JsonWriter.quote("a<b>&c")).isEqualTo("\"a\\u003cb\\u003e\\u0026c\"");
        assertThat(JsonWriter.quote("q\"b\\s/")).isEqualTo("\"q\\\"b\\\\s/\"");
        assertThat(JsonWriter.quote("\n\r\t")).isEqualTo("\"\\n\\r\\t\"");
        // Go 1.19 has no short forms for \b and \f
        assertThat(JsonWriter.quote("\b\f\u0001\u001f")).isEqualTo("\"\\u0008\\u000c\\u0001\\u001f\"");
        assertThat(JsonWriter.quote("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
        assertThat(JsonWriter.quote("\u007f\u00e9\u00b5")).isEqualTo("\"\u007f\u00e9\u00b5\"");
    }

    @Test
    void keepsSupplementaryCharactersAndReplacesLoneSurrogates() {
        assertThat(JsonWriter.quote("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
        assertThat(JsonWriter.quote("a\ud83db")).isEqualTo("\"a\ufffdb\"");
        assertThat(JsonWriter.quote("\ude00")).isEqualTo("\"\ufffd\"");
    }

    @ParameterizedTest
    @CsvSource({
            "2,                     2",
            "0.5,                   0.5",
            "0.8,                   0.8",
            "0.75,                  0.75",
            "100,                   100",
            "-3.25,                 -3.25",
            "0.1,                   0.1",
            "0.30000000000000004,   0.30000000000000004",
            "123456789.125,         123456789.125",
            "1e20,                  100000000000000000000",
            "1e21,                  1e+21",
            "1.5e300,               1.5e+300",
            "0.000001,              0.000001",
            "1e-7,                  1e-7",
            "1.5e-7,                1.5e-7",
            "1e-10,                 1e-10",
            "-2.5e-8,               -2.5e-8",
            "1.7976931348623157e308, 1.7976931348623157e+308",
            "4.9e-324,              5e-324",
            "12.3,                  12.3",
    })
    void formatsFloatsLikeGo(double d, String expected) {
        assertThat(JsonWriter.formatDouble(d)).isEqualTo(expected);
    }

    @Test
    void zeroKeepsItsSign() {
        assertThat(JsonWriter.formatDouble(0.0)).isEqualTo("0");
        assertThat(JsonWriter.formatDouble(-0.0)).isEqualTo("-0");
    }

    @Test
    void refusesWhatGoRefuses() {
        assertThatThrownBy(() -> JsonWriter.formatDouble(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonWriter.formatDouble(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMalformedDocuments() {
        assertThatThrownBy(() -> JsonWriter.compact().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JsonWriter.compact().value(1).value(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JsonWriter.compact().endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JsonWriter.compact().beginArray().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JsonWriter.compact().beginObject().value(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JsonWriter.compact().beginObject().endArray()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JsonWriter.compact().beginObject().name("a").endObject())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void outputParsesBackWithJsonReader() {
        String json = JsonWriter.indented().beginObject()
                .name("s").value("<\u2028\ud83d\ude00\"\\")
                .name("d").value(0.8)
                .endObject().toString();
        Object parsed = JsonReader.parse(json);
        assertThat(parsed).isEqualTo(java.util.Map.of("s", "<\u2028\ud83d\ude00\"\\", "d", 0.8));
    }
}
