package dev.eventbus.service.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.eventbus.service.dlq.DeadLetter;
import dev.eventbus.service.dlq.DeadLetters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code service dlq list|show|replay --data-dir DIR}: inspect and replay the dead-letter store. Safe while the service
 * runs: list and show only read; replay leaves a request ({@code ID.replay}) that the running service picks up within
 * a second (its {@code replayPollInterval}), or at its next start.
 *
 * <pre>
 * service dlq list   --data-dir DIR [--json]
 * service dlq show   --data-dir DIR ID          (one "field: value" line each, then the event JSON)
 * service dlq replay --data-dir DIR ID... | --all
 * </pre>
 * Exit codes: 0 done, 1 an entry was not found or the store could not be read, 2 usage error.
 */
public final class DlqMain {
    static final String USAGE = """
            usage: service dlq list   --data-dir DIR [--json]
                   service dlq show   --data-dir DIR ID
                   service dlq replay --data-dir DIR (ID... | --all)
            """;

    private DlqMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("dlq")) rest.remove(0);
        if (rest.isEmpty() || rest.contains("-h") || rest.contains("--help")) {
            (rest.isEmpty() ? err : out).print(USAGE);
            return rest.isEmpty() ? 2 : 0;
        }
        String command = rest.remove(0);
        Path dataDir = null;
        boolean json = false;
        boolean all = false;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            switch (a) {
                case "--data-dir", "-d" -> {
                    if (i + 1 >= rest.size()) return usage(err, "--data-dir needs a directory");
                    dataDir = Path.of(rest.get(++i));
                }
                case "--json" -> json = true;
                case "--all" -> all = true;
                default -> {
                    if (a.startsWith("--data-dir=")) dataDir = Path.of(a.substring("--data-dir=".length()));
                    else if (a.startsWith("-")) return usage(err, "unknown option " + a);
                    else ids.add(a);
                }
            }
        }
        if (dataDir == null) return usage(err, "--data-dir is required");
        if (!Files.isDirectory(dataDir)) {
            err.println("error: " + dataDir + " is not a directory");
            return 1;
        }
        DeadLetters dlq = new DeadLetters(dataDir);
        try {
            return switch (command) {
                case "list" -> {
                    if (!ids.isEmpty() || all) yield usage(err, "list takes no IDs");
                    yield list(dlq, json, out);
                }
                case "show" -> {
                    if (ids.size() != 1) yield usage(err, "show takes exactly one ID");
                    yield show(dlq, ids.get(0), out, err);
                }
                case "replay" -> {
                    if (all == !ids.isEmpty()) yield usage(err, "replay takes IDs or --all");
                    yield replay(dlq, all, ids, out, err);
                }
                default -> usage(err, "unknown command '" + command + "'");
            };
        } catch (IOException e) {
            err.println("error: " + e);
            return 1;
        }
    }

    private static int list(DeadLetters dlq, boolean json, PrintStream out) throws IOException {
        List<DeadLetter> letters = dlq.list();
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ArrayNode arr = m.createArrayNode();
            for (DeadLetter d : letters) fields(d).forEach(arr.addObject()::putPOJO);
            out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
            return 0;
        }
        if (letters.isEmpty()) {
            out.println("no dead letters in " + dlq.directory());
            return 0;
        }
        String fmt = "%-40s %-12s %-18s %-36s %8s  %-24s %-16s %s%n";
        out.printf(fmt, "ID", "HANDLER", "TYPE", "EVENT_ID", "ATTEMPTS", "DEAD_LETTERED_AT", "STATE", "LAST_ERROR");
        for (DeadLetter d : letters) {
            out.printf(fmt, d.id(), d.handler(), d.type(), d.eventId(), d.attempts(), d.deadLetteredAt(),
                    d.state() == DeadLetter.State.DEAD ? "dead" : "replay-requested", d.lastError());
        }
        out.println(letters.size() + " dead letter" + (letters.size() == 1 ? "" : "s"));
        return 0;
    }

    private static int show(DeadLetters dlq, String id, PrintStream out, PrintStream err) throws IOException {
        var d = dlq.get(id);
        if (d.isEmpty()) {
            err.println("error: no dead letter " + id);
            return 1;
        }
        // one "name: value" line per field, the names of list --json, then a blank line and the event as accepted
        fields(d.get()).forEach((name, value) -> out.println(name + ": " + value));
        out.println();
        out.println(new String(dlq.payload(id), StandardCharsets.UTF_8));
        return 0;
    }

    /** A dead letter's fields by their JSON names, in the order list --json and show print them. */
    private static Map<String, Object> fields(DeadLetter d) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", d.id());
        f.put("handler", d.handler());
        f.put("event_id", d.eventId());
        f.put("type", d.type());
        f.put("target", d.target());
        f.put("attempts", d.attempts());
        f.put("last_error", d.lastError());
        f.put("accepted_at", d.acceptedAt().toString());
        f.put("dead_lettered_at", d.deadLetteredAt().toString());
        f.put("payload_bytes", d.payloadBytes());
        f.put("state", d.state().name().toLowerCase());
        return f;
    }

    private static int replay(DeadLetters dlq, boolean all, List<String> ids, PrintStream out, PrintStream err)
            throws IOException {
        if (all) {
            ids = new ArrayList<>();
            for (DeadLetter d : dlq.list()) ids.add(d.id());
        }
        int missing = 0;
        for (String id : ids) {
            switch (dlq.replay(id)) {
                case NOT_FOUND -> {
                    err.println("error: no dead letter " + id);
                    missing++;
                }
                case REQUESTED -> out.println("replay requested: " + id);
                case REPLAYED -> out.println("replayed: " + id);
            }
        }
        if (!ids.isEmpty() && missing < ids.size()) {
            out.println("a running event-service replays requested entries within its poll interval (1 s by default);"
                    + " otherwise they are replayed at its next start");
        } else if (ids.isEmpty()) {
            out.println("no dead letters to replay");
        }
        return missing == 0 ? 0 : 1;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.print(USAGE);
        return 2;
    }
}
