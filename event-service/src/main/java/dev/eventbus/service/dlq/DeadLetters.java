package dev.eventbus.service.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventbus.service.queue.QueuedEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter store: {@code DATA_DIR/dlq/ID.dead}, one file per event, written atomically (temp file, fsync,
 * rename). A file is one line of JSON metadata, a newline, then the event JSON exactly as accepted, so {@code cat}
 * shows both.
 *
 * <p>Replay puts the event back on the queue for the same handler (dedup does not apply; the event keeps its
 * event_id). In the running service {@link #replay(String)} does that at once. Opened without a replayer (the CLI, on
 * a directory the service may be using), replay renames the file to {@code ID.replay}: a request the running service
 * picks up within its poll interval, or at its next start. Thread-safe within one JVM.
 */
public final class DeadLetters {
    public enum ReplayOutcome {
        /** Back on the queue (durably). */
        REPLAYED,
        /** Marked for the running (or next) service to replay. */
        REQUESTED,
        NOT_FOUND
    }

    /** Puts a dead letter back on the queue; throws if that cannot be confirmed (the file is then kept). */
    @FunctionalInterface
    public interface Replayer {
        void replay(DeadLetter letter, byte[] payload) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}-\\d{20}");
    private static final String DEAD = ".dead";
    private static final String REPLAY = ".replay";

    private final Path dir;
    private final Replayer replayer;

    /** Offline access (list, request replays). */
    public DeadLetters(Path dataDir) { this(dataDir, null); }

    public DeadLetters(Path dataDir, Replayer replayer) {
        this.dir = directory(dataDir);
        this.replayer = replayer;
    }

    public static Path directory(Path dataDir) { return dataDir.resolve("dlq"); }

    public Path directory() { return dir; }

    /** Stores an event durably; returns its entry. Re-adding the same log record overwrites its entry. */
    public synchronized DeadLetter add(String handler, QueuedEvent event, String target, int attempts, String lastError)
            throws IOException {
        Files.createDirectories(dir);
        String id = String.format("%s-%020d", handler, event.position());
        DeadLetter d = new DeadLetter(id, handler, event.eventId(), event.type(), target, attempts, lastError,
                Instant.ofEpochMilli(event.acceptedAtMillis()), Instant.now(), event.position(),
                event.payload().length, DeadLetter.State.DEAD);
        ObjectNode meta = JSON.createObjectNode()
                .put("id", d.id()).put("handler", handler).put("event_id", d.eventId()).put("type", d.type())
                .put("target", target).put("attempts", attempts).put("last_error", lastError)
                .put("accepted_at", d.acceptedAt().toString()).put("dead_lettered_at", d.deadLetteredAt().toString())
                .put("log_position", d.logPosition()).put("payload_bytes", d.payloadBytes());
        byte[] head = JSON.writeValueAsBytes(meta);
        Path tmp = dir.resolve(id + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer[] parts = {ByteBuffer.wrap(head), ByteBuffer.wrap(new byte[]{'\n'}), ByteBuffer.wrap(event.payload())};
            long total = head.length + 1L + event.payload().length;
            long written = 0;
            while (written < total) written += ch.write(parts);
            ch.force(true);
        }
        Files.deleteIfExists(dir.resolve(id + REPLAY));
        move(tmp, dir.resolve(id + DEAD));
        forceDirectory(dir);
        return d;
    }

    /** Every entry, oldest first. */
    public List<DeadLetter> list() throws IOException {
        List<DeadLetter> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.endsWith(DEAD) && !n.endsWith(REPLAY)) continue;
                try {
                    out.add(readMeta(p));
                } catch (NoSuchFileException e) {
                    // replayed meanwhile
                } catch (IOException e) {
                    log.warn("unreadable dead letter {}: {}", p, e.toString());
                }
            }
        }
        out.sort(Comparator.comparing(DeadLetter::deadLetteredAt).thenComparing(DeadLetter::id));
        return out;
    }

    public Optional<DeadLetter> get(String id) throws IOException {
        Path p = find(id);
        return p == null ? Optional.empty() : Optional.of(readMeta(p));
    }

    /** The stored event JSON. */
    public byte[] payload(String id) throws IOException {
        Path p = find(id);
        if (p == null) throw new NoSuchFileException("no dead letter " + id);
        byte[] all = Files.readAllBytes(p);
        int nl = indexOf(all, (byte) '\n');
        return Arrays.copyOfRange(all, nl + 1, all.length);
    }

    public int size() throws IOException { return list().size(); }

    /**
     * Replays one entry: put back on the queue now (with a replayer), or marked as a request (without).
     *
     * @throws IllegalStateException when the handler is no longer configured or the payload was lost
     */
    public synchronized ReplayOutcome replay(String id) throws IOException {
        Path p = find(id);
        if (p == null) return ReplayOutcome.NOT_FOUND;
        if (replayer == null) {
            if (p.getFileName().toString().endsWith(DEAD)) {
                try {
                    move(p, dir.resolve(id + REPLAY));
                } catch (NoSuchFileException e) {
                    return ReplayOutcome.NOT_FOUND;
                }
                forceDirectory(dir);
            }
            return ReplayOutcome.REQUESTED;
        }
        return replayFile(p) ? ReplayOutcome.REPLAYED : ReplayOutcome.NOT_FOUND;
    }

    /** Replays every entry requested by {@code ID.replay} files; the service calls this periodically. */
    public synchronized int replayRequested() throws IOException {
        if (replayer == null || !Files.isDirectory(dir)) return 0;
        List<Path> requests = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + REPLAY)) {
            ds.forEach(requests::add);
        }
        requests.sort(Comparator.naturalOrder());
        int n = 0;
        for (Path p : requests) {
            try {
                if (replayFile(p)) n++;
            } catch (IllegalStateException e) {
                log.warn("cannot replay {}: {}", p.getFileName(), e.getMessage());
            }
        }
        return n;
    }

    private boolean replayFile(Path p) throws IOException {
        DeadLetter d;
        byte[] all;
        try {
            all = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return false;
        }
        int nl = indexOf(all, (byte) '\n');
        d = parseMeta(Arrays.copyOfRange(all, 0, nl), state(p));
        byte[] payload = Arrays.copyOfRange(all, nl + 1, all.length);
        if (payload.length == 0) throw new IllegalStateException("dead letter " + d.id() + " has no payload to replay (" + d.lastError() + ")");
        replayer.replay(d, payload);
        Files.deleteIfExists(p);
        log.info("replayed dead letter {} ({} {}) to handler {}", d.id(), d.type(), d.eventId(), d.handler());
        return true;
    }

    private Path find(String id) {
        if (id == null || !ID.matcher(id).matches()) return null;
        Path dead = dir.resolve(id + DEAD);
        if (Files.exists(dead)) return dead;
        Path replay = dir.resolve(id + REPLAY);
        return Files.exists(replay) ? replay : null;
    }

    private static DeadLetter readMeta(Path p) throws IOException {
        byte[] head;
        try (var in = Files.newInputStream(p)) {
            var buf = new java.io.ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') buf.write(c);
            head = buf.toByteArray();
        }
        return parseMeta(head, state(p));
    }

    private static DeadLetter.State state(Path p) {
        return p.getFileName().toString().endsWith(REPLAY) ? DeadLetter.State.REPLAY_REQUESTED : DeadLetter.State.DEAD;
    }

    private static DeadLetter parseMeta(byte[] head, DeadLetter.State state) throws IOException {
        JsonNode m = JSON.readTree(head);
        if (m == null || !m.isObject()) throw new IOException("dead letter metadata is not a JSON object");
        return new DeadLetter(m.path("id").asText(), m.path("handler").asText(), m.path("event_id").asText(),
                m.path("type").asText(), m.path("target").asText(), m.path("attempts").asInt(),
                m.path("last_error").asText(), Instant.parse(m.path("accepted_at").asText()),
                Instant.parse(m.path("dead_lettered_at").asText()), m.path("log_position").asLong(),
                m.path("payload_bytes").asInt(), state);
    }

    private static int indexOf(byte[] a, byte b) throws IOException {
        for (int i = 0; i < a.length; i++) if (a[i] == b) return i;
        throw new IOException("dead letter file without a metadata line");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported everywhere; the files themselves are forced
        }
    }
}
