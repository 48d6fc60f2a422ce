package dev.eventbus.service.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.service.SyncPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 5: delivered events stay readable for the retention, by seq and by time, with stable seqs; retention
 * drops them by age and by size (never an undelivered one). Real files, small segments so that retention has several
 * to choose from. Ages come from the accept times the test writes, never from the clock running.
 */
class HistoryTest {
    private static final long HOUR = TimeUnit.HOURS.toMillis(1);
    @TempDir Path dir;
    private final List<DurableQueue> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (DurableQueue q : open) q.close();
    }

    private DurableQueue open(Retention retention, String... handlers) throws IOException {
        DurableQueue q = DurableQueue.open(new DurableQueue.Options(dir, Set.of(handlers), SyncPolicy.always(), 1024, retention), null);
        open.add(q);
        return q;
    }

    private void close(DurableQueue q) throws IOException {
        q.close();
        open.remove(q);
    }

    private static long append(DurableQueue q, String id, String type, long acceptedAt, String... handlers) throws Exception {
        byte[] payload = ("{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
        DurableQueue.Appended a = q.append(id, type, List.of(handlers), payload, acceptedAt);
        assertThat(q.awaitDurable(a.end(), 5, TimeUnit.SECONDS)).isTrue();
        return a.seq();
    }

    private static void deliverAll(DurableQueue q, String handler) throws Exception {
        QueuedEvent e;
        while ((e = q.next(handler, 0, TimeUnit.MILLISECONDS)) != null) q.ack(handler, e);
    }

    private static List<Long> seqs(History.Page p) { return p.events().stream().map(HistoryEvent::seq).toList(); }

    private static List<String> ids(History.Page p) { return p.events().stream().map(HistoryEvent::eventId).toList(); }

    private static List<String> readAll(History h, HistoryQuery q) throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            History.Page p = h.read(q, 7);
            out.addAll(ids(p));
            if (p.complete()) return out;
            q = q.fromSeq(p.nextSeq());
        }
    }

    @Test
    void deliveredEventsStayReadableUntilTheyAgeOutThenTheyAreDeleted() throws Exception {
        DurableQueue q = open(new Retention(Duration.ofHours(1), 0), "feed");
        long now = System.currentTimeMillis();
        for (int i = 0; i < 40; i++) append(q, "old-" + i, "scanJobCreated", now - 3 * HOUR, "feed");
        for (int i = 0; i < 40; i++) append(q, "new-" + i, "scanJobCreated", now, "feed");
        int segments = q.segmentCount();
        deliverAll(q, "feed");
        q.trimHistory();
        // before the sweep, and after it for what is younger than the retention: delivered, and still there
        List<String> kept = readAll(q.history(), HistoryQuery.all());
        assertThat(kept).as("every recent event is kept").containsSubsequence(
                java.util.stream.IntStream.range(0, 40).mapToObj(i -> "new-" + i).toList());
        assertThat(kept).as("the events older than the retention went with their segments").doesNotContain("old-0", "old-20");
        assertThat(q.segmentCount()).isLessThan(segments);
        assertThat(q.history().firstSeq()).isGreaterThan(1);
        History.Page gone = q.history().read(HistoryQuery.all().fromSeq(1), 10);
        assertThat(gone.gap()).as("asking for what was dropped says so").isTrue();
        assertThat(gone.events().get(0).seq()).isEqualTo(q.history().firstSeq());
    }

    @Test
    void withoutRetentionASegmentGoesOnceDeliveredAsBefore() throws Exception {
        DurableQueue q = open(Retention.NONE, "feed");
        for (int i = 0; i < 40; i++) append(q, "e-" + i, "scanJobCreated", System.currentTimeMillis(), "feed");
        assertThat(readAll(q.history(), HistoryQuery.all())).hasSize(40);
        deliverAll(q, "feed");
        assertThat(q.segmentCount()).isEqualTo(1);
        assertThat(readAll(q.history(), HistoryQuery.all())).hasSizeLessThan(40);
    }

    @Test
    void theSizeCapDropsTheOldestDeliveredSegmentsButNeverAnUndeliveredEvent() throws Exception {
        DurableQueue q = open(new Retention(Duration.ZERO, 3 * 1024), "feed", "cfgingest");
        long now = System.currentTimeMillis();
        append(q, "stuck", "nodeTerminated", now, "cfgingest");      // cfgingest never delivers it
        for (int i = 0; i < 120; i++) append(q, "e-" + i, "scanJobCreated", now, "feed");
        deliverAll(q, "feed");
        long before = q.diskBytes();
        q.trimHistory();
        assertThat(before).isGreaterThan(3 * 1024);
        // at most the cap plus the segment the undelivered event pins and the active one
        assertThat(q.diskBytes()).isLessThanOrEqualTo(3 * 1024 + 2 * 1024);
        List<String> kept = readAll(q.history(), HistoryQuery.all());
        assertThat(kept).startsWith("stuck").contains("e-119").doesNotContain("e-10");
        assertThat(q.next("cfgingest", 0, TimeUnit.MILLISECONDS).eventId()).isEqualTo("stuck");
    }

    @Test
    void historyGivesWayToNewEventsUnderQueueMaxBytes() throws Exception {
        DurableQueue q = DurableQueue.open(new DurableQueue.Options(dir, Set.of("feed", "cfgingest"), SyncPolicy.always(), 1024,
                4096, QueueFiles.DEFAULT, new Retention(Duration.ofHours(24), 0)), null);
        open.add(q);
        long now = System.currentTimeMillis();
        append(q, "stuck", "nodeTerminated", now, "cfgingest");          // never delivered
        for (int i = 0; i < 200; i++) {
            append(q, "e-" + i, "scanJobCreated", now, "feed");      // about 20 KB in all: history must make room
            deliverAll(q, "feed");
        }
        assertThat(q.diskBytes()).isLessThanOrEqualTo(4096);
        List<String> kept = readAll(q.history(), HistoryQuery.all());
        // the first segment stays with the undelivered event in it; those after it made room
        assertThat(kept).startsWith("stuck", "e-0").endsWith("e-199").doesNotContain("e-50", "e-100");
        assertThat(q.next("cfgingest", 0, TimeUnit.MILLISECONDS).eventId()).isEqualTo("stuck");
    }

    @Test
    void pagesBySeqAndByTimeAndTypeAreContiguousAndInOrder() throws Exception {
        DurableQueue q = open(new Retention(Duration.ofHours(24), 0), "feed");
        long t0 = System.currentTimeMillis() - 2 * HOUR;
        for (int i = 1; i <= 150; i++) {
            append(q, "e-" + i, i % 3 == 0 ? "profileCreated" : "scanJobCreated", t0 + i * 1000L, "feed");
        }
        deliverAll(q, "feed");
        History h = q.history();
        History.Page p1 = h.read(HistoryQuery.all(), 100);
        assertThat(seqs(p1)).hasSize(100).startsWith(1L, 2L, 3L).endsWith(100L);
        assertThat(p1.complete()).isFalse();
        assertThat(p1.nextSeq()).isEqualTo(101);
        History.Page p2 = h.read(HistoryQuery.all().fromSeq(p1.nextSeq()), 100);
        assertThat(seqs(p2)).hasSize(50).startsWith(101L).endsWith(150L);
        assertThat(p2.complete()).isTrue();
        assertThat(p2.nextSeq()).isEqualTo(151);

        History.Page mid = h.read(HistoryQuery.all().fromSeq(77), 3);
        assertThat(seqs(mid)).containsExactly(77L, 78L, 79L);
        assertThat(ids(mid)).containsExactly("e-77", "e-78", "e-79");

        History.Page since = h.read(HistoryQuery.all().since(Instant.ofEpochMilli(t0 + 120_000)), 5);
        assertThat(ids(since)).containsExactly("e-120", "e-121", "e-122", "e-123", "e-124");

        List<String> typed = readAll(h, HistoryQuery.all().type("profileCreated").untilSeq(30));
        assertThat(typed).containsExactly("e-3", "e-6", "e-9", "e-12", "e-15", "e-18", "e-21", "e-24", "e-27", "e-30");
        assertThat(h.read(HistoryQuery.all().fromSeq(151), 10).events()).isEmpty();
    }

    @Test
    void seqsAreStableAcrossARestartAndContinueAfterIt() throws Exception {
        DurableQueue q = open(new Retention(Duration.ofHours(24), 0), "feed");
        for (int i = 1; i <= 30; i++) assertThat(append(q, "e-" + i, "scanJobCreated", System.currentTimeMillis(), "feed")).isEqualTo(i);
        deliverAll(q, "feed");
        List<Long> before = seqs(q.history().read(HistoryQuery.all(), 100));
        close(q);
        DurableQueue again = open(new Retention(Duration.ofHours(24), 0), "feed");
        History.Page p = again.history().read(HistoryQuery.all(), 100);
        assertThat(seqs(p)).isEqualTo(before);
        assertThat(ids(p).get(9)).isEqualTo("e-10");
        assertThat(append(again, "e-31", "scanJobCreated", System.currentTimeMillis(), "feed")).isEqualTo(31);
        assertThat(seqs(again.history().read(HistoryQuery.all().fromSeq(30), 10))).containsExactly(30L, 31L);
    }

    @Test
    void readsRunBesideAppendsAndDeliveriesAndSeeEveryDurableEventInOrder() throws Exception {
        DurableQueue q = open(new Retention(Duration.ofHours(24), 0), "feed");
        AtomicBoolean appending = new AtomicBoolean(true);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 1; i <= 500; i++) append(q, "e-" + i, "scanJobCreated", System.currentTimeMillis(), "feed");
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                appending.set(false);
            }
        });
        Thread consumer = new Thread(() -> {
            try {
                while (appending.get() || q.pending("feed") > 0) deliverAll(q, "feed");
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        writer.start();
        consumer.start();
        List<Long> seen = new ArrayList<>();
        long next = 1;
        while (appending.get() || next <= 500) {
            History.Page p = q.history().read(HistoryQuery.all().fromSeq(next), 64);
            seen.addAll(seqs(p));
            next = p.nextSeq();
            if (!appending.get() && p.complete() && next > 500) break;
        }
        writer.join();
        consumer.join();
        assertThat(errors).isEmpty();
        assertThat(seen).hasSize(500);
        for (int i = 0; i < 500; i++) assertThat(seen.get(i)).isEqualTo(i + 1);
    }
    @Test
    void aRangeEndingAtATimeMovesTheCursorPastItsEndSoAReplayFinishes() throws Exception {
        // a replay reads pages until its cursor passes untilSeq (the newest seq when it started); with an end time
        // and later events, the cursor used to stop at the first event past the time, and the replay never ended
        DurableQueue q = open(new Retention(Duration.ofHours(1), 0), "feed");
        long t0 = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 4; i++) append(q, "e" + i, "scanJobCreated", t0 + i * 1000L, "feed");
        HistoryQuery range = HistoryQuery.all().fromSeq(1).untilSeq(4).until(java.time.Instant.ofEpochMilli(t0 + 1500));
        History.Page p = q.history().read(range, 100);
        assertThat(ids(p)).containsExactly("e0", "e1");
        assertThat(p.complete()).isTrue();
        assertThat(p.nextSeq()).isGreaterThan(4);
    }
}
