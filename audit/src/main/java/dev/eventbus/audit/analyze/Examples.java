package dev.eventbus.audit.analyze;

import java.util.ArrayList;
import java.util.List;

/**
 * What a check found, one line per finding ({@code C1/n1: 3 slow consumers}), capped at a maximum (the rest is only
 * counted), plus the reason when the check was skipped.
 */
public final class Examples {
    private final int max;
    private final List<String> lines = new ArrayList<>();
    private int overflow;
    private String error;

    /** @param max the most lines kept; 0 keeps all */
    public Examples(int max) { this.max = max; }

    public void add(String format, Object... args) {
        if (max > 0 && lines.size() >= max) {
            overflow++;
        } else {
            lines.add(args.length == 0 ? format : String.format(format, args));
        }
    }

    /** Records why the check could not run, and returns {@link Outcome#SKIP} for the check to return. */
    public Outcome skip(String reason) {
        this.error = reason;
        return Outcome.SKIP;
    }

    public List<String> lines() { return List.copyOf(lines); }

    /** Findings beyond the maximum. */
    public int overflow() { return overflow; }

    public int total() { return lines.size() + overflow; }

    /** The skip reason, or null. */
    public String error() { return error; }
}
