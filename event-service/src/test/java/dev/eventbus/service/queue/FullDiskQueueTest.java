package dev.eventbus.service.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.service.SyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue on a disk that fills up, simulated with {@link SpaceBudget}: the space comes back by itself as deliveries
 * free segments, acknowledgements need no new space, and {@code maxBytes} refuses before the disk is full.
 */
class FullDiskQueueTest {
    private static final long MiB = 1024 * 1024;
    @TempDir Path root;
    private Path dir;
    private final List<DurableQueue> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (DurableQueue q : open) q.close();
    }

    private DurableQueue open(QueueFiles files, long segmentBytes, long maxBytes, String... handlers) throws IOException {
        dir = root.resolve("data");
        DurableQueue q = DurableQueue.open(new DurableQueue.Options(dir, Set.of(handlers), SyncPolicy.always(),
                segmentBytes, maxBytes, files), null);
        open.add(q);
        return q;
    }

    private void close(DurableQueue q) throws IOException {
        q.close();
        open.remove(q);
    }

    private static long append(DurableQueue q, int i, String... handlers) throws Exception {
        byte[] payload = new byte[500];
        Arrays.fill(payload, (byte) 'x');
        long end = q.append("id-" + i, "event_feed", List.of(handlers), payload, System.currentTimeMillis()).end();
        assertThat(q.awaitDurable(end, 5, TimeUnit.SECONDS)).isTrue();
        return end;
    }

    /** Appends until the queue refuses for room; returns how many it took. */
    private static int fill(DurableQueue q, String... handlers) throws Exception {
        for (int i = 0; i < 100_000; i++) {
            try {
                append(q, i, handlers);
            } catch (StorageFullException full) {
                return i;
            }
        }
        throw new AssertionError("the queue never ran out of room");
    }

    /** Delivers everything the handler has; returns the position of the last record. */
    private static long drain(DurableQueue q, String handler) throws Exception {
        long last = -1;
        QueuedEvent e;
        while ((e = q.next(handler, 0, TimeUnit.MILLISECONDS)) != null) {
            last = e.position();
            q.ack(handler, e);
        }
        return last;
    }

    @Test
    void aLogThatFilledTheDiskIsFreedOnceDeliveredAndAppendsSucceedAgainWithoutARestart() throws Exception {
        SpaceBudget disk = new SpaceBudget(root, 64 * 1024);
        DurableQueue q = open(disk, MiB, 0, "a");             // one segment larger than the disk: the active one fills it
        int n = fill(q, "a");
        assertThat(n).isGreaterThan(50);
        assertThat(q.storageFull()).isTrue();
        assertThatThrownBy(() -> append(q, -1, "a")).isInstanceOf(StorageFullException.class)
                .hasMessageContaining("disk is full");        // tried again, still no room

        long lastPosition = drain(q, "a");
        assertThat(q.pending()).isZero();
        assertThat(q.segmentCount()).isEqualTo(1);
        assertThat(q.diskBytes()).isLessThan(1024);            // the delivered active segment was rolled and deleted
        assertThat(disk.used()).isLessThan(8 * 1024);

        append(q, n, "a");
        assertThat(q.storageFull()).isFalse();
        QueuedEvent next = q.next("a", 0, TimeUnit.MILLISECONDS);
        assertThat(next.eventId()).isEqualTo("id-" + n);
        assertThat(next.position()).isGreaterThan(lastPosition);   // positions are never reused
        q.ack("a", next);

        close(q);                                           // and not after a restart either
        DurableQueue r = open(disk, MiB, 0, "a");
        append(r, n + 1, "a");
        assertThat(r.next("a", 0, TimeUnit.MILLISECONDS).position()).isGreaterThan(next.position());
    }

    @Test
    void acknowledgementsNeedNoNewSpaceSoARestartOnAFullDiskDeliversNothingTwice() throws Exception {
        SpaceBudget disk = new SpaceBudget(root, 64 * 1024);
        DurableQueue q = open(disk, MiB, 0, "a", "b");
        int n = fill(q, "a", "b");                          // b's target is down: its records keep the disk full
        drain(q, "a");
        assertThat(q.ackWriteFailures()).isZero();
        assertThat(disk.used()).isGreaterThan(60 * 1024);    // still full
        close(q);

        DurableQueue r = open(disk, MiB, 0, "a", "b");
        assertThat(r.pending("a")).isZero();                // nothing delivered again to a
        assertThat(r.pending("b")).isEqualTo(n);
        drain(r, "b");
        append(r, n, "a");                                  // and intake takes events again
    }

    @Test
    void aRestartOnAFullDiskFreesTheDeliveredActiveSegmentWhenAnAppendFindsNoRoom() throws Exception {
        SpaceBudget disk = new SpaceBudget(root, 64 * 1024);
        DurableQueue q = open(disk, MiB, 0, "a");
        for (int i = 0; i < 20; i++) append(q, i, "a");
        drain(q, "a");                                       // delivered, but small: the active segment stays
        close(q);
        disk.fillWith(root.resolve("someone-else"));          // another program fills the disk

        DurableQueue r = open(disk, MiB, 0, "a");
        append(r, 20, "a");                                   // frees the delivered segment, then writes
        assertThat(r.next("a", 0, TimeUnit.MILLISECONDS).eventId()).isEqualTo("id-20");
        assertThat(Files.size(root.resolve("someone-else"))).isPositive();
    }

    @Test
    void maxBytesRefusesBeforeTheLimitAndTakesEventsAgainOnceDeliveriesFreeSegments() throws Exception {
        DurableQueue q = open(QueueFiles.DEFAULT, 4096, 16384, "a");
        int n = fill(q, "a");
        assertThat(q.diskBytes()).isLessThanOrEqualTo(16384).isGreaterThan(16384 - 2 * 600);
        assertThatThrownBy(() -> append(q, -1, "a")).isInstanceOf(StorageFullException.class)
                .hasMessageContaining("queue.max_bytes");

        QueuedEvent first = q.next("a", 0, TimeUnit.MILLISECONDS);
        for (int i = 0; i < n / 2; i++) {
            QueuedEvent e = q.next("a", 0, TimeUnit.MILLISECONDS);
            q.ack("a", e);
        }
        assertThat(first.eventId()).isEqualTo("id-0");
        append(q, n, "a");                                   // older segments were delivered and deleted
        assertThat(q.storageFull()).isFalse();
        assertThat(q.diskBytes()).isLessThanOrEqualTo(16384);
    }
}
