package dev.eventbus.service.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.service.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableQueueTest {
    @TempDir Path dir;
    private final List<DurableQueue> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (DurableQueue q : open) q.close();
    }

    private DurableQueue open(long segmentBytes, String... handlers) throws IOException {
        DurableQueue q = DurableQueue.open(new DurableQueue.Options(dir, Set.of(handlers), SyncPolicy.always(), segmentBytes), null);
        open.add(q);
        return q;
    }

    private void reopenPrep(DurableQueue q) throws IOException {
        q.close();
        open.remove(q);
    }

    private static byte[] payload(int i) { return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8); }

    private static long append(DurableQueue q, int i, String... handlers) throws Exception {
        long end = q.append("id-" + i, "event_feed", List.of(handlers), payload(i), System.currentTimeMillis()).end();
        assertThat(q.awaitDurable(end, 5, TimeUnit.SECONDS)).isTrue();
        return end;
    }

    private static List<String> drain(DurableQueue q, String handler, int max) throws Exception {
        List<String> ids = new ArrayList<>();
        QueuedEvent e;
        while (ids.size() < max && (e = q.next(handler, 0, TimeUnit.MILLISECONDS)) != null) {
            ids.add(e.eventId());
            q.ack(handler, e);
        }
        return ids;
    }

    @Test
    void fifoPerHandlerAndPendingCountsEventsNotDeliveries() throws Exception {
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a", "b");
        append(q, 1, "a");
        append(q, 2, "a", "b");
        append(q, 3, "b");
        assertThat(q.pending()).isEqualTo(3);
        assertThat(q.pending("a")).isEqualTo(2);
        QueuedEvent first = q.next("a", 0, TimeUnit.MILLISECONDS);
        assertThat(q.next("a", 0, TimeUnit.MILLISECONDS).position()).isEqualTo(first.position());   // same head until acked
        assertThat(first.eventId()).isEqualTo("id-1");
        assertThat(first.payload()).isEqualTo(payload(1));
        assertThat(first.handlers()).containsExactly("a");
        assertThat(drain(q, "a", 10)).containsExactly("id-1", "id-2");
        assertThat(q.pending()).isEqualTo(2);                 // id-2 still owed to b
        assertThat(drain(q, "b", 10)).containsExactly("id-2", "id-3");
        assertThat(q.pending()).isZero();
        assertThat(q.next("a", 10, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void ackOutOfOrderIsRejected() throws Exception {
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a", "b");
        append(q, 1, "a", "b");
        append(q, 2, "b");
        QueuedEvent e1 = q.next("b", 0, TimeUnit.MILLISECONDS);
        q.ack("b", e1);
        QueuedEvent e2 = q.next("b", 0, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> q.ack("a", e2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> q.append("x", "t", List.of("nope"), payload(0), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not configured");
    }

    @Test
    void unacknowledgedRecordsSurviveReopenAndAcknowledgedOnesDoNot() throws Exception {
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a", "b");
        for (int i = 0; i < 10; i++) append(q, i, i % 2 == 0 ? "a" : "b");
        assertThat(drain(q, "a", 3)).containsExactly("id-0", "id-2", "id-4");
        reopenPrep(q);

        List<String> seen = new ArrayList<>();
        DurableQueue r = DurableQueue.open(new DurableQueue.Options(dir, Set.of("a", "b"), SyncPolicy.always(),
                DurableQueue.DEFAULT_SEGMENT_BYTES), (pos, end, seq, id, type, at) -> seen.add(seq + ":" + id));
        open.add(r);
        assertThat(seen).hasSize(10).startsWith("1:id-0").endsWith("10:id-9");
        assertThat(r.recoveryReport().pendingEvents()).isEqualTo(7);
        assertThat(r.recoveryReport().truncatedBytes()).isZero();
        assertThat(drain(r, "a", 10)).containsExactly("id-6", "id-8");
        assertThat(drain(r, "b", 10)).containsExactly("id-1", "id-3", "id-5", "id-7", "id-9");
        append(r, 10, "a");                                   // positions keep growing after recovery
        assertThat(drain(r, "a", 10)).containsExactly("id-10");
    }

    @Test
    void segmentsRollAndAreDeletedOnceFullyAcknowledged() throws Exception {
        DurableQueue q = open(1024, "a");
        for (int i = 0; i < 100; i++) append(q, i, "a");
        assertThat(q.segmentCount()).isGreaterThanOrEqualTo(4);
        assertThat(drain(q, "a", 50)).hasSize(50);
        int mid = q.segmentCount();
        assertThat(drain(q, "a", 100)).hasSize(50);
        assertThat(q.segmentCount()).isLessThan(mid).isEqualTo(1);   // only the active segment remains
        reopenPrep(q);
        DurableQueue r = open(1024, "a");
        assertThat(r.pending()).isZero();
        append(r, 100, "a");
        assertThat(drain(r, "a", 10)).containsExactly("id-100");
    }

    @Test
    void aStalledHandlerPinsOnlyTheSegmentsOfItsOwnRecords() throws Exception {
        DurableQueue q = open(1024, "slow", "fast");
        append(q, 0, "slow");                               // never acknowledged
        for (int i = 1; i <= 300; i++) {
            append(q, i, "fast");
            assertThat(drain(q, "fast", 1)).containsExactly("id-" + i);
        }
        assertThat(q.segmentCount()).isLessThanOrEqualTo(3);  // the first (pinned), maybe one just rolled, the active
        reopenPrep(q);
        DurableQueue r = open(1024, "slow", "fast");
        assertThat(r.pending()).isEqualTo(1);
        assertThat(drain(r, "fast", 10)).isEmpty();
        assertThat(drain(r, "slow", 10)).containsExactly("id-0");
        assertThat(r.segmentCount()).isEqualTo(1);
    }

    @Test
    void tornTailIsDroppedOnRecovery() throws Exception {
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        for (int i = 0; i < 5; i++) append(q, i, "a");
        reopenPrep(q);
        Path seg = onlySegment();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 7);                          // a crash in the middle of the last record
        }
        DurableQueue r = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        assertThat(r.recoveryReport().truncatedBytes()).isPositive();
        assertThat(r.recoveryReport().records()).isEqualTo(4);
        append(r, 5, "a");
        assertThat(drain(r, "a", 10)).containsExactly("id-0", "id-1", "id-2", "id-3", "id-5");
        reopenPrep(r);
        DurableQueue again = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        assertThat(again.recoveryReport().truncatedBytes()).isZero();
        assertThat(again.pending()).isZero();
    }

    @Test
    void aCorruptLastRecordIsQuarantinedAndKeptInPlaceNotCut() throws Exception {
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        for (int i = 0; i < 3; i++) append(q, i, "a");
        reopenPrep(q);
        Path seg = onlySegment();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, size - 2);
            b.put(0, (byte) (b.get(0) ^ 0x40));             // flip a bit inside the last record
            ch.write(b.flip(), size - 2);
            ch.write(ByteBuffer.wrap(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), size);   // zeros after it
        }
        DurableQueue r = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        assertThat(r.recoveryReport().records()).isEqualTo(2);
        assertThat(r.recoveryReport().truncatedBytes()).isZero();          // not an interrupted write: not cut
        assertThat(r.recoveryReport().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(RecoveryFinding.Kind.CORRUPT_TAIL);
            assertThat(f.skippedRecords()).isEqualTo(1);                   // its header still names seq 3
            assertThat(f.quarantineFile()).isNotNull();
        });
        assertThat(Files.size(seg)).isEqualTo(size + 10);
        assertThat(drain(r, "a", 10)).containsExactly("id-0", "id-1");
        append(r, 3, "a");                                   // appended after the damage, with the next seq
        reopenPrep(r);
        DurableQueue again = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        assertThat(again.recoveryReport().findings()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo(r.recoveryReport().findings().get(0).key());   // the same damage, found again
            assertThat(f.kind()).isEqualTo(RecoveryFinding.Kind.DAMAGED_RECORDS);
            assertThat(f.skippedRecords()).isEqualTo(1);
        });
        assertThat(drain(again, "a", 10)).containsExactly("id-3");
    }

    @Test
    void corruptionInsideAnOlderSegmentIsSkippedAndReported() throws Exception {
        DurableQueue q = open(1024, "a");
        for (int i = 0; i < 60; i++) append(q, i, "a");
        reopenPrep(q);
        List<Path> segs;
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            segs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        assertThat(segs.size()).isGreaterThan(2);
        Path second = segs.get(1);
        try (FileChannel ch = FileChannel.open(second, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff}), 32 + 6);   // the first record's length
        }
        DurableQueue r = open(1024, "a");
        assertThat(r.recoveryReport().problems()).singleElement().asString().contains(second.getFileName().toString());
        List<String> got = drain(r, "a", 100);
        assertThat(got).startsWith("id-0").endsWith("id-59").hasSize(59);     // only the damaged record is missing
        assertThat(r.recoveryReport().truncatedBytes()).isZero();
    }

    @Test
    void seqsCountFromOneAndContinueAcrossRestartsAndSegments() throws Exception {
        DurableQueue q = open(1024, "a");
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            seqs.add(q.append("id-" + i, "t", List.of("a"), payload(i), 0).seq());
        }
        assertThat(seqs).startsWith(1L, 2L, 3L).endsWith(40L);
        assertThat(q.segmentCount()).isGreaterThan(2);
        append(q, 40, "a");                                 // waits until everything is on disk
        assertThat(drain(q, "a", 41)).hasSize(41);          // every segment but the active one is deleted
        reopenPrep(q);
        DurableQueue r = open(1024, "a");
        assertThat(r.append("id-41", "t", List.of("a"), payload(41), 0).seq()).isEqualTo(42);
        QueuedEvent e = r.next("a", 5, TimeUnit.SECONDS);
        assertThat(e.seq()).isEqualTo(42);
        r.ack("a", e);
        reopenPrep(r);
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {          // even an empty active segment keeps the count
            assertThat(s.filter(p -> p.toString().endsWith(".log")).count()).isEqualTo(1);
        }
        DurableQueue again = open(1024, "a");
        assertThat(again.append("id-42", "t", List.of("a"), payload(42), 0).seq()).isEqualTo(43);
    }

    @Test
    void segmentFilesStartWithTheirHeader() throws Exception {
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        append(q, 0, "a");
        reopenPrep(q);
        byte[] head = Files.readAllBytes(onlySegment());
        ByteBuffer b = ByteBuffer.wrap(head);
        assertThat(new String(head, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("EBSEGv02");
        assertThat(b.getLong(8)).isZero();                  // base position
        assertThat(b.getLong(16)).isEqualTo(1);             // first seq
        assertThat(b.getInt(32)).isEqualTo(0xEB5EC0DE);     // the first record's magic
        assertThat(b.getLong(32 + 8)).isEqualTo(1);         // its seq
    }

    @Test
    void aDataDirectoryOfTheFirstFormatIsRefusedWithAClearMessage() throws Exception {
        Files.createDirectories(dir.resolve("log"));
        byte[] body = {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 'a', 0, 1, 'x', 0, 1, 't', 0, 0, 0, 2, '{', '}'};
        ByteBuffer v1 = ByteBuffer.allocate(8 + body.length).putInt(body.length).putInt(RecordFormat.crc32c(body, 0, body.length)).put(body);
        Files.write(dir.resolve("log/00000000000000000000.log"), v1.array());
        assertThatThrownBy(() -> open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("format v1")
                .hasMessageContaining(dir.toString());
        assertThat(Files.readAllBytes(dir.resolve("log/00000000000000000000.log"))).isEqualTo(v1.array());   // untouched
    }

    @Test
    void secondOpenOfTheSameDirectoryIsRefused() throws Exception {
        open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        assertThatThrownBy(() -> open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
    }

    @Test
    void recordsForAHandlerNoLongerConfiguredAreDetached() throws Exception {
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a", "old");
        append(q, 1, "old");
        append(q, 2, "a");
        reopenPrep(q);
        DurableQueue r = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        assertThat(r.detachedHandlers()).containsExactly("old");
        assertThat(drain(r, "old", 10)).containsExactly("id-1");
        assertThat(r.detachedHandlers()).isEmpty();
        assertThatThrownBy(() -> r.append("x", "t", List.of("old"), payload(0), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ackFileSurvivesATornSlot() throws Exception {
        Path p = dir.resolve("x.ack");
        try (AckFile a = AckFile.open(p)) {
            a.write(100);
            a.write(200);
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3}), 0);      // generation 2 lives in slot 0: tear it
        }
        try (AckFile a = AckFile.open(p)) {
            assertThat(a.offset()).isEqualTo(100);
        }
    }

    @Test
    void intervalPolicyFlushesInTheBackground() throws Exception {
        DurableQueue q = DurableQueue.open(new DurableQueue.Options(dir, Set.of("a"),
                SyncPolicy.interval(java.time.Duration.ofMillis(20)), 1 << 20), null);
        open.add(q);
        long end = q.append("i", "t", List.of("a"), payload(1), 0).end();
        assertThat(q.awaitDurable(end, 0, TimeUnit.MILLISECONDS)).isTrue();   // interval: accept does not wait
        QueuedEvent e = q.next("a", 5, TimeUnit.SECONDS);                       // visible once forced
        assertThat(e).isNotNull();
        assertThat(q.durableEnd()).isGreaterThanOrEqualTo(end);
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            return s.filter(p -> p.toString().endsWith(".log")).reduce((a, b) -> b).orElseThrow();
        }
    }
    @Test
    void anInterruptedAppenderDoesNotStopTheQueue() throws Exception {
        // jnats interrupts a dispatcher thread when its connection closes; a FileChannel closes itself when the
        // thread using it is interrupted, which used to refuse every later append and fsync until a restart
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        append(q, 1, "a");
        boolean[] stillInterrupted = new boolean[1];
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                q.append("id-2", "event_feed", List.of("a"), payload(2), System.currentTimeMillis());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            stillInterrupted[0] = Thread.currentThread().isInterrupted();
        });
        t.start();
        t.join();
        assertThat(stillInterrupted[0]).as("the caller's interrupt is kept").isTrue();
        append(q, 3, "a");
        assertThat(drain(q, "a", 10)).containsExactly("id-1", "id-2", "id-3");
        reopenPrep(q);
        DurableQueue again = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        assertThat(again.recoveryReport().findings()).isEmpty();
        append(again, 4, "a");
        assertThat(drain(again, "a", 10)).containsExactly("id-4");
    }

    @Test
    void anEmptyLastSegmentLeftByACrashGetsItsHeaderAndLosesNothingLater() throws Exception {
        DurableQueue q = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        long end = append(q, 1, "a");
        reopenPrep(q);
        // a crash inside a roll, after the new file was created and before its header reached the disk
        Files.createFile(dir.resolve("log").resolve(String.format("%020d.log", end)));
        DurableQueue q2 = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        append(q2, 2, "a");
        reopenPrep(q2);
        DurableQueue q3 = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        assertThat(q3.recoveryReport().findings()).isEmpty();
        assertThat(drain(q3, "a", 10)).containsExactly("id-1", "id-2");
    }
    @Test
    void aFailedFsyncIsStickyUntilARestart() throws Exception {
        // after a failed fsync Linux may mark the unwritten pages clean: a later fsync that succeeds proves nothing
        // about them, so acknowledging the events behind it (as the queue used to) could lose them at the next crash
        SpaceBudget disk = new SpaceBudget(dir, Long.MAX_VALUE);
        DurableQueue q = DurableQueue.open(new DurableQueue.Options(dir, Set.of("a"), SyncPolicy.always(),
                DurableQueue.DEFAULT_SEGMENT_BYTES, 0, disk), null);
        open.add(q);
        append(q, 1, "a");
        disk.failForce(true);
        long end = q.append("id-2", "event_feed", List.of("a"), payload(2), System.currentTimeMillis()).end();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> q.syncFailure() != null);
        disk.failForce(false);
        assertThatThrownBy(() -> q.append("id-3", "event_feed", List.of("a"), payload(3), System.currentTimeMillis()))
                .isInstanceOf(IOException.class).hasMessageContaining("until event-service is restarted");
        assertThat(q.awaitDurable(end, 200, TimeUnit.MILLISECONDS)).as("id-2 is never confirmed").isFalse();
        assertThat(drain(q, "a", 10)).containsExactly("id-1");
        reopenPrep(q);
        DurableQueue again = open(DurableQueue.DEFAULT_SEGMENT_BYTES, "a");
        append(again, 4, "a");
        // id-1 was delivered; id-2 was written but never confirmed: recovery finds it on disk and it is delivered
        assertThat(drain(again, "a", 10)).containsExactly("id-2", "id-4");
    }
}
