package dev.eventbus.audit.cli;

import dev.eventbus.audit.capture.Capture;
import dev.eventbus.audit.capture.CaptureLog;
import dev.eventbus.audit.capture.CaptureOptions;
import dev.eventbus.audit.capture.CaptureResult;
import dev.eventbus.audit.capture.CapturedServer;
import dev.eventbus.audit.capture.Progress;
import dev.eventbus.audit.capture.TerminalProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code eventbus audit capture --server URL… [--output FILE]}. */
final class CaptureCommand {
    static final String USAGE = """
            Usage: eventbus audit capture --server URL... [flags]

            Captures the HTTP monitoring endpoints (/varz, /connz, /routez, /gatewayz, /leafz, /subsz, /jsz,
            /accountz, /healthz, per-account data) of every server given, and of the peers their /routez and
            /gatewayz name, into one audit archive (the NATS audit archive format).

            Flags:
              -s, --server URL          a monitoring URL, e.g. http://127.0.0.1:8222 (repeatable, or comma-separated)
              -o, --output FILE         the archive to write (default: $TMPDIR/audit-archive-<unix time>.zip)
                  --timeout DURATION    per request (default 5s)
                  --no-discover         do not follow /routez and /gatewayz to peers
                  --peer-monitor-port N the monitoring port of discovered peers (default: the port of the server
                                        that named them)
                  --no-account-endpoints  skip the per-account endpoints
                  --page-size N         entries per page of /connz, /subsz and /jsz (default 1024)
                  --no-progress         no progress bar
                  -q, --quiet           do not echo the capture log on stderr
            """;

    private CaptureCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("capture", argv,
                Set.of("server", "output", "timeout", "peer-monitor-port", "page-size"),
                Set.of("no-discover", "no-account-endpoints", "no-progress", "quiet", "help"),
                Map.of("s", "server", "o", "output", "q", "quiet", "h", "help"));
        if (a.has("help")) {
            out.print(USAGE);
            return 0;
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positional().get(0) + "' (servers are given with --server)");
        }
        if (a.all("server").isEmpty()) throw new UsageException("at least one --server URL is required");
        Path output = Path.of(a.get("output", Path.of(System.getProperty("java.io.tmpdir"),
                "audit-archive-" + System.currentTimeMillis() / 1000 + ".zip").toString()));
        CaptureOptions options = CaptureOptions.of(a.all("server"), output)
                .withTimeout(a.get("timeout", null) == null ? CaptureOptions.DEFAULT_TIMEOUT : Durations.parse("timeout", a.get("timeout", "")))
                .withDiscovery(!a.has("no-discover"), a.intValue("peer-monitor-port", 0))
                .withAccountEndpoints(!a.has("no-account-endpoints"))
                .withPageSize(a.intValue("page-size", CaptureOptions.DEFAULT_PAGE_SIZE))
                .withToolVersion(Version.tool());

        boolean bar = !a.has("no-progress") && System.console() != null;
        boolean echo = !a.has("quiet") && !bar;
        CaptureLog log = new CaptureLog(line -> { if (echo) err.println(line); });
        CaptureResult result;
        try (Progress progress = bar ? new TerminalProgress(err) : Progress.NONE) {
            result = Capture.run(options, log, progress);
        }
        long ok = result.capturedServers();
        out.printf("Archive created at %s%n", result.archive());
        out.printf("Captured %d endpoint responses from %d of %d servers%n", result.responses(), ok, result.servers().size());
        for (CapturedServer s : result.servers()) {
            if (!s.ok() && !"duplicate".equals(s.status())) {
                out.printf("  %s (%s): %s%s%n", s.url(), s.via(), s.status(), s.error() == null ? "" : " - " + s.error());
            }
        }
        if (result.problems() > 0) {
            out.printf("%d problem%s; see the capture log: eventbus audit show %s --tag special:audit_gather_log%n",
                    result.problems(), result.problems() == 1 ? "" : "s", result.archive());
        }
        if (ok == 0) {
            err.println(AuditMain.PREFIX + "no server could be captured");
            return 1;
        }
        return 0;
    }
}
