package dev.eventbus.bench;

import java.util.Locale;

/**
 * Machine-readable output. Every measurement is one stdout line
 * {@code RESULT<TAB>scenario<TAB>size<TAB>metric<TAB>value<TAB>unit}; progress and diagnostics go to stderr.
 * run.sh prefixes each line with the server name and round and appends it to bench/results/raw-*.tsv.
 */
final class Results {
    private Results() {}

    static void emit(String scenario, Object size, String metric, double value, String unit) {
        String v = value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value);
        System.out.println("RESULT\t" + scenario + "\t" + size + "\t" + metric + "\t" + v + "\t" + unit);
        System.out.flush();
    }

    static void log(String fmt, Object... args) {
        System.err.println("[bench] " + String.format(Locale.ROOT, fmt, args));
        System.err.flush();
    }
}
