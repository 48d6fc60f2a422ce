package dev.eventbus.broker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Log lines shaped like nats-server's ({@code [pid] 2006/01/02 15:04:05.000000 [INF] msg}), on stderr, so operators'
 * habits and log scrapers carry over. -D shows debug, -V trace; Netty itself stays at WARN unless tracing.
 */
final class Logging {
    private Logging() {}

    /** Maps logback levels to nats-server's three-letter tags. */
    public static final class NatsLevel extends ClassicConverter {
        @Override
        public String convert(ILoggingEvent e) {
            return switch (e.getLevel().toInt()) {
                case Level.ERROR_INT -> "ERR";
                case Level.WARN_INT -> "WRN";
                case Level.INFO_INT -> "INF";
                case Level.DEBUG_INT -> "DBG";
                default -> "TRC";
            };
        }
    }

    static void configure(boolean debug, boolean trace) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        ctx.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY, new java.util.HashMap<String, String>(
                java.util.Map.of("natslevel", NatsLevel.class.getName())));
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("[" + ProcessHandle.current().pid() + "] %d{yyyy/MM/dd HH:mm:ss.SSSSSS} [%natslevel] %msg%n");
        enc.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setTarget("System.err");
        out.setEncoder(enc);
        out.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(out);
        root.setLevel(trace ? Level.TRACE : debug ? Level.DEBUG : Level.INFO);
        ctx.getLogger("io.netty").setLevel(trace ? Level.DEBUG : Level.WARN);
    }
}
