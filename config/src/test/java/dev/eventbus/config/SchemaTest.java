package dev.eventbus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema mechanism itself, on a made-up block shaped like the [gateway] a later issue adds. */
class SchemaTest {
    @TempDir
    Path dir;

    static final Schema DEMO = Schema.of("demo",
            Key.string("gateway.name").defaultValue("eventbus").doc("gateway name"),
            Key.port("gateway.port").defaultValue(7222).doc("gateway port"),
            Key.bool("gateway.reject_unknown").defaultValue(false).doc("refuse unknown gateways"),
            Key.path("gateway.tls.ca_file").doc("CA for gateway links"),
            Key.duration("gateway.ping_interval").defaultValue("2m").doc("ping period"),
            Key.list("gateway.advertise", ValueType.STRING).defaultValue(List.of()).doc("URLs to advertise"),
            Key.list("gateway.ports", ValueType.INT).range(1, 65535).doc("extra ports"),
            Key.list("gateway.extra_cas", ValueType.PATH).doc("more CAs"),
            Key.tables("gateway.remotes",
                    Key.string("name").required().doc("remote gateway name"),
                    Key.list("urls", ValueType.STRING).defaultValue(List.of()).doc("its URLs"),
                    Key.duration("timeout").defaultValue("2s").doc("connect timeout"),
                    Key.path("tls.ca_file").doc("CA for this remote")).doc("remote gateways"));

    private EffectiveConfig load(String text) throws ConfigException {
        return ConfigLoader.forSchema(DEMO, "demo-defaults.toml", null).layer(Layer.Kind.OVERRIDES, "demo.toml", text, dir).load();
    }

    private List<String> errors(String text) {
        return catchThrowableOfType(() -> load(text), ConfigException.class).errors().stream()
                .map(ConfigError::toString).toList();
    }

    @Test
    void everyTypeIsReadAndSchemaDefaultsFillTheRest() throws ConfigException {
        EffectiveConfig cfg = load("""
                [gateway]
                port = 7333
                ping_interval = "1m30s"
                advertise = ["nats://a:7222", "nats://b:7222"]
                ports = [7444, "7555"]
                extra_cas = ["ca/one.pem", "/etc/two.pem"]
                tls.ca_file = "ca.pem"

                [[gateway.remotes]]
                name = "event-service"
                urls = ["nats://127.0.0.1:10147"]

                [[gateway.remotes]]
                name = "other"
                timeout = "500ms"
                [gateway.remotes.tls]
                ca_file = "other/ca.pem"
                """);
        assertThat(cfg.getString("gateway.name")).isEqualTo("eventbus");
        assertThat(cfg.originOf("gateway.name")).isEqualTo(Origin.builtIn());
        assertThat(cfg.getInt("gateway.port")).isEqualTo(7333);
        assertThat(cfg.getBoolean("gateway.reject_unknown")).isFalse();
        assertThat(cfg.getDuration("gateway.ping_interval")).isEqualTo(Duration.ofSeconds(90));
        assertThat(cfg.getList("gateway.advertise", String.class)).containsExactly("nats://a:7222", "nats://b:7222");
        assertThat(cfg.getList("gateway.ports", Long.class)).containsExactly(7444L, 7555L);
        assertThat(cfg.getList("gateway.extra_cas", Path.class)).containsExactly(dir.resolve("ca/one.pem"), Path.of("/etc/two.pem"));
        assertThat(cfg.getPath("gateway.tls.ca_file")).isEqualTo(dir.resolve("ca.pem"));
        List<ConfigTable> remotes = cfg.getTables("gateway.remotes");
        assertThat(remotes).hasSize(2);
        assertThat(remotes.get(0).getDuration("timeout")).isEqualTo(Duration.ofSeconds(2));
        assertThat(remotes.get(0).originOf("timeout")).isEqualTo(Origin.builtIn());
        assertThat(remotes.get(0).findPath("tls.ca_file")).isEmpty();
        assertThat(remotes.get(1).getDuration("timeout")).isEqualTo(Duration.ofMillis(500));
        assertThat(remotes.get(1).getPath("tls.ca_file")).isEqualTo(dir.resolve("other/ca.pem"));
        assertThat(remotes.get(1).originOf("tls.ca_file").line()).isEqualTo(17);
        assertThat(cfg.toProperties()).containsEntry("gateway.remotes[1].tls.ca_file", dir.resolve("other/ca.pem").toString())
                .containsEntry("gateway.ping_interval", Duration.ofSeconds(90))
                .containsEntry("gateway.ports", List.of(7444L, 7555L));
    }

    @Test
    void listAndDurationErrorsNameTheElement() {
        assertThat(errors("""
                [gateway]
                ping_interval = 10
                advertise = "nats://a:7222"
                ports = [1, "x", 70000]
                extra_cas = [""]
                [[gateway.remotes]]
                timeout = "10 s"
                """)).containsExactly(
                "demo.toml:2:1: gateway.ping_interval: expected a duration such as \"10s\", \"2m\" or \"1h30m\", got 10",
                "demo.toml:3:1: gateway.advertise: expected an array of strings, got \"nats://a:7222\"",
                "demo.toml:4:13: gateway.ports[1]: expected an integer 1..65535, got \"x\"",
                "demo.toml:4:18: gateway.ports[2]: expected an integer 1..65535, got 70000",
                "demo.toml:5:14: gateway.extra_cas[0]: expected a path, got \"\"",
                "demo.toml:6:1: gateway.remotes[0].name: required key is missing",
                "demo.toml:7:1: gateway.remotes[0].timeout: expected a duration such as \"10s\", \"2m\" or \"1h30m\", got \"10 s\"");
    }

    @Test
    void aNewBlockIsAddedWithWith() throws ConfigException {
        Schema extended = Schemas.EVENT_SERVICE.with(Key.port("gateway.port").defaultValue(7222).doc("gateway port"));
        EffectiveConfig cfg = ConfigLoader.forSchema(extended, App.EVENT_SERVICE.defaultsName(), App.EVENT_SERVICE.defaultsToml())
                .layer(Layer.Kind.PATCH, "p.toml", "gateway.port = 7333\nservice.port = 1\n", dir).load();
        assertThat(cfg.getInt("gateway.port")).isEqualTo(7333);
        assertThat(cfg.getInt("service.port")).isEqualTo(1);
        assertThat(cfg.getInt("internal_messaging.port")).isEqualTo(10140);
        assertThat(cfg.app()).isNull();
        assertThat(Schemas.EVENT_SERVICE.key("gateway.port")).isEmpty();
    }

    @Test
    void badSchemasFailWhenBuilt() {
        assertThatThrownBy(() -> Schema.of("s", Key.integer("a.b").range(1, 10).defaultValue(20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("s: default of a.b: expected an integer 1..10, got 20");
        assertThatThrownBy(() -> Schema.of("s", Key.path("a.b").defaultValue(5)))
                .hasMessage("s: default of a.b: expected a path, got 5");
        assertThatThrownBy(() -> Schema.of("s", Key.duration("a.b").defaultValue("soon")))
                .hasMessage("s: default of a.b: expected a duration such as \"10s\", \"2m\" or \"1h30m\", got \"soon\"");
        assertThatThrownBy(() -> Schema.of("s", Key.string("a.b"), Key.string("a.b")))
                .hasMessage("s: key a.b declared twice");
        assertThatThrownBy(() -> Schema.of("s", Key.string("a"), Key.string("a.b")))
                .hasMessage("s: a is declared as a key and used as a table");
        assertThatThrownBy(() -> Key.string("a..b")).hasMessage("bad key path \"a..b\": segments are [A-Za-z0-9_-]+");
        assertThatThrownBy(() -> Key.string("a.b").range(1, 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Key.integer("a.b").oneOf("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Key.tables("a", Key.tables("b"))).hasMessage("a: arrays of tables cannot nest (b)");
        assertThatThrownBy(() -> Key.list("a", ValueType.LIST)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysDescribeWhatTheyExpect() {
        assertThat(Key.port("p").expected()).isEqualTo("an integer 1..65535");
        assertThat(Key.integer("p").expected()).isEqualTo("an integer");
        assertThat(Key.integer("p").range(0, Long.MAX_VALUE).expected()).isEqualTo("an integer >= 0");
        assertThat(Key.list("p", ValueType.INT).range(1, 9).expected()).isEqualTo("an array of integers 1..9");
        assertThat(Key.list("p", ValueType.STRING).oneOf("a", "b").expected()).isEqualTo("an array of strings, each one of \"a\", \"b\"");
        assertThat(Key.list("p", ValueType.PATH).expected()).isEqualTo("an array of paths");
        assertThat(Key.bool("p").expected()).isEqualTo("true or false");
        assertThat(Key.tables("p").expected()).isEqualTo("an array of tables");
    }

    @Test
    void durationsUseGoSyntax() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("")).isNull();
        assertThat(Durations.parse("10")).isNull();
        assertThat(Durations.parse("-1s")).isNull();
        assertThat(Durations.parse("1d")).isNull();
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2s500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        for (String s : List.of("1h30m", "2s500ms", "7ns", "3m1us")) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
    }

    @Test
    void didYouMeanUsesEditDistance() {
        assertThat(Validator.distance("prot", "port")).isEqualTo(2);
        assertThat(Validator.distance("evnt_limit", "event_limit")).isEqualTo(1);
        assertThat(Validator.distance("", "abc")).isEqualTo(3);
    }
}
