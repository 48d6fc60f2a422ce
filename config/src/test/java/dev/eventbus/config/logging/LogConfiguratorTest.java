package dev.eventbus.config.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.config.App;
import dev.eventbus.config.ConfigException;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.config.Layer;
import dev.eventbus.config.LogSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogConfiguratorTest {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        LogConfigurator.apply(LogSettings.DEFAULT);
    }

    private List<String> lines() {
        return sink.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonIsOneObjectPerLine() {
        LogConfigurator.apply(new LogSettings(LogSettings.Format.JSON, LogSettings.Level.DEBUG), sink);
        Logger log = LoggerFactory.getLogger("eventbus.test");
        log.trace("not shown");
        log.debug("hello {}", "world");
        log.warn("a \"quoted\"\nsecond line\ttab");
        log.error("boom", new IllegalStateException("bad"));

        List<String> lines = lines();
        assertThat(lines).hasSize(3);
        String time = "\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}(Z|[+-]\\d\\d:\\d\\d)\",";
        assertThat(lines.get(0)).matches(time + "\"level\":\"debug\",\"logger\":\"eventbus.test\",\"msg\":\"hello world\"}");
        assertThat(lines.get(1)).matches(time + "\"level\":\"warning\",\"logger\":\"eventbus.test\","
                + "\"msg\":\"a \\\\\"quoted\\\\\"\\\\nsecond line\\\\ttab\"}");
        assertThat(lines.get(2)).matches(time + "\"level\":\"error\",\"logger\":\"eventbus.test\",\"msg\":\"boom\","
                + "\"exception\":\"java.lang.IllegalStateException: bad\\\\n\\\\tat .*\"}");
    }

    @Test
    void textIsNatsServerStyle() {
        LogConfigurator.apply(new LogSettings(LogSettings.Format.TEXT, LogSettings.Level.INFO), sink);
        Logger log = LoggerFactory.getLogger("eventbus.test");
        log.debug("not shown");
        log.info("Server is ready");
        log.warn("careful");
        log.error("failed");
        long pid = ProcessHandle.current().pid();
        String prefix = "\\[" + pid + "\\] \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} ";
        assertThat(lines()).hasSize(3);
        assertThat(lines().get(0)).matches(prefix + "\\[INF\\] Server is ready");
        assertThat(lines().get(1)).matches(prefix + "\\[WRN\\] careful");
        assertThat(lines().get(2)).matches(prefix + "\\[ERR\\] failed");
    }

    @Test
    void nettyStaysQuietUnlessTracing() {
        LogConfigurator.apply(new LogSettings(LogSettings.Format.TEXT, LogSettings.Level.DEBUG), sink);
        LoggerFactory.getLogger("io.netty.buffer").info("noise");
        LoggerFactory.getLogger("io.netty.buffer").warn("worth seeing");
        assertThat(lines()).singleElement().asString().endsWith("[WRN] worth seeing");
    }

    @Test
    void settingsComeFromTheLogBlock() throws ConfigException {
        var cfg = ConfigLoader.forApp(App.EVENT_GATEWAY)
                .layer(Layer.Kind.PATCH, "p.toml", "log.format = \"json\"\nlog.level = \"fatal\"\n", null).load();
        assertThat(LogSettings.from(cfg)).isEqualTo(new LogSettings(LogSettings.Format.JSON, LogSettings.Level.ERROR));
        assertThat(LogSettings.from(ConfigLoader.forApp(App.EVENT_SERVICE).load())).isEqualTo(LogSettings.DEFAULT);
        assertThat(LogSettings.of("TEXT", "Warn")).isEqualTo(new LogSettings(LogSettings.Format.TEXT, LogSettings.Level.WARN));
        assertThatThrownBy(() -> LogSettings.of("xml", "info")).hasMessage("log format must be text or json, got \"xml\"");
        assertThatThrownBy(() -> LogSettings.of("text", "loud"))
                .hasMessage("log level must be trace, debug, info, warn, error, fatal or panic, got \"loud\"");
    }
}
