package dev.eventbus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keeps each bundled {@code <app>-defaults.toml} and its schema's defaults in step. */
class SchemaDefaultsTest {
    @ParameterizedTest
    @EnumSource(App.class)
    void theBundledDefaultsFileSetsExactlyTheKeysThatHaveASchemaDefaultToThatDefault(App app) throws ConfigException {
        EffectiveConfig cfg = ConfigLoader.forApp(app).load();
        for (Key k : app.schema().keys()) {
            if (k.defaultValue().isPresent()) {
                assertThat(cfg.originOf(k.path()).layer().kind()).as(k.path() + " is in " + app.defaultsName())
                        .isEqualTo(Layer.Kind.DEFAULTS);
                Object expected = Validator.builtIn(k).value();
                assertThat(cfg.get(k.path())).as(k.path()).isEqualTo(expected);
            } else {
                assertThat(cfg.isSet(k.path())).as(k.path() + " has no default and is not in " + app.defaultsName()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void everyKeyIsDescribed(App app) {
        for (Key k : app.schema().keys()) {
            assertThat(k.description()).as(k.path()).isNotBlank();
            if (k.entrySchema() != null) {
                for (Key sub : k.entrySchema().keys()) assertThat(sub.description()).as(k.path() + "." + sub.path()).isNotBlank();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void bothAppsShareTheLogAndTlsBlocks(App app) {
        List<String> paths = app.schema().keys().stream().map(Key::path).toList();
        assertThat(paths).contains("log.format", "log.level", "tls.cert_path", "tls.key_path", "tls.root_ca_path");
        assertThat(App.byId(app.id())).isSameAs(app);
    }
}
