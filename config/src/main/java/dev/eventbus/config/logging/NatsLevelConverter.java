package dev.eventbus.config.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %natslevel}: nats-server's three-letter level tags (INF, WRN, ERR, DBG, TRC). */
public final class NatsLevelConverter extends ClassicConverter {
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
