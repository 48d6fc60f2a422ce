package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.eventbus.service.dlq.DeadLetter;
import dev.eventbus.service.dlq.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service end to end: real files in a temp dir, real HTTP targets on 127.0.0.1. */
class EventServiceTest {
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

    private ServiceOptions.Builder options() {
        return ServiceOptions.builder()
                .dataDir(dir)
                .handlerTarget("feed", target.url("/feed"))
                .handlerTarget("cfgingest", target.url("/cfgingest"))
                .handlerTarget("event_feed", target.url("/event_feed"))
                .retryBaseDelay(Duration.ofMillis(10))
                .retryMaxDelay(Duration.ofMillis(100))
                .requestTimeout(Duration.ofSeconds(5))
                .replayPollInterval(Duration.ofMillis(50))
                .shutdownGrace(Duration.ofSeconds(2));
    }

    private EventService start(ServiceOptions.Builder b) throws Exception {
        EventService s = EventService.start(b.build());
        services.add(s);
        return s;
    }

    private static void assertAccepted(AcceptResult r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(AcceptResult.Status.ACCEPTED);
    }

    @Test
    void everySeedTypeReachesItsHandler() throws Exception {
        EventService svc = start(options());
        for (String type : EventTypes.ALL) assertAccepted(svc.accept(Events.event("id-" + type, type)));
        await().untilAsserted(() -> {
            assertThat(target.deliveredIds("/feed")).containsExactly("id-compliance_ingest");
            assertThat(target.deliveredIds("/cfgingest")).containsExactly("id-cfgingest", "id-nodeTerminated");
            assertThat(target.deliveredIds("/event_feed")).containsExactly("id-event_feed", "id-scanJobCreated",
                    "id-scanJobUpdated", "id-scanJobDeleted", "id-profileCreated", "id-profileUpdate", "id-profileDeleted");
        });
        TestTarget.Received r = target.delivered("/cfgingest").get(1);
        assertThat(r.type()).isEqualTo("nodeTerminated");
        assertThat(r.body()).isEqualTo(Events.json("id-nodeTerminated", "nodeTerminated"));   // forwarded unchanged
        await().until(() -> svc.pending() == 0);
        ServiceStats st = svc.stats();
        assertThat(st.accepted()).isEqualTo(10);
        assertThat(st.delivered("event_feed")).isEqualTo(7);
    }

    @Test
    void anEventRoutedToTwoHandlersIsHeldUntilBothDelivered() throws Exception {
        target.respond(r -> r.path().equals("/feed") ? 503 : 200);
        EventService svc = start(options().route("nodeTerminated", "cfgingest", "feed").eventLimit(1));
        assertAccepted(svc.accept(Events.event("n1", "nodeTerminated")));
        await().until(() -> target.deliveredIds("/cfgingest").contains("n1"));
        assertThat(svc.pending()).isEqualTo(1);
        assertThat(svc.accept(Events.event("n2", "nodeTerminated")).reason()).isEqualTo(RefusalReason.EVENT_LIMIT);
        target.respond(r -> 200);
        await().until(() -> svc.pending() == 0);
        assertThat(target.deliveredIds("/feed")).containsExactly("n1");
    }

    @Test
    void badEventsAreRefusedWithReasonAndCounted() throws Exception {
        CountingTestMetrics m = new CountingTestMetrics();
        EventService svc = start(options().maxEventBytes(1024).metrics(m));
        Map<RefusalReason, byte[]> bad = Map.of(
                RefusalReason.MALFORMED_JSON, "{nope".getBytes(StandardCharsets.UTF_8),
                RefusalReason.TOO_LARGE, Events.sized("big", "event_feed", 1025),
                RefusalReason.MISSING_EVENT_ID, "{\"type\":\"event_feed\"}".getBytes(StandardCharsets.UTF_8),
                RefusalReason.MISSING_TYPE, "{\"event_id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                RefusalReason.UNKNOWN_TYPE, Events.event("u", "projectRulesUpdate"),
                RefusalReason.INVALID_FIELD, "{\"event_id\":\"x\",\"type\":\"event_feed\",\"tags\":5}".getBytes(StandardCharsets.UTF_8));
        for (var e : bad.entrySet()) {
            AcceptResult r = svc.accept(e.getValue());
            assertThat(r.isRefused()).isTrue();
            assertThat(r.reason()).isEqualTo(e.getKey());
            assertThat(r.message()).isNotBlank();
        }
        assertThat(svc.accept(bad.get(RefusalReason.MALFORMED_JSON)).message()).startsWith("not valid JSON");
        ServiceStats st = svc.stats();
        assertThat(st.refused(RefusalReason.MALFORMED_JSON)).isEqualTo(2);
        for (RefusalReason r : List.of(RefusalReason.TOO_LARGE, RefusalReason.MISSING_EVENT_ID, RefusalReason.MISSING_TYPE,
                RefusalReason.UNKNOWN_TYPE, RefusalReason.INVALID_FIELD)) {
            assertThat(st.refused(r)).as(r.code()).isEqualTo(1);
            assertThat(m.refused.get(r).get()).as(r.code()).isEqualTo(1);
        }
        assertThat(st.accepted()).isZero();
        assertThat(svc.pending()).isZero();
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void aDuplicateEventIdIsAcceptedOnceAndDeliveredOnce() throws Exception {
        EventService svc = start(options());
        assertAccepted(svc.accept(Events.event("dup", "scanJobCreated")));
        AcceptResult again = svc.accept(Events.event("dup", "scanJobCreated"));
        assertThat(again.status()).isEqualTo(AcceptResult.Status.DUPLICATE);
        assertThat(again.isAccepted()).isTrue();
        assertAccepted(svc.accept(Events.event("other", "scanJobCreated")));
        await().until(() -> target.deliveredIds("/event_feed").size() == 2);
        assertThat(target.deliveredIds("/event_feed")).containsExactly("dup", "other");
        assertThat(svc.stats().duplicates()).isEqualTo(1);
    }

    @Test
    void dedupWindowIsRebuiltAfterARestart() throws Exception {
        target.respond(r -> 503);
        EventService svc = start(options());
        assertAccepted(svc.accept(Events.event("once", "scanJobCreated")));
        svc.close();
        target.respond(r -> 200);
        EventService again = start(options());
        assertThat(again.accept(Events.event("once", "scanJobCreated")).isDuplicate()).isTrue();
        await().until(() -> again.pending() == 0);
        assertThat(target.deliveredIds("/event_feed")).containsExactly("once");
    }

    @Test
    void atEventLimitAcceptRefusesAtOnceAndRecoversWhenDeliveriesDrain() throws Exception {
        target.respond(r -> 503);
        EventService svc = start(options().eventLimit(5));
        for (int i = 0; i < 5; i++) assertAccepted(svc.accept(Events.event("e" + i, "scanJobCreated")));
        AcceptResult full = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> svc.accept(Events.event("e5", "scanJobCreated")));
        assertThat(full.reason()).isEqualTo(RefusalReason.EVENT_LIMIT);
        assertThat(full.message()).startsWith("event_limit reached");
        assertThat(full.reason().retryable()).isTrue();
        assertThat(svc.accept(Events.event("e0", "scanJobCreated")).isDuplicate()).isTrue();   // not a new event
        assertThat(svc.stats().refused(RefusalReason.EVENT_LIMIT)).isEqualTo(1);
        target.respond(r -> 200);
        await().until(() -> svc.pending() == 0);
        assertAccepted(svc.accept(Events.event("e5", "scanJobCreated")));
        await().until(() -> target.deliveredIds("/event_feed").size() == 6);
        assertThat(target.deliveredIds("/event_feed")).containsExactly("e0", "e1", "e2", "e3", "e4", "e5");
    }

    @Test
    void listenerLimitRefusesOneMore() throws Exception {
        EventService svc = start(options().listenerLimit(2));
        ListenerLimiter l = svc.listeners();
        try (var a = l.acquire(); var b = l.acquire()) {
            assertThat(l.tryAcquire()).isFalse();
            assertThatThrownBy(l::acquire).hasMessage("listener_limit reached: 2 of 2 listeners in use");
        }
        assertThat(l.tryAcquire()).isTrue();
    }

    @Test
    void aTargetDownThenUpGetsEverythingInOrder() throws Exception {
        target.stop();                                          // connection refused
        EventService svc = start(options().unhealthyAfter(Duration.ofMillis(200)));
        for (int i = 0; i < 50; i++) assertAccepted(svc.accept(Events.event("s" + i, i % 2 == 0 ? "scanJobCreated" : "profileDeleted")));
        for (int i = 0; i < 5; i++) assertAccepted(svc.accept(Events.event("n" + i, "nodeTerminated")));
        await().until(() -> !svc.health().isHealthy());
        HealthState.HandlerStatus hs = svc.health().status().handlers().get("event_feed");
        assertThat(hs.healthy()).isFalse();
        assertThat(hs.lastError()).contains("ConnectException");
        assertThat(svc.stats().retries("event_feed")).isPositive();
        assertThat(svc.pending("event_feed")).isEqualTo(50);

        target.start();
        await().until(() -> svc.pending() == 0);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) expected.add("s" + i);
        assertThat(target.deliveredIds("/event_feed")).containsExactlyElementsOf(expected);
        assertThat(target.deliveredIds("/cfgingest")).containsExactly("n0", "n1", "n2", "n3", "n4");
        await().until(() -> svc.health().isHealthy());
    }

    @Test
    void aPoisonEventIsDeadLetteredThenReplayed() throws Exception {
        AtomicBoolean poisonRefused = new AtomicBoolean(true);
        target.respond(r -> poisonRefused.get() && "poison".equals(r.eventId()) ? 422 : 200);
        EventService svc = start(options().maxAttempts(3));
        for (String id : List.of("p1", "poison", "p2", "p3")) assertAccepted(svc.accept(Events.event(id, "scanJobCreated")));
        await().until(() -> target.deliveredIds("/event_feed").size() == 3);
        assertThat(target.deliveredIds("/event_feed")).containsExactly("p1", "p2", "p3");
        assertThat(target.requests().stream().filter(r -> r.eventId().equals("poison")).map(TestTarget.Received::attempt))
                .containsExactly(1, 2, 3);

        DeadLetters dlq = svc.deadLetters();
        List<DeadLetter> letters = dlq.list();
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo("poison");
            assertThat(d.handler()).isEqualTo("event_feed");
            assertThat(d.type()).isEqualTo("scanJobCreated");
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.lastError()).contains("HTTP 422");
            assertThat(d.target()).isEqualTo(target.url("/event_feed"));
            assertThat(d.state()).isEqualTo(DeadLetter.State.DEAD);
        });
        assertThat(dlq.payload(letters.get(0).id())).isEqualTo(Events.event("poison", "scanJobCreated"));
        assertThat(svc.stats().deadLettered("event_feed")).isEqualTo(1);
        assertThat(svc.health().isHealthy()).isTrue();
        assertThat(svc.pending()).isZero();

        poisonRefused.set(false);
        assertThat(dlq.replay(letters.get(0).id())).isEqualTo(DeadLetters.ReplayOutcome.REPLAYED);
        await().until(() -> target.deliveredIds("/event_feed").size() == 4);
        assertThat(target.deliveredIds("/event_feed")).containsExactly("p1", "p2", "p3", "poison");
        assertThat(dlq.list()).isEmpty();
        assertThat(dlq.replay(letters.get(0).id())).isEqualTo(DeadLetters.ReplayOutcome.NOT_FOUND);
    }

    @Test
    void undeliveredEventsSurviveAGracefulRestart() throws Exception {
        target.respond(r -> 503);
        EventService svc = start(options());
        for (int i = 0; i < 20; i++) assertAccepted(svc.accept(Events.event("r" + i, "event_feed")));
        svc.close();
        assertThat(svc.accept(Events.event("late", "event_feed")).reason()).isEqualTo(RefusalReason.SHUTTING_DOWN);
        target.respond(r -> 200);
        EventService again = start(options());
        assertThat(again.recovery().pendingEvents()).isEqualTo(20);
        await().until(() -> again.pending() == 0);
        assertThat(target.deliveredIds("/event_feed")).hasSize(20).startsWith("r0").endsWith("r19");
    }

    @Test
    void aCorruptTailIsDroppedAndEverythingBeforeItDelivered() throws Exception {
        target.respond(r -> 503);
        EventService svc = start(options());
        for (int i = 0; i < 10; i++) assertAccepted(svc.accept(Events.event("t" + i, "scanJobCreated")));
        svc.close();
        Path seg;
        try (var files = java.nio.file.Files.list(dir.resolve("log"))) {
            seg = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        long size = java.nio.file.Files.size(seg);
        try (var ch = java.nio.channels.FileChannel.open(seg, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);                                    // the last record loses its end
            ch.write(java.nio.ByteBuffer.wrap("garbage".getBytes(StandardCharsets.US_ASCII)), size - 100);
        }
        target.respond(r -> 200);
        EventService again = start(options());
        assertThat(again.recovery().truncatedBytes()).isPositive();
        assertThat(again.recovery().pendingEvents()).isEqualTo(9);
        await().until(() -> again.pending() == 0);
        assertThat(target.deliveredIds("/event_feed")).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8");
        assertAccepted(again.accept(Events.event("t10", "scanJobCreated")));
        await().until(() -> target.deliveredIds("/event_feed").contains("t10"));
    }

    @Test
    void aSecondServiceOnTheSameDataDirIsRefused() throws Exception {
        start(options());
        assertThatThrownBy(() -> EventService.start(options().build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
    }

    @Test
    void eventsOwedToARemovedHandlerAreDeadLettered() throws Exception {
        target.respond(r -> 503);
        EventService svc = start(options());
        assertAccepted(svc.accept(Events.event("c1", "compliance_ingest")));
        svc.close();
        RoutingTable noFeed = RoutingTable.defaults().toBuilder().remove("compliance_ingest").build();
        EventService again = start(options().routingTable(noFeed).removeHandlerTarget("feed"));
        assertThat(again.deadLetters().list()).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo("c1");
            assertThat(d.lastError()).contains("no longer configured");
        });
        assertThat(again.pending()).isZero();
        assertThat(again.accept(Events.event("c2", "compliance_ingest")).reason()).isEqualTo(RefusalReason.UNKNOWN_TYPE);
    }

    /** Issue 10 item 4: {@code event_limit = 0} is documented to refuse every event; it used to take one. */
    @Test
    void eventLimitZeroRefusesEveryEventAsAFullQueueWould() throws Exception {
        EventService svc = start(options().eventLimit(0));
        for (String id : new String[] {"first", "second"}) {
            AcceptResult r = svc.accept(Events.event(id, "scanJobCreated"));
            assertThat(r.reason()).as(r.toString()).isEqualTo(RefusalReason.EVENT_LIMIT);
            assertThat(r.message()).contains("event_limit is 0");
        }
        assertThat(svc.pending()).isZero();
        assertThat(svc.stats().refused(RefusalReason.EVENT_LIMIT)).isEqualTo(2);
    }

    /** Issue 10 item 4: an event that came on events.X but says it is type Y used to be queued as Y silently. */
    @Test
    void anEventWhoseSubjectNamesAnotherTypeIsRefused() throws Exception {
        EventService svc = start(options());
        AcceptResult r = svc.accept(Events.event("mismatch", "profileDeleted"), "scanJobCreated");
        assertThat(r.reason()).as(r.toString()).isEqualTo(RefusalReason.TYPE_MISMATCH);
        assertThat(r.message()).isEqualTo("the subject says type 'scanJobCreated' but the event's type is 'profileDeleted': "
                + "publish it on events.profileDeleted");
        assertThat(r.eventId()).isEqualTo("mismatch");
        assertAccepted(svc.accept(Events.event("match", "scanJobCreated"), "scanJobCreated"));
        assertThat(svc.pending()).isEqualTo(1);
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> ServiceOptions.builder().dataDir(dir).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no target");
        assertThatThrownBy(() -> options().handlerTarget("feed", "nats:compliance").build())
                .hasMessageContaining("no NatsPublisher");
        assertThatThrownBy(() -> options().handlerTarget("feed", "127.0.0.1:10121"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bare host:port");
        assertThatThrownBy(() -> options().eventLimit(-1).build()).hasMessageContaining("eventLimit");
        assertThatThrownBy(() -> options().retryMaxDelay(Duration.ofMillis(1)).build()).hasMessageContaining("retryMaxDelay");
        ServiceOptions o = options().build();
        assertThat(o.toBuilder().build().handlerTargets()).isEqualTo(o.handlerTargets());
        assertThat(o.syncPolicy()).isEqualTo(SyncPolicy.always());
        assertThat(o.maxEventBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void concurrentAcceptsAreAllDeliveredExactlyOnceInPerProducerOrder() throws Exception {
        EventService svc = start(options());
        int producers = 4;
        int each = 100;
        Thread[] ts = new Thread[producers];
        AtomicInteger refused = new AtomicInteger();
        for (int p = 0; p < producers; p++) {
            int pp = p;
            ts[p] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    if (!svc.accept(Events.event("c" + pp + "-" + i, "scanJobUpdated")).isAccepted()) refused.incrementAndGet();
                }
            });
            ts[p].start();
        }
        for (Thread t : ts) t.join();
        assertThat(refused.get()).isZero();
        await().until(() -> target.deliveredIds("/event_feed").size() == producers * each);
        List<String> got = target.deliveredIds("/event_feed");
        assertThat(got).doesNotHaveDuplicates();
        for (int p = 0; p < producers; p++) {
            String prefix = "c" + p + "-";
            List<String> mine = got.stream().filter(s -> s.startsWith(prefix)).toList();
            List<String> sorted = new ArrayList<>(mine);
            sorted.sort(java.util.Comparator.comparingInt(s -> Integer.parseInt(s.substring(prefix.length()))));
            assertThat(mine).containsExactlyElementsOf(sorted);
        }
    }

    /** A ServiceMetrics that counts, as an app's Micrometer binding would. */
    static final class CountingTestMetrics implements ServiceMetrics {
        final Map<RefusalReason, AtomicInteger> refused = new ConcurrentHashMap<>();
        final Map<String, Integer> depth = new ConcurrentHashMap<>();

        CountingTestMetrics() {
            for (RefusalReason r : RefusalReason.values()) refused.put(r, new AtomicInteger());
        }

        @Override public void refused(RefusalReason reason) { refused.get(reason).incrementAndGet(); }
        @Override public void queued(String handler, int n) { depth.put(handler, n); }
    }
}
