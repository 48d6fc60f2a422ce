package dev.eventbus.audit.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The capture log, stored as {@code capture/misc/audit_gather_log.log}: one plain line per message, no timestamp
 * or level (as Go's gather logger writes it). Problems (an unreachable server, a failed endpoint) are counted so
 * the command can say how many there were. Each line is also handed to a sink (stderr, or nothing).
 */
public final class CaptureLog {
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> sink;
    private int problems;

    public CaptureLog(Consumer<String> sink) { this.sink = sink; }

    public synchronized void info(String format, Object... args) { add(String.format(format, args)); }

    /** A problem: something that should have been captured was not. */
    public synchronized void problem(String format, Object... args) {
        problems++;
        add(String.format(format, args));
    }

    private void add(String line) {
        lines.add(line);
        sink.accept(line);
    }

    public synchronized List<String> lines() { return List.copyOf(lines); }

    public synchronized int problems() { return problems; }

    /** The file's text: every line followed by a newline. */
    public synchronized String text() {
        StringBuilder b = new StringBuilder();
        for (String l : lines) b.append(l).append('\n');
        return b.toString();
    }
}
