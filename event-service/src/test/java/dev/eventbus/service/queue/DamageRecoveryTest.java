package dev.eventbus.service.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.service.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damage to the files of a stopped queue, as an operator would meet it (a flipped byte, a bad length, a zeroed page, a
 * lost file): after the restart every intact event is still delivered, only the damaged records are missing, and the
 * damage is reported and copied to quarantine.
 */
class DamageRecoveryTest {
    private static final long SEGMENT = 32 * 1024;
    private static final int EVENTS = 450;
    private static final int DELIVERED_BEFORE = 20;

    @TempDir Path dir;
    private final List<DurableQueue> open = new ArrayList<>();

    /** An appended event and where it went. */
    record Rec(String id, long seq, long pos, long end) {}

    @AfterEach
    void closeAll() throws IOException {
        for (DurableQueue q : open) q.close();
    }

    private DurableQueue open() throws IOException {
        DurableQueue q = DurableQueue.open(new DurableQueue.Options(dir, Set.of("a"), SyncPolicy.always(), SEGMENT), null);
        open.add(q);
        return q;
    }

    /** EVENTS events of ~300 bytes, the first DELIVERED_BEFORE delivered; then the queue is closed. */
    private List<Rec> fill() throws Exception {
        DurableQueue q = open();
        List<Rec> recs = new ArrayList<>();
        long prevEnd = q.durableEnd();
        for (int i = 0; i < EVENTS; i++) {
            String id = "id-" + i;
            byte[] payload = ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(250) + "\"}").getBytes(StandardCharsets.UTF_8);
            DurableQueue.Appended a = q.append(id, "t", List.of("a"), payload, System.currentTimeMillis());
            assertThat(q.awaitDurable(a.end(), 5, TimeUnit.SECONDS)).isTrue();
            long recLen = RecordFormat.RECORD_HEADER + 1 + 8 + 1 + 2 + 2 + id.length() + 2 + 1 + 4 + payload.length;
            recs.add(new Rec(id, a.seq(), a.end() - recLen, a.end()));
            prevEnd = a.end();
        }
        assertThat(prevEnd).isGreaterThan(4 * SEGMENT);     // four full segments, the active one half full
        assertThat(drain(q, DELIVERED_BEFORE)).hasSize(DELIVERED_BEFORE);
        q.close();
        open.remove(q);
        return recs;
    }

    private static List<String> drain(DurableQueue q, int max) throws Exception {
        List<String> ids = new ArrayList<>();
        QueuedEvent e;
        while (ids.size() < max && (e = q.next("a", 0, TimeUnit.MILLISECONDS)) != null) {
            ids.add(e.eventId());
            q.ack("a", e);
        }
        return ids;
    }

    private TreeMap<Long, Path> segments() throws IOException { return DurableQueue.segmentFiles(dir.resolve("log")); }

    /** The events still owed after the restart: all undelivered ones except those {@code lost} says were hit. */
    private static List<String> expected(List<Rec> recs, Predicate<Rec> lost) {
        return recs.stream().skip(DELIVERED_BEFORE).filter(lost.negate()).map(Rec::id).toList();
    }

    private static void write(Path file, long at, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), at);
        }
    }

    private static byte[] read(Path file, long at, int len) throws IOException {
        byte[] b = new byte[len];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(b), at);
        }
        return b;
    }

    /** A record well inside the segment that holds it ({@code active}: the last segment, else the second). */
    private Rec victim(List<Rec> recs, boolean active) throws IOException {
        var segs = segments();
        long base = active ? segs.lastKey() : segs.higherKey(segs.firstKey());
        long end = active ? Long.MAX_VALUE : segs.higherKey(base);
        List<Rec> in = recs.stream().filter(r -> r.pos() >= base && r.end() <= end && r.seq() > DELIVERED_BEFORE).toList();
        assertThat(in.size()).isGreaterThan(10);
        return in.get(in.size() / 2);
    }

    private Path segmentOf(long pos) throws IOException { return segments().floorEntry(pos).getValue(); }

    /** A filled, closed queue and the record to damage: its segment file and its offset there. */
    record Target(List<Rec> recs, Rec v, Path seg, long base, long local) {}

    private Target target(boolean active) throws Exception {
        List<Rec> recs = fill();
        Rec v = victim(recs, active);
        long base = segments().floorKey(v.pos());
        return new Target(recs, v, segmentOf(v.pos()), base, v.pos() - base);
    }

    // ------------------------------------------------------------------------------------------------ one record

    @ParameterizedTest(name = "in the active segment: {0}")
    @ValueSource(booleans = {true, false})
    void aFlippedByteCostsOnlyThatRecord(boolean active) throws Exception {
        Target t = target(active);
        List<Rec> recs = t.recs();
        Rec v = t.v();
        Path seg = t.seg();
        long local = t.local();
        byte[] original = read(seg, local, (int) (v.end() - v.pos()));
        long at = local + RecordFormat.RECORD_HEADER + 40;             // inside the payload
        write(seg, at, new byte[]{(byte) (read(seg, at, 1)[0] ^ 0x01)});

        DurableQueue r = open();
        RecoveryReport rep = r.recoveryReport();
        assertThat(rep.truncatedBytes()).isZero();
        assertThat(rep.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(RecoveryFinding.Kind.DAMAGED_RECORDS);
            assertThat(f.segment()).isEqualTo(seg.getFileName().toString());
            assertThat(f.offset()).isEqualTo(local);
            assertThat(f.bytes()).isEqualTo(v.end() - v.pos());
            assertThat(f.skippedRecords()).isEqualTo(1);
            assertThat(f.message()).contains(seg.getFileName().toString()).contains("quarantine");
        });
        assertThat(drain(r, EVENTS)).containsExactlyElementsOf(expected(recs, x -> x.equals(v)));
        // the quarantine copy holds the damaged record as it was on disk, and a report says what it is
        Path q = dir.resolve("quarantine").resolve(rep.findings().get(0).quarantineFile());
        byte[] copy = Files.readAllBytes(q);
        assertThat(copy).hasSameSizeAs(original).isNotEqualTo(original);
        copy[(int) (at - local)] ^= 0x01;
        assertThat(copy).isEqualTo(original);
        String report = Files.readString(Path.of(q.toString().replace(".bin", ".json")));
        assertThat(report).contains("\"kind\" : \"damaged_records\"").contains("\"offset\" : " + local)
                .contains("\"skipped_records\" : 1");
        assertThat(rep.quarantinedBytes()).isEqualTo(v.end() - v.pos());
        assertThat(rep.skippedRecords()).isEqualTo(1);
    }

    @ParameterizedTest(name = "in the active segment: {0}")
    @ValueSource(booleans = {true, false})
    void aBadLengthFieldCostsOnlyThatRecord(boolean active) throws Exception {
        Target t = target(active);
        write(t.seg(), t.local() + 4, ByteBuffer.allocate(4).putInt(7_000_000).array());   // claims 7 MB: past the file's end

        DurableQueue r = open();
        assertThat(r.recoveryReport().truncatedBytes()).isZero();
        assertThat(r.recoveryReport().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(RecoveryFinding.Kind.DAMAGED_RECORDS);
            assertThat(f.offset()).isEqualTo(t.local());
            assertThat(f.skippedRecords()).isEqualTo(1);
        });
        assertThat(drain(r, EVENTS)).containsExactlyElementsOf(expected(t.recs(), x -> x.equals(t.v())));
    }

    // ------------------------------------------------------------------------------------------------ a page

    @ParameterizedTest(name = "in the active segment: {0}")
    @ValueSource(booleans = {true, false})
    void aZeroedPageCostsOnlyTheRecordsOnIt(boolean active) throws Exception {
        Target t = target(active);
        List<Rec> recs = t.recs();
        Path seg = t.seg();
        long base = t.base();
        long page = t.local() / 4096 * 4096;
        if (page < RecordFormat.SEGMENT_HEADER) page += 4096;
        long pageFrom = base + page;
        long pageTo = pageFrom + 4096;
        assertThat(pageTo - base).isLessThan(Files.size(seg));
        write(seg, page, new byte[4096]);
        Predicate<Rec> hit = x -> x.pos() < pageTo && x.end() > pageFrom;
        long hitCount = recs.stream().filter(hit).count();
        assertThat(hitCount).isGreaterThan(10);

        DurableQueue r = open();
        assertThat(r.recoveryReport().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(RecoveryFinding.Kind.DAMAGED_RECORDS);
            assertThat(f.skippedRecords()).isEqualTo(hitCount);
            assertThat(f.bytes()).isGreaterThanOrEqualTo(4096);
        });
        assertThat(drain(r, EVENTS)).containsExactlyElementsOf(expected(recs, hit));
    }

    @Test
    void anOlderSegmentWithDamageIsDeletedOnlyOnceItsIntactRecordsAreDelivered() throws Exception {
        List<Rec> recs = fill();
        Rec v = victim(recs, false);
        Path seg = segmentOf(v.pos());
        write(seg, v.pos() - segments().floorKey(v.pos()) + 30, new byte[]{0x55, 0x55});

        DurableQueue r = open();
        // deliver up to the damage: the segment still holds intact records after it
        List<String> got = new ArrayList<>();
        QueuedEvent e;
        while ((e = r.next("a", 0, TimeUnit.MILLISECONDS)) != null && e.seq() < v.seq()) {
            got.add(e.eventId());
            r.ack("a", e);
        }
        assertThat(e.seq()).isEqualTo(v.seq() + 1);
        assertThat(seg).exists();
        got.addAll(drain(r, EVENTS));
        assertThat(got).containsExactlyElementsOf(expected(recs, x -> x.equals(v)));
        assertThat(seg).doesNotExist();
        assertThat(dir.resolve("quarantine").resolve(r.recoveryReport().findings().get(0).quarantineFile())).exists();
    }

    // ------------------------------------------------------------------------------------------------ lost files

    @Test
    void aDeletedSegmentIsReportedWithTheRecordsItHeld() throws Exception {
        List<Rec> recs = fill();
        var segs = segments();
        long base = segs.higherKey(segs.higherKey(segs.firstKey()));           // the third: nothing in it delivered
        long end = segs.higherKey(base);
        Files.delete(segs.get(base));
        Predicate<Rec> gone = x -> x.pos() >= base && x.pos() < end;
        long goneCount = recs.stream().filter(gone).count();

        DurableQueue r = open();
        assertThat(r.recoveryReport().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(RecoveryFinding.Kind.MISSING_SEGMENT);
            assertThat(f.offset()).isEqualTo(base);
            assertThat(f.bytes()).isEqualTo(end - base);
            assertThat(f.skippedRecords()).isEqualTo(goneCount);
            assertThat(f.message()).contains(String.format("%020d.log", base));
        });
        assertThat(drain(r, EVENTS)).containsExactlyElementsOf(expected(recs, gone));
        r.close();
        open.remove(r);
        assertThat(open().recoveryReport().findings()).isEmpty();                // reported once, not at every start
    }

    @Test
    void segmentsDeletedAfterDeliveryAreNotMistakenForMissingOnes() throws Exception {
        DurableQueue q = DurableQueue.open(new DurableQueue.Options(dir, Set.of("slow", "fast"), SyncPolicy.always(), 1024), null);
        open.add(q);
        q.append("pinned", "t", List.of("slow"), "{}".getBytes(StandardCharsets.UTF_8), 0);
        for (int i = 0; i < 100; i++) {
            DurableQueue.Appended a = q.append("f" + i, "t", List.of("fast"), "{}".getBytes(StandardCharsets.UTF_8), 0);
            assertThat(q.awaitDurable(a.end(), 5, TimeUnit.SECONDS)).isTrue();
            QueuedEvent e = q.next("fast", 5, TimeUnit.SECONDS);
            q.ack("fast", e);
        }
        assertThat(segments().size()).isLessThan(5);       // a hole between the pinned first segment and the active one
        q.close();
        open.remove(q);
        DurableQueue r = DurableQueue.open(new DurableQueue.Options(dir, Set.of("slow", "fast"), SyncPolicy.always(), 1024), null);
        open.add(r);
        assertThat(r.recoveryReport().findings()).isEmpty();
        assertThat(r.next("slow", 0, TimeUnit.MILLISECONDS).eventId()).isEqualTo("pinned");
    }

    @Test
    void aLostFirstSegmentIsReported() throws Exception {
        List<Rec> recs = fill();
        var segs = segments();
        long end = segs.higherKey(segs.firstKey());
        Files.delete(segs.firstEntry().getValue());          // it still held undelivered events
        DurableQueue r = open();
        assertThat(r.recoveryReport().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(RecoveryFinding.Kind.MISSING_SEGMENT);
            assertThat(f.offset()).isZero();
            assertThat(f.skippedRecords()).isEqualTo(recs.stream().filter(x -> x.pos() < end).count());
        });
        assertThat(drain(r, EVENTS)).containsExactlyElementsOf(expected(recs, x -> x.pos() < end));
    }

    @Test
    void anAckOffsetPastTheDataIsReportedAndNoPositionOrSeqIsUsedTwice() throws Exception {
        List<Rec> recs = fill();
        DurableQueue q = open();
        assertThat(drain(q, EVENTS)).hasSize(EVENTS - DELIVERED_BEFORE);
        q.close();
        open.remove(q);
        var segs = segments();
        long lastBase = segs.lastKey();
        Files.delete(segs.lastEntry().getValue());           // the active segment, delivered and acknowledged, is lost
        long ack = recs.get(EVENTS - 1).end();

        DurableQueue r = open();
        assertThat(r.recoveryReport().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(RecoveryFinding.Kind.ACK_PAST_END);
            assertThat(f.handler()).isEqualTo("a");
            assertThat(f.offset()).isEqualTo(ack);
            assertThat(f.bytes()).isEqualTo(ack - lastBase);
        });
        DurableQueue.Appended a = r.append("new", "t", List.of("a"), "{}".getBytes(StandardCharsets.UTF_8), 0);
        assertThat(a.seq()).isGreaterThan(recs.get(EVENTS - 1).seq());
        assertThat(a.end()).isGreaterThan(ack);
        assertThat(r.awaitDurable(a.end(), 5, TimeUnit.SECONDS)).isTrue();
        assertThat(drain(r, 10)).containsExactly("new");    // delivered, not hidden behind the old ack offset
        r.close();
        open.remove(r);
        assertThat(open().recoveryReport().findings()).isEmpty();
    }

    @Test
    void aTornTailIsStillCutWithoutAFinding() throws Exception {
        List<Rec> recs = fill();
        Path last = segments().lastEntry().getValue();
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);                         // the last record's write was interrupted
        }
        DurableQueue r = open();
        assertThat(r.recoveryReport().findings()).isEmpty();
        assertThat(r.recoveryReport().truncatedBytes()).isEqualTo(recs.get(EVENTS - 1).end() - recs.get(EVENTS - 1).pos() - 100);
        assertThat(drain(r, EVENTS)).containsExactlyElementsOf(expected(recs, x -> x.seq() == EVENTS));
        assertThat(Arrays.asList(dir.resolve("quarantine").toFile().list() == null ? new String[0]
                : dir.resolve("quarantine").toFile().list())).isEmpty();
    }
}
