package dev.eventbus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The TOML facts docs/decisions/0003-toml-library.md relies on, checked against the library we ship. */
class TomlSourceTest {
    private static TomlNode.Table ok(String toml) {
        TomlSource.Parsed p = TomlSource.parse(toml, "t.toml");
        assertThat(p.errors()).isEmpty();
        return p.root();
    }

    private static Object scalar(TomlNode.Table t, String... path) {
        TomlNode n = t;
        for (String s : path) n = ((TomlNode.Table) n).entries().get(s);
        return ((TomlNode.Scalar) n).value();
    }

    @Test
    void dottedKeysBuildNestedTablesWithPositions() {
        TomlNode.Table t = ok("x = 1\nservice.port = 5000\n");
        TomlNode.Table service = (TomlNode.Table) t.entries().get("service");
        assertThat(service.entries().get("port")).isEqualTo(new TomlNode.Scalar(5000L, 2, 1));
    }

    @Test
    void integersStayIntegersUpToInt64() {
        TomlNode.Table t = ok("a = 3600\nb = 9223372036854775807\nc = 0x10\nd = 1_000\n");
        assertThat(scalar(t, "a")).isEqualTo(3600L);
        assertThat(scalar(t, "b")).isEqualTo(Long.MAX_VALUE);
        assertThat(scalar(t, "c")).isEqualTo(16L);
        assertThat(scalar(t, "d")).isEqualTo(1000L);
    }

    @Test
    void unicodeEscapesAreDecoded() {
        assertThat(scalar(ok("s = \"\\U0001F600 \\u00e9\"\n"), "s")).isEqualTo("\uD83D\uDE00 é");
    }

    @Test
    void arraysOfTablesKeepEachEntrysPosition() {
        TomlNode.Table t = ok("[[a]]\nx = 1\n\n[[a]]\nx = 2\n");
        List<TomlNode> items = ((TomlNode.Array) t.entries().get("a")).items();
        assertThat(items).extracting(TomlNode::line).containsExactly(1, 4);
    }

    @Test
    void invalidDocumentsAreRejectedWithPositions() {
        assertThat(TomlSource.parse("a =\n", "t.toml").errors()).extracting(ConfigError::toString)
                .containsExactly("t.toml:1:4: invalid TOML: unexpected end of line, expected a value");
        assertThat(TomlSource.parse("a = 9223372036854775808\n", "t.toml").errors()).extracting(ConfigError::toString)
                .containsExactly("t.toml:1:5: invalid TOML: integer is too large");
        assertThat(TomlSource.parse("t = {a = 1}\nt.b = 2\n", "t.toml").errors()).hasSize(1);
    }
}
