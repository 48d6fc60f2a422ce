package dev.eventbus.audit.cli;

import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.browse.ArchiveDiff;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code eventbus audit diff A B}. */
final class DiffCommand {
    static final String USAGE = """
            Usage: eventbus audit diff A B [flags]

            Shows what changed from capture A to capture B: servers added (+) or gone (-), artifacts only in one of
            them, and for artifacts in both (~) every field whose value changed, with the delta of numbers.
            Fields that change with every capture (now, uptime, idle, rtt, last_activity, http_req_stats) and the
            reply envelope's server object are left out.

            Flags:
                  --all     also compare the fields that change with every capture
                  --max N   changed fields listed per artifact (default 50, 0 for all)
            """;

    private DiffCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("diff", argv, Set.of("max"), Set.of("all", "help"), Map.of("h", "help"));
        if (a.has("help")) {
            out.print(USAGE);
            return 0;
        }
        if (a.positional().size() != 2) throw new UsageException("diff needs two archive files");
        int max = a.intValue("max", 50);
        if (max < 0) throw new UsageException("--max cannot be negative");
        try (ArchiveReader left = ArchiveReader.open(Path.of(a.positional().get(0)));
             ArchiveReader right = ArchiveReader.open(Path.of(a.positional().get(1)))) {
            left.warnings().forEach(w -> err.println(AuditMain.PREFIX + "warning: " + w));
            right.warnings().forEach(w -> err.println(AuditMain.PREFIX + "warning: " + w));
            new ArchiveDiff(a.has("all"), max).print(left, right, out);
        }
        return 0;
    }
}
