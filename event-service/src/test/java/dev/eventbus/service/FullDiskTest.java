package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 2: a full disk heals by itself. On a real 4 MiB tmpfs (root only: see {@link Tmpfs}) the queue's own
 * log fills the disk; intake is refused with storage_full, takes events again once they are delivered, without a
 * restart; acknowledgements keep working meanwhile, so a restart delivers nothing twice. And queue.max_bytes refuses
 * before the disk is full.
 */
class FullDiskTest {
    @TempDir Path tmp;
    private TestTarget target;
    private Tmpfs disk;
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final List<EventService> services = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        target = TestTarget.create();
        target.respond(r -> down.contains(r.path()) ? 503 : 200);
    }

    @AfterEach
    void tearDown() throws Exception {
        services.forEach(EventService::close);
        target.close();
        if (disk != null) disk.close();
    }

    private ServiceOptions.Builder options(Path dataDir) {
        return ServiceOptions.builder()
                .dataDir(dataDir)
                .handlerTarget("feed", target.url("/feed"))
                .handlerTarget("cfgingest", target.url("/cfgingest"))
                .handlerTarget("event_feed", target.url("/event_feed"))
                .route("compliance_ingest", "feed", "cfgingest")
                .retryBaseDelay(Duration.ofMillis(10))
                .retryMaxDelay(Duration.ofMillis(50))
                .shutdownGrace(Duration.ofSeconds(2));
    }

    private EventService start(ServiceOptions.Builder b) throws Exception {
        EventService s = EventService.start(b.build());
        services.add(s);
        return s;
    }

    private static byte[] event(int i) { return Events.sized("fd-" + i, "compliance_ingest", 1024); }

    /** Accepts 1 KB events until one is refused; returns how many were accepted and checks the refusal. */
    private static int fill(EventService svc, int from) {
        for (int i = from; ; i++) {
            AcceptResult r = svc.accept(event(i));
            if (r.isRefused()) {
                assertThat(r.reason()).as(r.toString()).isEqualTo(RefusalReason.STORAGE_FULL);
                assertThat(r.reason().retryable()).isTrue();
                return i - from;
            }
            assertThat(r.status()).isEqualTo(AcceptResult.Status.ACCEPTED);
        }
    }

    @Test
    void aLogThatFilledTheDiskIsFreedOnceDeliveredAndIntakeResumesWithoutARestart() throws Exception {
        disk = Tmpfs.mount(tmp.resolve("disk"), "4m");
        down.add("/feed");
        down.add("/cfgingest");
        EventService svc = start(options(disk.dir()));        // 64 MiB segments: the active segment fills the disk
        int n = fill(svc, 0);
        assertThat(n).isGreaterThan(1000);
        assertThat(svc.accept(event(n)).reason()).isEqualTo(RefusalReason.STORAGE_FULL);   // tried again: still full
        assertThat(svc.health().status().storageError()).contains("storage full");

        down.clear();
        await().atMost(Duration.ofSeconds(60)).until(() -> svc.pending() == 0);
        AcceptResult again = svc.accept(event(n));
        assertThat(again.status()).as(again.toString()).isEqualTo(AcceptResult.Status.ACCEPTED);
        assertThat(svc.health().status().storageError()).isNull();
        assertThat(svc.queueDiskBytes()).isLessThan(64 * 1024);
        await().until(() -> target.deliveredIds("/feed").contains("fd-" + n));
        assertThat(Set.copyOf(target.deliveredIds("/feed"))).hasSize(n + 1);
        svc.close();
        EventService restarted = start(options(disk.dir()));    // the freed segment was noted as deleted, not lost
        assertThat(restarted.recovery().findings()).isEmpty();
    }

    @Test
    void acknowledgementsWorkOnAFullDiskSoARestartDeliversNothingTwice() throws Exception {
        disk = Tmpfs.mount(tmp.resolve("disk"), "4m");
        down.add("/feed");
        down.add("/cfgingest");
        EventService svc = start(options(disk.dir()));
        int n = fill(svc, 0);
        down.remove("/feed");                                // feed delivers (and acks) while cfgingest keeps the disk full
        await().atMost(Duration.ofSeconds(60)).until(() -> svc.pending("feed") == 0);
        assertThat(svc.queueAckWriteFailures()).isZero();
        assertThat(svc.accept(event(n)).reason()).isEqualTo(RefusalReason.STORAGE_FULL);
        svc.close();
        int feedBefore = target.deliveredIds("/feed").size();
        assertThat(Set.copyOf(target.deliveredIds("/feed"))).hasSize(n);

        EventService again = start(options(disk.dir()));    // restart on the still full disk
        assertThat(again.pending("feed")).isZero();          // main queued all n again (the issue: 7,710 duplicates)
        assertThat(again.recovery().findings()).isEmpty();
        assertThat(again.pending("cfgingest")).isEqualTo(n);
        down.clear();
        await().atMost(Duration.ofSeconds(60)).until(() -> again.pending() == 0);
        assertThat(target.deliveredIds("/feed")).hasSize(feedBefore);                  // nothing delivered twice
        assertThat(Set.copyOf(target.deliveredIds("/cfgingest"))).hasSize(n);
        assertThat(again.accept(event(n)).status()).isEqualTo(AcceptResult.Status.ACCEPTED);
    }

    @Test
    void maxBytesRefusesWithStorageFullBeforeTheDiskIsFullAndSegmentBytesIsHonoured() throws Exception {
        Path data = tmp.resolve("data");
        down.add("/feed");
        down.add("/cfgingest");
        EventService svc = start(options(data).segmentBytes(64 * 1024).maxBytes(256 * 1024));
        int n = fill(svc, 0);
        assertThat(n).isBetween(200, 256);
        assertThat(svc.queueDiskBytes()).isLessThanOrEqualTo(256 * 1024);
        try (Stream<Path> segments = Files.list(data.resolve("log"))) {
            List<Path> logs = segments.filter(p -> p.toString().endsWith(".log")).toList();
            assertThat(logs).hasSizeGreaterThanOrEqualTo(4);
            for (Path p : logs) assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(64 * 1024);
        }

        down.clear();
        await().atMost(Duration.ofSeconds(60)).until(() -> svc.pending() == 0);
        assertThat(svc.accept(event(n)).status()).isEqualTo(AcceptResult.Status.ACCEPTED);
        assertThat(svc.stats().refused()).containsKey(RefusalReason.STORAGE_FULL);
    }
}
