package dev.eventbus.audit.analyze;

import dev.eventbus.audit.archive.AuditMetadata;
import java.io.PrintStream;
import java.util.Map;

/** The console form of a report, laid out as {@code nats audit analyze} prints it. */
public final class ReportPrinter {
    private ReportPrinter() {}

    public static void print(Analysis a, PrintStream out) {
        AuditMetadata m = a.metadata();
        out.printf("NATS Audit Report \"%s\" captured at %s%n%n", a.archive(),
                m == null || m.captureTimestamp() == null ? "an unknown time" : m.captureTimestamp());
        for (CheckResult r : a.results()) {
            out.printf("[%s] [%s] %s%n", r.outcome().label(), r.check().code(), r.check().description());
            Examples ex = r.examples();
            if (ex.error() != null) out.printf("   Error: %s%n", ex.error());
            for (String line : ex.lines()) out.printf("   - %s%n", line);
            if (ex.overflow() > 0) out.printf("   - ... and %d more ...%n", ex.overflow());
        }
        out.println();
        out.println("Summary");
        if (m != null) {
            out.printf("  Connection Server: %s%n", m.connectUrl());
            out.printf("  Server Version:    %s%n", m.connectedServerVersion());
            out.printf("  Creator:           %s%n", m.toolVersion());
            out.printf("  User:              %s%n", m.userName());
        }
        StringBuilder counts = new StringBuilder("  Outcomes:          ");
        for (Map.Entry<Outcome, Integer> e : a.outcomes().entrySet()) {
            counts.append(e.getKey().label()).append(' ').append(e.getValue()).append("  ");
        }
        out.println(counts.toString().stripTrailing());
    }
}
