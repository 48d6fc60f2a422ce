package dev.eventbus.service.cli;

import dev.eventbus.service.queue.LogVerifier;
import dev.eventbus.service.queue.RecoveryFinding;
import dev.eventbus.service.queue.RecoveryJournal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code service verify (--data-dir DIR | --config FILE)}: reads a data directory the way recovery would and prints
 * what it finds: segments, records, the seq range, each handler's ack offset and pending count, and every finding.
 * Writes nothing and takes no lock, so it may run next to the service.
 *
 * <p>Exit codes: 0 no damage, 1 damage or missing data found, 2 usage error or a directory that cannot be read.
 */
public final class VerifyMain {
    static final String USAGE = "usage: service verify (--data-dir DIR | --config FILE)\n";

    private VerifyMain() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("verify")) rest.remove(0);
        if (rest.contains("-h") || rest.contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        Path dataDir = DataDirOption.only(rest, err, USAGE);
        if (dataDir == null) return 2;
        if (!Files.isDirectory(dataDir)) {
            err.println("error: " + dataDir + " is not a directory");
            return 2;
        }
        LogVerifier.Verification v;
        try {
            v = LogVerifier.verify(dataDir);
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot read " + dataDir + ": " + e.getMessage());
            return 2;
        }
        print(v, out);
        return v.damaged() ? 1 : 0;
    }

    private static void print(LogVerifier.Verification v, PrintStream out) {
        out.println("data directory " + v.dataDir().toAbsolutePath());
        long bytes = v.segments().stream().mapToLong(LogVerifier.SegmentInfo::bytes).sum();
        out.println("segments: " + v.segments().size() + " (" + bytes + " bytes)");
        for (LogVerifier.SegmentInfo s : v.segments()) {
            out.printf("  %s  %10d bytes  %7d records  %s%n", s.name(), s.bytes(), s.records(), seqs(s.firstSeq(), s.lastSeq()));
        }
        out.println("records: " + v.records() + " intact, " + seqs(v.firstSeq(), v.lastSeq()));
        out.println("handlers: " + (v.handlers().isEmpty() ? "none" : ""));
        for (LogVerifier.HandlerInfo h : v.handlers()) {
            out.printf("  %-20s ack offset %12d  pending %d%n", h.name(), h.ackOffset(), h.pending());
        }
        if (v.tornBytes() > 0) {
            out.println("torn tail: " + v.tornBytes() + " bytes at the end of the last segment (an interrupted write;"
                    + " the next start cuts it; normal while the service is writing)");
        }
        out.println("findings: " + v.findings().size());
        for (RecoveryFinding f : v.findings()) {
            boolean acked = v.journal().stream().anyMatch(e -> e.acknowledged() && e.finding().key().equals(f.key()));
            out.println("  " + f.kind().code() + (acked ? " (acknowledged)" : "") + ": " + f.message());
        }
        long open = v.journal().stream().filter(e -> !e.acknowledged()).count();
        if (open > 0) {
            out.println("recovery journal: " + open + " finding" + (open == 1 ? "" : "s") + " of earlier starts not yet"
                    + " acknowledged ('service recovery show' lists them, 'service recovery ack' acknowledges them)");
            for (RecoveryJournal.Entry e : v.journal()) {
                if (!e.acknowledged()) out.println("  " + e.finding().kind().code() + " since " + e.firstFound() + ": " + e.finding().message());
            }
        }
        out.println(v.damaged() ? "result: DAMAGED (" + v.findings().size() + " finding" + (v.findings().size() == 1 ? "" : "s") + ")"
                : "result: OK");
    }

    private static String seqs(long first, long last) {
        return first < 0 ? "no seqs" : "seq " + first + ".." + last;
    }
}
