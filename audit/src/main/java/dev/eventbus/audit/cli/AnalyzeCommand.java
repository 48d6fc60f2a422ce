package dev.eventbus.audit.cli;

import dev.eventbus.audit.analyze.Analysis;
import dev.eventbus.audit.analyze.Analyzer;
import dev.eventbus.audit.analyze.Checks;
import dev.eventbus.audit.analyze.ReportPrinter;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.GoJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code eventbus audit analyze FILE [--json]}. */
final class AnalyzeCommand {
    static final String USAGE = """
            Usage: eventbus audit analyze FILE [flags]

            Runs every check (eventbus audit checks lists them) over an archive and prints PASS, WARN, FAIL or SKIP
            for each, with the findings that explain it.

            Flags:
              -j, --json              the report as JSON (io.nats.audit.v1.analysis, as nats audit analyze --json)
                  --max-examples N    findings listed per check (default 5, 0 for all)
                  --skip CODE         do not run this check (repeatable)
            """;

    private AnalyzeCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("analyze", argv, Set.of("max-examples", "skip"), Set.of("json", "help"),
                Map.of("j", "json", "h", "help"));
        if (a.has("help")) {
            out.print(USAGE);
            return 0;
        }
        if (a.positional().size() != 1) throw new UsageException("analyze needs exactly one archive file");
        int max = a.intValue("max-examples", 5);
        if (max < 0) throw new UsageException("--max-examples cannot be negative");
        Set<String> skip = new HashSet<>();
        Set<String> codes = new HashSet<>();
        Checks.all().forEach(c -> codes.add(c.code()));
        for (String s : a.all("skip")) {
            String code = s.toUpperCase(Locale.ROOT);
            if (!codes.contains(code)) throw new UsageException("unknown check '" + s + "' (eventbus audit checks lists them)");
            skip.add(code);
        }
        String file = a.positional().get(0);
        try (ArchiveReader reader = ArchiveReader.open(Path.of(file))) {
            reader.warnings().forEach(w -> err.println(AuditMain.PREFIX + "warning: " + w));
            Analysis analysis = new Analyzer(max, skip).analyze(reader, file);
            if (a.has("json")) {
                out.writeBytes(GoJson.encode(analysis.toJson(), "   "));
            } else {
                ReportPrinter.print(analysis, out);
            }
        }
        return 0;
    }
}
