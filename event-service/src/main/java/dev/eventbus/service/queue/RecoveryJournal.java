package dev.eventbus.service.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code DIR/recovery/findings.json}: every recovery finding until an operator has acknowledged it, so a restart does
 * not make damage look handled. Each start merges what its recovery found (by {@link RecoveryFinding#key()}: damage
 * left in place is found again under the same key, and its acknowledgement still holds); an acknowledged finding that
 * is no longer found (its segment was deleted) is dropped.
 *
 * <p>Acknowledging works like dead-letter replay requests: {@code service recovery ack} writes
 * {@code DIR/recovery/ack-*.request} naming the keys it showed the operator; the running service applies requests on
 * its poll (or the next start applies them after its own recovery), so a finding that appeared after the operator
 * looked is never acknowledged by accident.
 */
public final class RecoveryJournal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "findings.json";
    private static final String REQUEST = ".request";

    /**
     * @param acknowledgedAt null until an operator acknowledged it
     */
    public record Entry(RecoveryFinding finding, Instant firstFound, Instant acknowledgedAt) {
        public boolean acknowledged() { return acknowledgedAt != null; }
    }

    private final Path dir;
    private final Map<String, Entry> entries;

    private RecoveryJournal(Path dir, Map<String, Entry> entries) {
        this.dir = dir;
        this.entries = entries;
    }

    /** Reads the journal of a data directory (empty when there is none). Does not write. */
    public static RecoveryJournal open(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("recovery");
        Map<String, Entry> entries = new LinkedHashMap<>();
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(dir.resolve(FILE)));
            for (JsonNode n : root.path("findings")) {
                Entry e = fromJson(n);
                entries.put(e.finding().key(), e);
            }
        } catch (NoSuchFileException e) {
            // nothing found yet
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
        return new RecoveryJournal(dir, entries);
    }

    /** An empty journal for a data directory whose journal cannot be read; the next save replaces the file. */
    public static RecoveryJournal fresh(Path dataDir) { return new RecoveryJournal(dataDir.resolve("recovery"), new LinkedHashMap<>()); }

    /**
     * Merges what a recovery found and saves the journal when that changed it (a start with nothing new writes
     * nothing: it must work on a full disk, and a healthy directory gets no journal file). The merge holds even when
     * saving fails: {@link #unacknowledged()} is right for this run either way.
     */
    public synchronized void record(List<RecoveryFinding> found, Instant now) throws IOException {
        Map<String, Entry> before = new LinkedHashMap<>(entries);
        Set<String> seen = new LinkedHashSet<>();
        for (RecoveryFinding f : found) {
            seen.add(f.key());
            Entry old = entries.get(f.key());
            entries.put(f.key(), old == null ? new Entry(f, now, null) : new Entry(f, old.firstFound(), old.acknowledgedAt()));
        }
        entries.values().removeIf(e -> e.acknowledged() && !seen.contains(e.finding().key()));
        if (!entries.equals(before)) save();
    }

    public synchronized List<Entry> entries() { return List.copyOf(entries.values()); }

    public synchronized List<Entry> unacknowledged() {
        return entries.values().stream().filter(e -> !e.acknowledged()).toList();
    }

    /**
     * Asks the service of {@code dataDir} to acknowledge these findings (what the CLI does).
     *
     * @return the request file
     */
    public static Path requestAcknowledgement(Path dataDir, Collection<String> keys) throws IOException {
        Path dir = dataDir.resolve("recovery");
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "ack-", ".tmp");
        Files.writeString(tmp, String.join("\n", keys) + "\n", StandardCharsets.UTF_8);
        Path req = dir.resolve(tmp.getFileName().toString().replace(".tmp", REQUEST));
        Files.move(tmp, req, StandardCopyOption.ATOMIC_MOVE);
        return req;
    }

    /**
     * Applies and removes every acknowledgement request.
     *
     * @return how many findings became acknowledged
     */
    public synchronized int applyRequests(Instant now) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        List<Path> requests = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "ack-*" + REQUEST)) {
            ds.forEach(requests::add);
        }
        int n = 0;
        for (Path p : requests) {
            for (String key : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                Entry e = entries.get(key.strip());
                if (e != null && !e.acknowledged()) {
                    entries.put(e.finding().key(), new Entry(e.finding(), e.firstFound(), now));
                    n++;
                }
            }
        }
        if (n > 0) save();
        for (Path p : requests) Files.deleteIfExists(p);
        return n;
    }

    private void save() throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("findings");
        for (Entry e : entries.values()) arr.add(toJson(e));
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A finding as JSON, in the shape /handlerz, /healthz and the journal use. */
    public static ObjectNode toJson(RecoveryFinding f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", f.key());
        o.put("kind", f.kind().code());
        o.put("segment", f.segment());
        o.put("handler", f.handler());
        o.put("offset", f.offset());
        o.put("bytes", f.bytes());
        o.put("skipped_records", f.skippedRecords());
        o.put("quarantine_file", f.quarantineFile());
        o.put("message", f.message());
        return o;
    }

    public static ObjectNode toJson(Entry e) {
        ObjectNode o = toJson(e.finding());
        o.put("first_found", e.firstFound().toString());
        o.put("acknowledged_at", e.acknowledgedAt() == null ? null : e.acknowledgedAt().toString());
        return o;
    }

    private static Entry fromJson(JsonNode n) {
        RecoveryFinding f = new RecoveryFinding(RecoveryFinding.Kind.valueOf(n.path("kind").asText().toUpperCase()),
                text(n, "segment"), text(n, "handler"), n.path("offset").asLong(), n.path("bytes").asLong(),
                n.path("skipped_records").asLong(-1), text(n, "quarantine_file"), n.path("message").asText());
        String ack = text(n, "acknowledged_at");
        return new Entry(f, Instant.parse(n.path("first_found").asText()), ack == null ? null : Instant.parse(ack));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
