package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.service.delivery.ReplayRun;
import dev.eventbus.service.queue.HistoryQuery;
import dev.eventbus.service.queue.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 5: a replay is refused, with the reason, when its range is older than the history kept or a replay to
 * the handler is still running; the periodic sweep of the running service drops delivered history once retention
 * allows it. Real files, a real HTTP target.
 */
class ReplaysTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir Path dir;
    private TestTarget target;
    private final List<EventService> services = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        target = TestTarget.create();
    }

    @AfterEach
    void tearDown() {
        services.forEach(EventService::close);
        target.close();
    }

    private EventService start(Retention retention) throws Exception {
        EventService s = EventService.start(ServiceOptions.builder()
                .dataDir(dir)
                .handlerTarget("feed", target.url("/feed"))
                .handlerTarget("cfgingest", target.url("/cfgingest"))
                .handlerTarget("event_feed", target.url("/event_feed"))
                .retryBaseDelay(Duration.ofMillis(10))
                .retryMaxDelay(Duration.ofMillis(100))
                .segmentBytes(64 * 1024)
                .retention(retention)
                .shutdownGrace(Duration.ofSeconds(2))
                .build());
        services.add(s);
        return s;
    }

    private static void publish(EventService svc, int n) {
        for (int i = 1; i <= n; i++) {
            AcceptResult r = svc.accept(Events.event("e-" + i, "scanJobCreated"));
            assertThat(r.seq()).as(r.toString()).isEqualTo(i);
        }
    }

    @Test
    void aRangeOlderThanTheHistoryKeptIsRefusedWithTheOldestSeqThere() throws Exception {
        EventService svc = start(Retention.NONE);
        publish(svc, 300);                               // about 180 KB: a few 64 KiB segments
        await().atMost(WAIT).until(() -> target.deliveredIds("/event_feed").size() == 300 && svc.pending() == 0);
        long first = svc.history().firstSeq();
        assertThat(first).as("delivered segments are gone without retention").isGreaterThan(1);
        assertThatThrownBy(() -> svc.replays().start("event_feed", HistoryQuery.all().fromSeq(1)))
                .isInstanceOfSatisfying(Replays.Refused.class, e -> assertThat(e.code()).isEqualTo("older_than_retention"))
                .hasMessageContaining("the range starts before the oldest event still kept (seq " + first)
                .hasMessageContaining("start at --from " + first);
        ReplayRun.Status ok = svc.replays().start("event_feed", HistoryQuery.all().fromSeq(first));
        assertThat(ok.range().fromSeq()).isEqualTo(first);
        await().atMost(WAIT).until(() -> svc.replays().get(ok.id()).orElseThrow().state() == ReplayRun.State.DONE);
    }

    @Test
    void oneReplayPerHandlerAtATime() throws Exception {
        EventService svc = start(new Retention(Duration.ofHours(1), 0));
        publish(svc, 5);
        await().atMost(WAIT).until(() -> target.deliveredIds("/event_feed").size() == 5);
        target.stop();                                  // the replay now waits for the target, retrying
        ReplayRun.Status running = svc.replays().start("event_feed", HistoryQuery.all().fromSeq(1));
        assertThatThrownBy(() -> svc.replays().start("event_feed", HistoryQuery.all().fromSeq(2)))
                .isInstanceOfSatisfying(Replays.Refused.class, e -> assertThat(e.code()).isEqualTo("replay_running"))
                .hasMessageContaining("replay " + running.id() + " to handler event_feed is still running");
        await().atMost(WAIT).until(() -> svc.replays().get(running.id()).orElseThrow().error() != null);
        target.start();
        await().atMost(WAIT).until(() -> svc.replays().get(running.id()).orElseThrow().state() == ReplayRun.State.DONE);
        assertThat(svc.replays().get(running.id()).orElseThrow().delivered()).isEqualTo(5);
        assertThat(target.deliveredIds("/event_feed")).containsExactly("e-1", "e-2", "e-3", "e-4", "e-5",
                "e-1", "e-2", "e-3", "e-4", "e-5");
    }

    @Test
    void theRunningServiceDropsHistoryOnceItExceedsTheSizeCap() throws Exception {
        EventService svc = start(new Retention(Duration.ZERO, 128 * 1024));
        publish(svc, 500);                               // about 300 KB of log
        await().atMost(WAIT).until(() -> svc.pending() == 0);
        // the sweep runs every 10 s without an age limit; it has to bring the log down to the cap by itself
        await().atMost(Duration.ofSeconds(30)).until(() -> svc.queueDiskBytes() <= 128 * 1024 + 64 * 1024);
        assertThat(svc.history().firstSeq()).isGreaterThan(1);
        assertThat(svc.history().read(HistoryQuery.all().fromSeq(1), 10).gap()).isTrue();
        assertThat(svc.history().read(HistoryQuery.all().fromSeq(500), 10).events())
                .singleElement().satisfies(e -> assertThat(e.eventId()).isEqualTo("e-500"));
    }
}
