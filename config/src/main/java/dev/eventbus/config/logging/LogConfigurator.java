package dev.eventbus.config.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.eventbus.config.LogSettings;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LogSettings} to logback, replacing whatever configuration it had: one appender on stderr, in
 * nats-server's text format or JSON lines. Every eventbus process calls it once its configuration is loaded (and may
 * call it with {@link LogSettings#DEFAULT} before). Netty logs at WARN unless the level is TRACE.
 *
 * <p>Needs logback-classic as the SLF4J binding at run time.
 */
public final class LogConfigurator {
    private LogConfigurator() {}

    /** Logs to stderr. */
    public static void apply(LogSettings settings) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setTarget("System.err");
        install(settings, appender);
    }

    /** Logs to {@code out} (tests, or a process that redirects its log). */
    public static void apply(LogSettings settings, OutputStream out) {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setOutputStream(out);
        install(settings, appender);
    }

    private static void install(LogSettings settings, OutputStreamAppender<ILoggingEvent> appender) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext ctx)) {
            throw new IllegalStateException("logback-classic is not the SLF4J binding (found "
                    + factory.getClass().getName() + ")");
        }
        ctx.reset();
        appender.setContext(ctx);
        appender.setName(settings.format() == LogSettings.Format.JSON ? "json" : "text");
        appender.setEncoder(encoder(settings.format(), ctx));
        appender.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(level(settings.level()));
        ctx.getLogger("io.netty").setLevel(settings.level() == LogSettings.Level.TRACE ? Level.DEBUG : Level.WARN);
    }

    private static Encoder<ILoggingEvent> encoder(LogSettings.Format format, LoggerContext ctx) {
        if (format == LogSettings.Format.JSON) {
            JsonLineEncoder json = new JsonLineEncoder();
            json.setContext(ctx);
            json.start();
            return json;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> rules = (Map<String, String>) ctx.getObject(CoreConstants.PATTERN_RULE_REGISTRY);
        Map<String, String> registry = rules == null ? new HashMap<>() : rules;
        registry.put("natslevel", NatsLevelConverter.class.getName());
        ctx.putObject(CoreConstants.PATTERN_RULE_REGISTRY, registry);
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(ctx);
        text.setPattern("[" + ProcessHandle.current().pid() + "] %d{yyyy/MM/dd HH:mm:ss.SSSSSS} [%natslevel] %msg%n");
        text.start();
        return text;
    }

    private static Level level(LogSettings.Level level) {
        return switch (level) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARN;
            case ERROR -> Level.ERROR;
        };
    }
}
