package dev.eventbus.service.queue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code service verify} reports: the data directory read the way recovery reads it, without changing a byte and
 * without taking the directory's lock, so it is safe next to a running service (whose last segment may then end in
 * the middle of a write: that shows as a torn tail, not as damage).
 */
public final class LogVerifier {
    /** One segment file as found. */
    public record SegmentInfo(String name, long base, long bytes, long records, long firstSeq, long lastSeq) {}

    /** One handler's ack offset and the intact records routed to it at or beyond it. */
    public record HandlerInfo(String name, long ackOffset, long pending) {}

    /**
     * @param tornBytes bytes at the end of the last segment that the next start would cut (an interrupted write)
     * @param findings  damage and missing data, as the next start would report them
     * @param journal   findings of earlier starts, with their acknowledgement
     */
    public record Verification(Path dataDir, List<SegmentInfo> segments, long records, long firstSeq, long lastSeq,
                               List<HandlerInfo> handlers, long tornBytes, List<RecoveryFinding> findings,
                               List<RecoveryJournal.Entry> journal) {
        public boolean damaged() { return !findings.isEmpty(); }
    }

    private LogVerifier() {}

    /**
     * @throws IllegalStateException for a data directory of the first log format
     */
    public static Verification verify(Path dataDir) throws IOException {
        Map<String, Long> acks = new LinkedHashMap<>();
        Path ackDir = dataDir.resolve("acks");
        if (Files.isDirectory(ackDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(ackDir, "*.ack")) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    acks.put(name.substring(0, name.length() - 4), AckFile.peek(p));
                }
            }
        }
        Path logDir = dataDir.resolve("log");
        TreeMap<Long, long[]> perSegment = new TreeMap<>();  // base -> {records, firstSeq, lastSeq}
        if (Files.isDirectory(logDir)) {
            for (long base : DurableQueue.segmentFiles(logDir).keySet()) perSegment.put(base, new long[] {0, -1, -1});
        }
        Map<String, Long> pending = new TreeMap<>();
        acks.keySet().forEach(h -> pending.put(h, 0L));
        LogRecovery.Result r = LogRecovery.run(dataDir, acks, false, (pos, h, body) -> {
            long[] s = perSegment.floorEntry(pos).getValue();
            s[0]++;
            if (s[1] < 0) s[1] = h.seq();
            s[2] = h.seq();
            for (String handler : body.handlers()) {
                if (pos >= acks.getOrDefault(handler, 0L)) pending.merge(handler, 1L, Long::sum);
            }
        });
        List<SegmentInfo> segments = new ArrayList<>();
        long first = -1;
        long last = -1;
        for (LogRecovery.Kept k : r.segments()) {
            k.ch().close();
            long[] s = perSegment.get(k.base());
            segments.add(new SegmentInfo(k.path().getFileName().toString(), k.base(), Files.size(k.path()), s[0], s[1], s[2]));
            if (first < 0 && s[1] >= 0) first = s[1];
            if (s[2] >= 0) last = s[2];
        }
        List<HandlerInfo> handlers = new ArrayList<>();
        pending.forEach((h, n) -> handlers.add(new HandlerInfo(h, acks.getOrDefault(h, 0L), n)));
        return new Verification(dataDir, segments, r.records(), first, last, handlers, r.tornBytes(), r.findings(),
                RecoveryJournal.open(dataDir).entries());
    }
}
