package dev.eventbus.service.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * {@code DIR/quarantine}: copies of damaged log bytes, for an operator (or a support case) to look at. The damaged
 * range of segment S at offset O goes to {@code S-O.bin} (S without ".log"), with {@code S-O.json} beside it saying
 * what it is. The bytes also stay where they were in the segment (segments are append-only), so the next start finds
 * the same damage under the same name; a copy that is already there is kept as it is.
 */
final class Quarantine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    Quarantine(Path dataDir) { this.dir = dataDir.resolve("quarantine"); }

    static String name(String segment, long offset) {
        String base = segment.endsWith(".log") ? segment.substring(0, segment.length() - 4) : segment;
        return base + "-" + offset + ".bin";
    }

    /** The quarantine file of a finding, if it exists (for read-only callers). */
    String existing(String segment, long offset) {
        String n = name(segment, offset);
        return Files.exists(dir.resolve(n)) ? n : null;
    }

    /**
     * Copies {@code [offset, offset + length)} of a segment and writes the report beside it.
     *
     * @return the file name under {@code DIR/quarantine}
     */
    String keep(FileChannel segment, String segmentName, long offset, long length, RecoveryFinding.Kind kind,
                long seqBefore, long skippedRecords, String message) throws IOException {
        Files.createDirectories(dir);
        String name = name(segmentName, offset);
        Path bin = dir.resolve(name);
        if (Files.exists(bin) && Files.size(bin) == length) return name;
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long done = 0; done < length; ) {
                long n = segment.transferTo(offset + done, length - done, out);
                if (n <= 0) throw new IOException("segment " + segmentName + " ended while quarantining " + name);
                done += n;
            }
            out.force(false);
        }
        Files.move(tmp, bin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        ObjectNode r = JSON.createObjectNode();
        r.put("kind", kind.code());
        r.put("segment", segmentName);
        r.put("offset", offset);
        r.put("bytes", length);
        r.put("seq_before", seqBefore);
        r.put("skipped_records", skippedRecords);
        r.put("found_at", Instant.now().toString());
        r.put("message", message);
        r.put("note", "a copy: the bytes also stay in the segment until it is deleted; segments are append-only");
        Path json = dir.resolve(name.substring(0, name.length() - 4) + ".json");
        Files.write(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
        DurableQueue.forceDirectory(dir);
        return name;
    }
}
