package dev.eventbus.audit.analyze;

import dev.eventbus.audit.archive.ArchiveException;
import dev.eventbus.audit.archive.ArchiveReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Runs the checks over an archive. A check that throws is reported as SKIP with the error, as in jsm.go. */
public final class Analyzer {
    private final List<Check> checks;
    private final int maxExamples;
    private final Set<String> skip;
    private final Clock clock;

    /**
     * @param maxExamples the most findings listed per check; 0 lists all
     * @param skip        check codes not to run (case-insensitive)
     */
    public Analyzer(List<Check> checks, int maxExamples, Set<String> skip, Clock clock) {
        this.checks = List.copyOf(checks);
        this.maxExamples = maxExamples;
        this.skip = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        this.skip.addAll(skip);
        this.clock = clock;
    }

    public Analyzer(int maxExamples, Set<String> skip) { this(Checks.all(), maxExamples, skip, Clock.systemUTC()); }

    public Analysis analyze(ArchiveReader reader, String archiveName) {
        ArchiveView view = new ArchiveView(reader);
        List<CheckResult> results = new ArrayList<>();
        TreeSet<String> skipped = new TreeSet<>();
        for (Check c : checks) {
            Examples ex = new Examples(maxExamples);
            if (skip.contains(c.code())) {
                skipped.add(c.code().toUpperCase(Locale.ROOT));
                results.add(new CheckResult(c, Outcome.SKIP, ex));
                continue;
            }
            Outcome o;
            try {
                o = c.run(view, ex);
            } catch (ArchiveException | IllegalArgumentException | IllegalStateException e) {
                o = ex.skip(e.getMessage());
            }
            results.add(new CheckResult(c, o, ex));
        }
        return new Analysis(archiveName, clock.instant(), reader.metadata().orElse(null), List.copyOf(skipped), results);
    }
}
