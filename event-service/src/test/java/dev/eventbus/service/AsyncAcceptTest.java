package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EventService#acceptAsync}: nobody blocks per event, fsyncs are shared by everything appended meanwhile, and
 * every guarantee of the blocking accept holds (answered only once durable, event_limit at once, storage errors with
 * a reason, order of one caller).
 */
class AsyncAcceptTest {
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
                .syncPolicy(SyncPolicy.always())
                .handlerTarget("feed", target.url("/feed"))
                .handlerTarget("cfgingest", target.url("/cfgingest"))
                .handlerTarget("event_feed", target.url("/event_feed"))
                .retryBaseDelay(Duration.ofMillis(10))
                .retryMaxDelay(Duration.ofMillis(100))
                .shutdownGrace(Duration.ofSeconds(2));
    }

    private EventService start(ServiceOptions.Builder b) throws Exception {
        EventService s = EventService.start(b.build());
        services.add(s);
        return s;
    }

    private static CompletableFuture<AcceptResult> acceptAsync(EventService svc, byte[] json) {
        CompletableFuture<AcceptResult> f = new CompletableFuture<>();
        svc.acceptAsync(json, null, f::complete);
        return f;
    }

    @Test
    void oneThreadKeepsHundredsOfEventsInFlightAndTheyShareFsyncs() throws Exception {
        EventService svc = start(options());
        long syncsBefore = svc.queueSyncs();
        int n = 1000;
        List<CompletableFuture<AcceptResult>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) answers.add(acceptAsync(svc, Events.event("a" + i, "scanJobCreated")));
        for (CompletableFuture<AcceptResult> f : answers) {
            assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(AcceptResult.Status.ACCEPTED);
        }
        long syncs = svc.queueSyncs() - syncsBefore;
        // the blocking accept from one thread needed one fsync per event; here the events appended while one fsync
        // runs share the next (how many depends on how fast this machine validates against how fast it fsyncs)
        assertThat(syncs).as("fsyncs for %d events", n).isPositive().isLessThan(n);
        await().until(() -> target.deliveredIds("/event_feed").size() == n);
        // one caller's events are appended, and so delivered, in call order
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) expected.add("a" + i);
        assertThat(target.deliveredIds("/event_feed")).containsExactlyElementsOf(expected);
    }

    @Test
    void atEventLimitTheRefusalIsAnsweredAtOnceWithoutWaitingForTheDisk() throws Exception {
        target.respond(r -> 503);                    // nothing is delivered: pending stays at the limit
        EventService svc = start(options().eventLimit(3));
        for (int i = 0; i < 3; i++) {
            assertThat(acceptAsync(svc, Events.event("l" + i, "scanJobCreated")).get(30, TimeUnit.SECONDS).isAccepted()).isTrue();
        }
        CompletableFuture<AcceptResult> refused = acceptAsync(svc, Events.event("l3", "scanJobCreated"));
        // answered on the calling thread, before acceptAsync returned
        assertThat(refused).isDone();
        assertThat(refused.get().reason()).isEqualTo(RefusalReason.EVENT_LIMIT);
        assertThat(refused.get().message()).contains("event_limit reached");
        CompletableFuture<AcceptResult> invalid = acceptAsync(svc, "{\"event_id\":".getBytes());
        assertThat(invalid).isDone();
        assertThat(invalid.get().reason()).isEqualTo(RefusalReason.MALFORMED_JSON);
    }

    @Test
    void aWriteThatFailsIsRefusedWithTheReasonAndTheServiceGoesOn() throws Exception {
        EventService svc = start(options().segmentBytes(64 * 1024));
        assertThat(acceptAsync(svc, Events.event("w0", "scanJobCreated")).get(30, TimeUnit.SECONDS).isAccepted()).isTrue();
        // the next event does not fit the 64 KiB segment: the queue must roll to a new segment file named after the
        // log position where the active one ends; a directory squatting that name makes creating it fail
        Path logDir = dir.resolve("log");
        Path active;
        try (Stream<Path> s = Files.list(logDir)) {
            active = s.filter(p -> p.getFileName().toString().endsWith(".log")).max(Path::compareTo).orElseThrow();
        }
        long base = Long.parseLong(active.getFileName().toString().replace(".log", ""));
        Path next = logDir.resolve(String.format("%020d.log", base + Files.size(active)));
        Files.createDirectory(next);

        AcceptResult r = acceptAsync(svc, Events.sized("w1", "scanJobCreated", 65_000)).get(30, TimeUnit.SECONDS);
        assertThat(r.reason()).isEqualTo(RefusalReason.STORAGE_UNAVAILABLE);
        assertThat(r.message()).startsWith("could not write the event to disk").contains("retry with the same event_id");
        assertThat(svc.health().status().healthy()).isFalse();

        Files.delete(next);
        AcceptResult retried = acceptAsync(svc, Events.sized("w1", "scanJobCreated", 65_000)).get(30, TimeUnit.SECONDS);
        assertThat(retried.status()).isEqualTo(AcceptResult.Status.ACCEPTED);
        await().until(() -> target.deliveredIds("/event_feed").contains("w1"));
        assertThat(target.deliveredIds("/event_feed")).containsExactly("w0", "w1");
    }

    @Test
    void theBlockingAcceptIsTheAsyncOneAndAnswersOnlyOnceDurable() throws Exception {
        EventService svc = start(options());
        long before = svc.queueSyncs();
        assertThat(svc.accept(Events.event("b0", "scanJobCreated")).isAccepted()).isTrue();
        // accepted with sync=always means an fsync covering it has completed
        assertThat(svc.queueSyncs()).isGreaterThan(before);
    }
}
