package dev.eventbus.config;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code [log]} block, which every eventbus process applies (see
 * {@link dev.eventbus.config.logging.LogConfigurator}).
 *
 * @param format how lines look
 * @param level the lowest level written
 */
public record LogSettings(Format format, Level level) {
    /** text, info: what a process uses before its configuration is read. */
    public static final LogSettings DEFAULT = new LogSettings(Format.TEXT, Level.INFO);

    public enum Format {
        /** nats-server style: {@code [pid] 2006/01/02 15:04:05.000000 [INF] msg}. */
        TEXT,
        /** One JSON object per line: time, level, logger, msg, and exception when there is one. */
        JSON
    }

    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    public LogSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(level, "level");
    }

    /** The {@code [log]} block of a checked configuration. */
    public static LogSettings from(ConfigView config) {
        return of(config.getString("log.format"), config.getString("log.level"));
    }

    /**
     * From the configuration words: format {@code text|json}; level {@code trace|debug|info|warn|error|fatal|panic}
     * (fatal and panic log errors only, as logrus would).
     *
     * @throws IllegalArgumentException naming the bad word
     */
    public static LogSettings of(String format, String level) {
        Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new IllegalArgumentException("log format must be text or json, got \"" + format + "\"");
        };
        Level l = switch (level.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "error", "fatal", "panic" -> Level.ERROR;
            default -> throw new IllegalArgumentException(
                    "log level must be trace, debug, info, warn, error, fatal or panic, got \"" + level + "\"");
        };
        return new LogSettings(f, l);
    }
}
