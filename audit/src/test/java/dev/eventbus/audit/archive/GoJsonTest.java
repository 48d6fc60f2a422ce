package dev.eventbus.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON text conventions of Go's json.Indent and json.Encoder (spec §1.7). */
class GoJsonTest {
    private static String indent(String s) {
        return new String(GoJson.indent(s.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void indentKeepsOrderNumbersAndEscapesAndCompactsEmptyContainers() {
        String raw = "{ \"b\" :1.50e3, \"a\":[ ], \"c\":{}, \"d\":[1, {\"x\":\"a\\\"b \\u003c\"}],\n \"e\": null }";
        assertThat(indent(raw)).isEqualTo("""
                {
                  "b": 1.50e3,
                  "a": [],
                  "c": {},
                  "d": [
                    1,
                    {
                      "x": "a\\"b \\u003c"
                    }
                  ],
                  "e": null
                }""");
    }

    @Test
    void indentOfAlreadyIndentedNatsServerOutputIsStable() {
        String once = indent("{\"server_id\":\"N1\",\"routes\":[{\"rid\":1}],\"leafs\":null}");
        assertThat(indent(once)).isEqualTo(once);
        assertThat(once).doesNotEndWith("\n");
    }

    @Test
    void indentRefusesInvalidJson() {
        assertThatThrownBy(() -> GoJson.indent("{\"a\":".getBytes(StandardCharsets.UTF_8))).isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith("invalid JSON");
        assertThatThrownBy(() -> GoJson.indent("{} {}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(ArchiveException.class)
                .hasMessage("invalid JSON: more than one value");
    }

    @Test
    void encodeIsGoEncoderOutput() {
        ObjectNode o = GoJson.MAPPER.createObjectNode();
        o.put("html", "<a href=\"x\">&</a>\u2028");
        o.put("n", 3);
        o.putArray("empty");
        o.putObject("obj").put("t", true);
        o.put("ctl", "\u0001\t");
        assertThat(new String(GoJson.encode(o), StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "html": "\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e\\u2028",
                  "n": 3,
                  "empty": [],
                  "obj": {
                    "t": true
                  },
                  "ctl": "\\u0001\\t"
                }
                """);
        assertThat(new String(GoJson.compact(o.get("obj")), StandardCharsets.UTF_8)).isEqualTo("{\"t\":true}");
    }

    @Test
    void floatsPrintLikeGo() {
        assertThat(GoJson.goFloat(new BigDecimal("41.50"))).isEqualTo("41.5");
        assertThat(GoJson.goFloat(new BigDecimal("0.0000001"))).isEqualTo("1e-07");
        assertThat(GoJson.goFloat(new BigDecimal("1e21"))).isEqualTo("1e+21");
        assertThat(GoJson.goFloat(new BigDecimal("100"))).isEqualTo("100");
    }

    @Test
    void manifestKeysAreSortedByBytesAndTagsKeepTheirOrder() {
        Manifest m = new Manifest();
        m.put("capture/misc/z.log", List.of(Tag.special("z")));
        m.put("capture/clusters/C/ä/variables/0001.json", List.of(Tag.server("ä"), Tag.artifactType("variables"), Tag.cluster("C")));
        m.put("capture/clusters/C/b/variables/0001.json", List.of(Tag.server("b"), Tag.artifactType("variables"), Tag.cluster("C")));
        String json = new String(m.toJson(), StandardCharsets.UTF_8);
        assertThat(json.indexOf("C/b/")).isLessThan(json.indexOf("C/ä/"));
        assertThat(json.indexOf("C/ä/")).isLessThan(json.indexOf("misc/z.log"));
        assertThat(json).contains("""
                  "capture/misc/z.log": [
                    {
                      "Name": "special",
                      "Value": "z"
                    }
                  ]
                }
                """);
        Manifest back = Manifest.parse(m.toJson());
        assertThat(back.asMap()).isEqualTo(m.asMap());
        assertThat(Manifest.parse("{\"k\":[{\"name\":\"server\",\"VALUE\":\"s\"}]}".getBytes(StandardCharsets.UTF_8)).tags("k"))
                .containsExactly(Tag.server("s"));
        assertThatThrownBy(() -> Manifest.parse("[1]".getBytes(StandardCharsets.UTF_8))).hasMessage("invalid manifest: not a JSON object");
    }
}
