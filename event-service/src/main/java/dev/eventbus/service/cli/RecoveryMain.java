package dev.eventbus.service.cli;

import dev.eventbus.service.queue.RecoveryJournal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code service recovery show|ack (--data-dir DIR | --config FILE)}: the queue recovery's findings and their
 * acknowledgement. {@code ack} leaves a request naming the findings it printed; the running service applies it within
 * its poll interval (1 s by default) and leaves the degraded state when nothing is left, or the next start applies it.
 *
 * <p>Exit codes: 0 done, 1 the journal could not be read or written, 2 usage error.
 */
public final class RecoveryMain {
    static final String USAGE = """
            usage: service recovery show (--data-dir DIR | --config FILE)
                   service recovery ack  (--data-dir DIR | --config FILE)
            """;

    private RecoveryMain() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("recovery")) rest.remove(0);
        if (rest.isEmpty() || rest.contains("-h") || rest.contains("--help")) {
            (rest.isEmpty() ? err : out).print(USAGE);
            return rest.isEmpty() ? 2 : 0;
        }
        String command = rest.remove(0);
        if (!command.equals("show") && !command.equals("ack")) {
            err.println("error: unknown command '" + command + "'");
            err.print(USAGE);
            return 2;
        }
        Path dataDir = DataDirOption.only(rest, err, USAGE);
        if (dataDir == null) return 2;
        if (!Files.isDirectory(dataDir)) {
            err.println("error: " + dataDir + " is not a directory");
            return 1;
        }
        try {
            List<RecoveryJournal.Entry> entries = RecoveryJournal.open(dataDir).entries();
            if (command.equals("show")) {
                if (entries.isEmpty()) out.println("no recovery findings in " + dataDir);
                for (RecoveryJournal.Entry e : entries) {
                    out.println((e.acknowledged() ? "acknowledged " + e.acknowledgedAt() : "NOT ACKNOWLEDGED") + "  "
                            + e.finding().kind().code() + " (found " + e.firstFound() + "): " + e.finding().message());
                }
                return 0;
            }
            List<RecoveryJournal.Entry> open = entries.stream().filter(e -> !e.acknowledged()).toList();
            if (open.isEmpty()) {
                out.println("nothing to acknowledge: no unacknowledged recovery findings in " + dataDir);
                return 0;
            }
            for (RecoveryJournal.Entry e : open) out.println("acknowledging " + e.finding().kind().code() + ": " + e.finding().message());
            RecoveryJournal.requestAcknowledgement(dataDir, open.stream().map(e -> e.finding().key()).toList());
            out.println("requested: a running event-service applies it within its poll interval (1 s by default) and"
                    + " /healthz returns to ok once nothing is left; otherwise its next start applies it");
            return 0;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
