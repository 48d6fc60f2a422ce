package dev.eventbus.config;

import static dev.eventbus.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    /** The messages a user sees when {@code text}, saved as the overrides file {@code name}, is refused. */
    private List<String> errorsOf(App app, String name, String text) {
        Path f = write(dir, name, text);
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.forApp(app).overrides(f).load(), ConfigException.class);
        assertThat(e).as("expected %s to be refused", name).isNotNull();
        return e.errors().stream().map(ConfigError::toString).map(s -> s.replace(dir + "/", "")).toList();
    }

    private EffectiveConfig load(App app, String text) throws ConfigException {
        return ConfigLoader.forApp(app).overrides(write(dir, "overrides.toml", text)).load();
    }

    @Test
    void defaultsAloneAreChefAutomatesDeploymentDefaults() throws ConfigException {
        EffectiveConfig es = ConfigLoader.forApp(App.EVENT_SERVICE).load();
        assertThat(es.getString("service.host")).isEqualTo("127.0.0.1");
        assertThat(es.getInt("service.port")).isEqualTo(10132);
        assertThat(es.getLong("service.event_limit")).isEqualTo(100_000);
        assertThat(es.getLong("service.listener_limit")).isEqualTo(100_000);
        assertThat(es.getString("log.format")).isEqualTo("text");
        assertThat(es.getString("log.level")).isEqualTo("info");
        assertThat(es.getString("handlers.feed")).isEqualTo("127.0.0.1:10121");
        assertThat(es.getString("handlers.cfgingest")).isEqualTo("127.0.0.1:10122");
        assertThat(es.getString("handlers.event_feed")).isEqualTo("127.0.0.1:10134");
        assertThat(es.getInt("internal_messaging.port")).isEqualTo(10140);
        assertThat(es.getInt("internal_messaging.gateway_port")).isEqualTo(10147);
        assertThat(es.findPath("tls.cert_path")).isEmpty();
        assertThat(es.originOf("service.port")).isEqualTo(
                new Origin(new Layer(Layer.Kind.DEFAULTS, "event-service-defaults.toml", null), 10, 1));

        EffectiveConfig gw = ConfigLoader.forApp(App.EVENT_GATEWAY).load();
        assertThat(gw.getString("service.host")).isEqualTo("0.0.0.0");
        assertThat(gw.getInt("service.port")).isEqualTo(4222);
        assertThat(gw.getInt("service.gateway_port")).isEqualTo(10148);
        assertThat(gw.getBoolean("service.disable_frontend_tls")).isFalse();
        assertThat(gw.getTables("frontend_tls")).isEmpty();
        assertThat(gw.getInt("internal_event_service.gateway_port")).isEqualTo(10147);
    }

    @Test
    void aValidOverridesFileIsApplied() throws ConfigException {
        EffectiveConfig cfg = load(App.EVENT_SERVICE, """
                # comments are fine
                [service]
                port = 10200
                event_limit = 5000

                [log]
                format = "json"
                level = "debug"

                [handlers]
                event_feed = "[::1]:10134"
                """);
        assertThat(cfg.getInt("service.port")).isEqualTo(10200);
        assertThat(cfg.getLong("service.event_limit")).isEqualTo(5000);
        assertThat(cfg.getString("log.format")).isEqualTo("json");
        assertThat(cfg.getString("handlers.event_feed")).isEqualTo("[::1]:10134");
        assertThat(cfg.getString("service.host")).isEqualTo("127.0.0.1");
        assertThat(cfg.originOf("service.port").toString()).isEqualTo("override: " + dir.resolve("overrides.toml") + ":3");
        assertThat(cfg.layers()).extracting(Layer::kind).containsExactly(Layer.Kind.DEFAULTS, Layer.Kind.OVERRIDES);
    }

    @Test
    void anEmptyFileIsValid() throws ConfigException {
        assertThat(load(App.EVENT_SERVICE, "").getInt("service.port")).isEqualTo(10132);
    }

    @Test
    void unknownKeysAreErrorsWithFileLineColumnAndAHint() {
        assertThat(errorsOf(App.EVENT_SERVICE, "patch.toml", """
                [service]
                port = 4222
                prot = 1
                [servce]
                port = 1
                [log]
                colour = true
                """)).containsExactly(
                "patch.toml:3:1: service.prot: unknown key (did you mean service.port?)",
                "patch.toml:4:1: servce: unknown key (did you mean service?)",
                "patch.toml:7:1: log.colour: unknown key");
    }

    @Test
    void keysOfTheOtherAppAreUnknown() {
        assertThat(errorsOf(App.EVENT_GATEWAY, "gw.toml", "[handlers]\nfeed = \"127.0.0.1:1\"\n"))
                .containsExactly("gw.toml:1:1: handlers: unknown key");
    }

    @Test
    void chefAutomateStylePatchesGetAHint() {
        assertThat(errorsOf(App.EVENT_SERVICE, "chef.toml", "[event_service.v1.sys.service]\nport = 1\n"))
                .containsExactly("chef.toml:1:1: event_service: unknown key"
                        + " (eventbus files have no [event_service.v1.sys] wrapper: write [service], [log], ... directly)");
    }

    @Test
    void aQuotedKeyWithADotIsNotADottedKey() {
        assertThat(errorsOf(App.EVENT_SERVICE, "q.toml", "\"service.port\" = 1\n"))
                .containsExactly("q.toml:1:1: \"service.port\": unknown key");
    }

    @Test
    void wrongTypesAreErrors() {
        assertThat(errorsOf(App.EVENT_GATEWAY, "patch.toml", """
                [service]
                host = 5
                port = "abc"
                gateway_port = 4222.0
                disable_frontend_tls = "yes"
                health_check_credentials_file = ""
                [log]
                format = 1
                level = ["info"]
                [tls]
                cert_path = { file = "x" }
                """)).containsExactly(
                "patch.toml:2:1: service.host: expected a host name or address, got 5",
                "patch.toml:3:1: service.port: expected an integer 1..65535, got \"abc\"",
                "patch.toml:4:1: service.gateway_port: expected an integer 1..65535, got 4222.0",
                "patch.toml:5:1: service.disable_frontend_tls: expected true or false, got \"yes\"",
                "patch.toml:6:1: service.health_check_credentials_file: expected a path, got \"\"",
                "patch.toml:8:1: log.format: expected one of \"text\", \"json\", got 1",
                "patch.toml:9:1: log.level: expected one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", \"fatal\", \"panic\", got an array",
                "patch.toml:11:1: tls.cert_path: expected a path, got a table");
    }

    @Test
    void aScalarWhereATableBelongsIsAnError() {
        assertThat(errorsOf(App.EVENT_SERVICE, "t.toml", "service = 5\nlog = \"json\"\n")).containsExactly(
                "t.toml:1:1: service: expected a table, got 5",
                "t.toml:2:1: log: expected a table, got \"json\"");
    }

    @Test
    void outOfRangeValuesAreErrors() {
        assertThat(errorsOf(App.EVENT_SERVICE, "range.toml", """
                [service]
                port = 70000
                event_limit = -1
                listener_limit = "2147483648"
                [internal_messaging]
                port = 0
                [log]
                level = "verbose"
                [handlers]
                feed = "compliance-service"
                """)).containsExactly(
                "range.toml:2:1: service.port: expected an integer 1..65535, got 70000",
                "range.toml:3:1: service.event_limit: expected an integer 0..2147483647, got -1",
                "range.toml:4:1: service.listener_limit: expected an integer 0..2147483647, got \"2147483648\"",
                "range.toml:6:1: internal_messaging.port: expected an integer 1..65535, got 0",
                "range.toml:8:1: log.level: expected one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", \"fatal\", \"panic\", got \"verbose\"",
                "range.toml:10:1: handlers.feed: expected host:port, an http(s) URL or nats:SUBJECT, got \"compliance-service\"");
    }

    @Test
    void numbersGivenAsQuotedStringsAreAccepted() throws ConfigException {
        // Chef Automate's habitat template renders port, event_limit and listener_limit quoted
        EffectiveConfig cfg = load(App.EVENT_SERVICE, """
                [service]
                port = "10132"
                event_limit = "0"
                listener_limit = "+7"
                """);
        assertThat(cfg.get("service.port")).isEqualTo(10132L);
        assertThat(cfg.getLong("service.event_limit")).isZero();
        assertThat(cfg.getLong("service.listener_limit")).isEqualTo(7);
    }

    @Test
    void quotedNumbersMustBePlainIntegers() {
        assertThat(errorsOf(App.EVENT_SERVICE, "q.toml", """
                [service]
                port = " 4222"
                event_limit = "1_000"
                listener_limit = "12.0"
                """)).containsExactly(
                "q.toml:2:1: service.port: expected an integer 1..65535, got \" 4222\"",
                "q.toml:3:1: service.event_limit: expected an integer 0..2147483647, got \"1_000\"",
                "q.toml:4:1: service.listener_limit: expected an integer 0..2147483647, got \"12.0\"");
    }

    @Test
    void tomlSyntaxErrorsCarryLineAndColumn() {
        assertThat(errorsOf(App.EVENT_SERVICE, "patch.toml", "[service]\nport = \n"))
                .containsExactly("patch.toml:2:8: invalid TOML: unexpected end of line, expected a value");
        assertThat(errorsOf(App.EVENT_SERVICE, "str.toml", "[log]\nlevel = \"info\n"))
                .containsExactly("str.toml:2:14: invalid TOML: unexpected end of line, expected \" or a character");
    }

    @Test
    void duplicateKeysAndTablesAreErrors() {
        assertThat(errorsOf(App.EVENT_SERVICE, "dup.toml", """
                [service]
                port = 1
                port = 2
                [log]
                level = "info"
                [service]
                host = "a"
                """)).containsExactly(
                "dup.toml:3:1: invalid TOML: duplicate key \"port\" (first defined at line 2, column 1)",
                "dup.toml:6:1: invalid TOML: duplicate key \"service\" (first defined at line 1, column 1)");
    }

    @Test
    void everyErrorOfEveryFileIsReportedAtOnce() {
        Path overrides = write(dir, "overrides.toml", "[service]\nport = 0\nhost = \"\"\n");
        Path patch = write(dir, "patch.toml", "[log]\nlevel = \"loud\"\n[x]\n");
        ConfigException e = catchThrowableOfType(
                () -> ConfigLoader.forApp(App.EVENT_SERVICE).overrides(overrides).patch(patch).load(), ConfigException.class);
        assertThat(e.getMessage()).isEqualTo(String.join("\n",
                overrides + ":2:1: service.port: expected an integer 1..65535, got 0",
                overrides + ":3:1: service.host: expected a host name or address, got \"\"",
                patch + ":2:1: log.level: expected one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", \"fatal\", \"panic\", got \"loud\"",
                patch + ":3:1: x: unknown key"));
        assertThat(e.errors()).hasSize(4);
        assertThat(e.errors().get(0)).isEqualTo(
                new ConfigError(overrides.toString(), 2, 1, "service.port", "expected an integer 1..65535, got 0"));
    }

    @Test
    void unreadableFilesAreOneLineErrors() throws Exception {
        Path missing = dir.resolve("missing.toml");
        Path folder = Files.createDirectory(dir.resolve("folder.toml"));
        Path binary = dir.resolve("binary.toml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.forApp(App.EVENT_SERVICE)
                .overrides(missing).patch(folder).patch(binary).load(), ConfigException.class);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                missing + ": cannot read: no such file",
                folder + ": cannot read: is a directory",
                binary + ": cannot read: not UTF-8 text");
    }

    @Test
    void aDottedKeyPatchWorks() throws ConfigException {
        // TOML 1.0 dotted keys: toml4j 0.7.2 (TOML 0.4) cannot parse this file (docs/decisions/0003-toml-library.md)
        Path patch = write(dir, "patch.toml", """
                service.port = 5000
                log.level = "debug"
                internal_messaging.gateway_port = "11000"
                [handlers]
                feed = "10.0.0.1:10121"
                """);
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE).patch(patch).load();
        assertThat(cfg.getInt("service.port")).isEqualTo(5000);
        assertThat(cfg.getString("log.level")).isEqualTo("debug");
        assertThat(cfg.getInt("internal_messaging.gateway_port")).isEqualTo(11000);
        assertThat(cfg.getString("handlers.feed")).isEqualTo("10.0.0.1:10121");
        assertThat(cfg.originOf("service.port")).isEqualTo(new Origin(new Layer(Layer.Kind.PATCH, patch.toString(), patch), 1, 1));
        assertThat(cfg.getString("service.host")).isEqualTo("127.0.0.1");
        assertThat(cfg.originOf("service.host").layer().kind()).isEqualTo(Layer.Kind.DEFAULTS);

        assertThat(errorsOf(App.EVENT_SERVICE, "dotted.toml", "service.prot = 5000\nlog.level.x = 1\n")).containsExactly(
                "dotted.toml:1:1: service.prot: unknown key (did you mean service.port?)",
                "dotted.toml:2:1: log.level: expected one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", \"fatal\", \"panic\", got a table");
    }

    @Test
    void threeLayersMergeAndRecordWhereEachValueCameFrom() throws ConfigException {
        Path overrides = write(dir, "overrides.toml", """
                [service]
                port = 5000
                event_limit = 500
                [log]
                level = "debug"
                """);
        Path patch = write(dir, "patches/patch.toml", """
                [service]
                port = 6000
                """);
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE).overrides(overrides).patch(patch).load();
        assertThat(cfg.getInt("service.port")).isEqualTo(6000);
        assertThat(cfg.getLong("service.event_limit")).isEqualTo(500);
        assertThat(cfg.getString("log.level")).isEqualTo("debug");
        assertThat(cfg.getString("log.format")).isEqualTo("text");

        Layer defaults = new Layer(Layer.Kind.DEFAULTS, "event-service-defaults.toml", null);
        Layer over = new Layer(Layer.Kind.OVERRIDES, overrides.toString(), overrides);
        Layer pat = new Layer(Layer.Kind.PATCH, patch.toString(), patch);
        assertThat(cfg.layers()).containsExactly(defaults, over, pat);
        assertThat(cfg.originOf("service.port")).isEqualTo(new Origin(pat, 2, 1));
        assertThat(cfg.originOf("service.event_limit")).isEqualTo(new Origin(over, 3, 1));
        assertThat(cfg.originOf("log.level")).isEqualTo(new Origin(over, 5, 1));
        assertThat(cfg.originOf("log.format")).isEqualTo(new Origin(defaults, 21, 1));
        assertThat(cfg.originOf("service.port").toString()).isEqualTo("patch: " + patch + ":2");
    }

    @Test
    void anExplicitValueAlwaysWinsEvenZeroFalseOrEmpty() throws ConfigException {
        Path overrides = write(dir, "o.toml", "[service]\nport = 5000\ndisable_frontend_tls = true\n");
        Path patch = write(dir, "p.toml", "[service]\ndisable_frontend_tls = false\n");
        EffectiveConfig gw = ConfigLoader.forApp(App.EVENT_GATEWAY).overrides(overrides).patch(patch).load();
        assertThat(gw.getBoolean("service.disable_frontend_tls")).isFalse();
        assertThat(gw.originOf("service.disable_frontend_tls").layer().kind()).isEqualTo(Layer.Kind.PATCH);
        assertThat(gw.getInt("service.port")).isEqualTo(5000);

        Path o2 = write(dir, "o2.toml", "[service]\nevent_limit = 500\n");
        Path p2 = write(dir, "p2.toml", "[service]\nevent_limit = 0\n");
        EffectiveConfig es = ConfigLoader.forApp(App.EVENT_SERVICE).overrides(o2).patch(p2).load();
        assertThat(es.getLong("service.event_limit")).isZero();
    }

    @Test
    void arraysOfTablesAreReadAndAreReplacedWholeByALaterLayer() throws ConfigException {
        Path overrides = write(dir, "gw.toml", """
                [[frontend_tls]]
                server_name = "automate.example.com"
                cert_path = "certs/a.crt"
                key_path = "certs/a.key"

                [[frontend_tls]]
                server_name = "b.example.com"
                cert_path = "/etc/ssl/b.crt"
                key_path = "/etc/ssl/b.key"
                """);
        EffectiveConfig one = ConfigLoader.forApp(App.EVENT_GATEWAY).overrides(overrides).load();
        List<ConfigTable> tls = one.getTables("frontend_tls");
        assertThat(tls).hasSize(2);
        assertThat(tls.get(0).name()).isEqualTo("frontend_tls[0]");
        assertThat(tls.get(0).getString("server_name")).isEqualTo("automate.example.com");
        assertThat(tls.get(0).getPath("cert_path")).isEqualTo(dir.resolve("certs/a.crt"));
        assertThat(tls.get(1).getPath("key_path")).isEqualTo(Path.of("/etc/ssl/b.key"));
        assertThat(tls.get(1).originOf("server_name").line()).isEqualTo(7);
        assertThat(one.originOf("frontend_tls").line()).isEqualTo(1);

        Path patch = write(dir, "patch.toml", """
                frontend_tls = [ { server_name = "c.example.com", cert_path = "c.crt", key_path = "c.key" } ]
                """);
        EffectiveConfig two = ConfigLoader.forApp(App.EVENT_GATEWAY).overrides(overrides).patch(patch).load();
        assertThat(two.getTables("frontend_tls")).singleElement()
                .satisfies(t -> assertThat(t.getString("server_name")).isEqualTo("c.example.com"));
        assertThat(two.originOf("frontend_tls").layer().kind()).isEqualTo(Layer.Kind.PATCH);

        Path clear = write(dir, "clear.toml", "frontend_tls = []\n");
        assertThat(ConfigLoader.forApp(App.EVENT_GATEWAY).overrides(overrides).patch(clear).load()
                .getTables("frontend_tls")).isEmpty();
    }

    @Test
    void internalBusClientsAreTablesByIdentityAndABadEntryIsNamed() throws ConfigException {
        Path f = write(dir, "svc.toml", """
                [[internal_messaging.clients]]
                identity = "compliance-service"
                publish = ["events.>"]
                subscribe = ["feed.out", "_INBOX.>"]
                [[internal_messaging.clients]]
                identity = "reader"
                """);
        List<ConfigTable> clients = ConfigLoader.forApp(App.EVENT_SERVICE).overrides(f).load().getTables("internal_messaging.clients");
        assertThat(clients).hasSize(2);
        assertThat(clients.get(0).getString("identity")).isEqualTo("compliance-service");
        assertThat(clients.get(0).getList("subscribe", String.class)).containsExactly("feed.out", "_INBOX.>");
        assertThat(clients.get(1).getList("publish", String.class)).isEmpty();
        assertThat(errorsOf(App.EVENT_SERVICE, "bad.toml", """
                [internal_messaging]
                gateway_peers = ["event gateway"]
                [[internal_messaging.clients]]
                publish = ["events.>"]
                """)).containsExactly(
                "bad.toml:2:18: internal_messaging.gateway_peers[0]: expected a certificate identity (SAN or CN), got \"event gateway\"",
                "bad.toml:3:1: internal_messaging.clients[0].identity: required key is missing");
    }

    @Test
    void errorsInsideArraysOfTablesNameTheEntry() {
        assertThat(errorsOf(App.EVENT_GATEWAY, "gw.toml", """
                [[frontend_tls]]
                server_name = "a"
                cert_path = "a.crt"
                key_path = "a.key"

                [[frontend_tls]]
                server_name = ""
                cert_pth = "b.crt"
                """)).containsExactly(
                "gw.toml:6:1: frontend_tls[1].cert_path: required key is missing",
                "gw.toml:6:1: frontend_tls[1].key_path: required key is missing",
                "gw.toml:7:1: frontend_tls[1].server_name: expected a non-empty server name, got \"\"",
                "gw.toml:8:1: frontend_tls[1].cert_pth: unknown key (did you mean frontend_tls[1].cert_path?)");
        assertThat(errorsOf(App.EVENT_GATEWAY, "gw2.toml", "frontend_tls = [\"a.crt\"]\n"))
                .containsExactly("gw2.toml:1:1: frontend_tls: expected an array of tables, got an array");
        assertThat(errorsOf(App.EVENT_GATEWAY, "gw3.toml", "[frontend_tls]\nserver_name = \"a\"\n"))
                .containsExactly("gw3.toml:1:1: frontend_tls: expected an array of tables, got a table");
    }

    @Test
    void relativePathsResolveAgainstTheFolderOfTheFileThatSetsThem() throws ConfigException {
        Path overrides = write(dir, "etc/eventbus/event-service.toml", """
                [tls]
                cert_path = "certs/service.crt"
                key_path = "./certs/../certs/service.key"
                root_ca_path = "/opt/ca/root_ca.crt"
                """);
        Path patch = write(dir, "patches/p.toml", "[tls]\nkey_path = \"../keys/other.key\"\n");
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE).overrides(overrides).load();
        assertThat(cfg.getPath("tls.cert_path")).isEqualTo(dir.resolve("etc/eventbus/certs/service.crt"));
        assertThat(cfg.getPath("tls.key_path")).isEqualTo(dir.resolve("etc/eventbus/certs/service.key"));
        assertThat(cfg.getPath("tls.root_ca_path")).isEqualTo(Path.of("/opt/ca/root_ca.crt"));

        EffectiveConfig patched = ConfigLoader.forApp(App.EVENT_SERVICE).overrides(overrides).patch(patch).load();
        assertThat(patched.getPath("tls.key_path")).isEqualTo(dir.resolve("keys/other.key"));
        assertThat(patched.getPath("tls.cert_path")).isEqualTo(dir.resolve("etc/eventbus/certs/service.crt"));
    }

    @Test
    void inMemoryLayersAreNamedAsGiven() throws ConfigException {
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE)
                .layer(Layer.Kind.PATCH, "inline", "[tls]\ncert_path = \"a.crt\"\n", dir).load();
        assertThat(cfg.getPath("tls.cert_path")).isEqualTo(dir.resolve("a.crt"));
        assertThat(cfg.originOf("tls.cert_path").toString()).isEqualTo("patch: inline:2");
        ConfigException e = catchThrowableOfType(() -> ConfigLoader.forApp(App.EVENT_SERVICE)
                .layer(Layer.Kind.PATCH, "inline", "[tls]\ncert_path = 1\n", dir).load(), ConfigException.class);
        assertThat(e.getMessage()).isEqualTo("inline:2:1: tls.cert_path: expected a path, got 1");
    }

    @Test
    void toPropertiesIsAFlatMapOfDottedKeys() throws ConfigException {
        Path f = write(dir, "gw.toml", """
                [service]
                port = "4223"
                [tls]
                cert_path = "svc.crt"
                [[frontend_tls]]
                server_name = "a.example.com"
                cert_path = "a.crt"
                key_path = "a.key"
                """);
        Map<String, Object> props = ConfigLoader.forApp(App.EVENT_GATEWAY).overrides(f).load().toProperties();
        // every key of the schema (each block adds its own), flat and dotted, with defaults filled in
        assertThat(props.keySet()).allMatch(k -> k.matches("[a-z_]+(\\[\\d+])?\\.[a-z_]+"), "flat dotted keys");
        assertThat(props).containsEntry("frontend_tls[0].server_name", "a.example.com")
                .containsEntry("frontend_tls[0].cert_path", dir.resolve("a.crt").toString())
                .containsEntry("frontend_tls[0].key_path", dir.resolve("a.key").toString())
                .containsEntry("service.port", 4223L)
                .containsEntry("service.disable_frontend_tls", false)
                .containsEntry("tls.cert_path", dir.resolve("svc.crt").toString())
                .containsEntry("log.level", "info")
                .containsEntry("auth.public_key_files", java.util.List.of())
                .containsEntry("auth.clock_skew", java.time.Duration.ofSeconds(60))
                .containsEntry("auth.reserved_queue_groups", java.util.List.of("event-service"))
                .containsEntry("monitor.port", 10149L)
                .containsEntry("service.gateway_host", "127.0.0.1")
                .containsEntry("internal_event_service.peer_identities", java.util.List.of("event-service"))
                .doesNotContainKey("tls.key_path");
        assertThat(props.keySet().iterator().next()).as("in schema order").isEqualTo("frontend_tls[0].server_name");
        assertThat(ConfigLoader.forApp(App.EVENT_SERVICE).load().toProperties("eventbus."))
                .containsEntry("eventbus.service.port", 10132L).doesNotContainKey("service.port");
    }

    @Test
    void gettersRefuseUndeclaredKeysWrongTypesAndUnsetValues() throws ConfigException {
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE).load();
        assertThatThrownBy(() -> cfg.getInt("service.prot")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no key service.prot in the event-service schema");
        assertThatThrownBy(() -> cfg.getInt("service.host")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service.host is STRING, not INT");
        assertThatThrownBy(() -> cfg.getPath("tls.cert_path")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("tls.cert_path is not set");
        assertThat(cfg.isSet("tls.cert_path")).isFalse();
        assertThat(cfg.find("service.port")).contains(10132L);
        assertThatThrownBy(() -> cfg.keys().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> cfg.layers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aByteOrderMarkIsIgnored() throws Exception {
        Path f = dir.resolve("bom.toml");
        Files.write(f, ("\uFEFF[service]\nport = 1234\n").getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigLoader.forApp(App.EVENT_SERVICE).overrides(f).load().getInt("service.port")).isEqualTo(1234);
    }
}
