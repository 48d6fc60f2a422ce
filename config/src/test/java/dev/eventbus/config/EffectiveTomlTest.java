package dev.eventbus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EffectiveConfig#toToml()}: what {@code eventbus config show} prints. */
class EffectiveTomlTest {
    @TempDir
    Path dir;

    @Test
    void everyValueIsFollowedByItsLayer() throws ConfigException {
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE)
                .layer(Layer.Kind.OVERRIDES, "overrides.toml", "[service]\nport = 5000\n[log]\nlevel = \"debug\"\n", dir)
                .layer(Layer.Kind.PATCH, "patch.toml", "service.port = \"6000\"\ntls.cert_path = \"certs/svc.crt\"\n", dir)
                .load();
        String toml = cfg.toToml();
        assertThat(toml).startsWith("""
                # Effective event-service configuration. Layers, lowest first:
                #   default: event-service-defaults.toml
                #   override: overrides.toml
                #   patch: patch.toml
                """);
        assertThat(toml).contains("""
                [service]
                host = "127.0.0.1"           # default: event-service-defaults.toml:9
                port = 6000                  # patch: patch.toml:1
                event_limit = 100000         # default: event-service-defaults.toml:11
                listener_limit = 100000      # default: event-service-defaults.toml:12
                # api_token_file: not set
                api_mtls = false             # default: event-service-defaults.toml:14
                intake_connections = 3       # default: event-service-defaults.toml:15
                intake_probe_timeout = "2s"  # default: event-service-defaults.toml:16
                """);
        assertThat(toml).contains("cert_path = \"" + dir.resolve("certs/svc.crt") + "\"  # patch: patch.toml:2\n# key_path: not set\n");
        assertThat(toml).contains("""
                [log]
                format = "text"  # default: event-service-defaults.toml:21
                level = "debug"  # override: overrides.toml:4
                """);
        assertThat(toml).contains("""
                [internal_messaging]
                host = "127.0.0.1"                 # default: event-service-defaults.toml:30
                port = 10140                       # default: event-service-defaults.toml:31
                gateway_host = "127.0.0.1"         # default: event-service-defaults.toml:32
                gateway_port = 10147               # default: event-service-defaults.toml:33
                gateway_peers = ["event-gateway"]  # default: event-service-defaults.toml:34
                event_gateway_addresses = ["127.0.0.1:10148"]  # default: event-service-defaults.toml:35
                clients = []                       # default: event-service-defaults.toml:38
                """);
    }

    @Test
    void arraysOfTablesAreWrittenAsBlocksAndTheOutputReadsBackToTheSameConfig() throws ConfigException {
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_GATEWAY).layer(Layer.Kind.OVERRIDES, "gw.toml", """
                [service]
                disable_frontend_tls = true
                [[frontend_tls]]
                server_name = "a \\"quoted\\" name"
                cert_path = "a.crt"
                key_path = "a.key"
                [[frontend_tls]]
                server_name = "b"
                cert_path = "b.crt"
                key_path = "b.key"
                """, dir).load();
        String toml = cfg.toToml();
        assertThat(toml).contains("[[frontend_tls]]  # override: gw.toml:3\n"
                + "server_name = \"a \\\"quoted\\\" name\"  # override: gw.toml:4\n"
                + "cert_path = \"" + dir.resolve("a.crt") + "\"  # override: gw.toml:5\n");
        assertThat(toml).contains("[[frontend_tls]]  # override: gw.toml:7\n");
        assertThat(toml).containsPattern("disable_frontend_tls = true +# override: gw.toml:2");
        EffectiveConfig again = ConfigLoader.forApp(App.EVENT_GATEWAY).layer(Layer.Kind.OVERRIDES, "shown.toml", toml, null).load();
        assertThat(again.toProperties()).isEqualTo(cfg.toProperties());
    }

    @Test
    void anEmptyArrayOfTablesIsWrittenInline() throws ConfigException {
        String toml = ConfigLoader.forApp(App.EVENT_GATEWAY).load().toToml();
        assertThat(toml).contains("\nfrontend_tls = []  # default: event-gateway-defaults.toml:6\n\n[service]\n");
    }
}
