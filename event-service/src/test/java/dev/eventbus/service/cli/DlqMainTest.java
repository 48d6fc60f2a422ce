package dev.eventbus.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.service.EventService;
import dev.eventbus.service.Events;
import dev.eventbus.service.ServiceOptions;
import dev.eventbus.service.TestTarget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DlqMainTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DlqMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listAndReplayAgainstARunningService() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean(true);
        try (TestTarget target = TestTarget.create()) {
            target.respond(r -> refuse.get() && r.eventId().startsWith("bad") ? 400 : 200);
            ServiceOptions o = ServiceOptions.builder().dataDir(dir)
                    .handlerTarget("feed", target.url("/feed"))
                    .handlerTarget("cfgingest", target.url("/cfgingest"))
                    .handlerTarget("event_feed", target.url("/event_feed"))
                    .maxAttempts(1).retryBaseDelay(Duration.ofMillis(10)).retryMaxDelay(Duration.ofMillis(20))
                    .replayPollInterval(Duration.ofMillis(50))
                    .build();
            try (EventService svc = EventService.start(o)) {
                svc.accept(Events.event("bad-1", "profileCreated"));
                svc.accept(Events.event("bad-2", "nodeTerminated"));
                svc.accept(Events.event("good", "profileCreated"));
                await().until(() -> svc.deadLetters().size() == 2 && svc.pending() == 0);

                Run list = run("dlq", "list", "--data-dir", dir.toString());
                assertThat(list.code()).isZero();
                assertThat(list.out()).contains("event_feed-", "cfgingest-", "bad-1", "bad-2", "HTTP 400", "2 dead letters");
                Run json = run("list", "--data-dir", dir.toString(), "--json");
                assertThat(json.out()).contains("\"event_id\" : \"bad-1\"", "\"state\" : \"dead\"");

                String id = svc.deadLetters().list().stream().filter(d -> d.eventId().equals("bad-1")).findFirst().orElseThrow().id();
                Run show = run("show", "--data-dir", dir.toString(), id);
                assertThat(show.out()).contains(Events.json("bad-1", "profileCreated"))
                        .contains("id: " + id + "\n", "handler: event_feed\n", "event_id: bad-1\n", "type: profileCreated\n",
                                "attempts: 1\n", "state: dead\n")
                        .containsPattern("last_error: POST http://[^\n]*HTTP 400")
                        .doesNotContain("DeadLetter[");

                refuse.set(false);
                Run replay = run("replay", "--data-dir", dir.toString(), id);
                assertThat(replay.code()).as(replay.err()).isZero();
                assertThat(replay.out()).contains("replay requested: " + id);
                await().until(() -> target.deliveredIds("/event_feed").contains("bad-1"));
                await().until(() -> svc.deadLetters().size() == 1);

                Run all = run("replay", "--all", "--data-dir", dir.toString());
                assertThat(all.code()).isZero();
                await().until(() -> target.deliveredIds("/cfgingest").contains("bad-2"));
                await().until(() -> svc.deadLetters().size() == 0);
                assertThat(run("list", "--data-dir", dir.toString()).out()).contains("no dead letters");
            }
        }
    }

    @Test
    void replayRequestedWhileStoppedHappensAtTheNextStart() throws Exception {
        try (TestTarget target = TestTarget.create()) {
            target.respond(r -> 422);
            ServiceOptions o = ServiceOptions.builder().dataDir(dir)
                    .handlerTarget("feed", target.url("/feed"))
                    .handlerTarget("cfgingest", target.url("/cfgingest"))
                    .handlerTarget("event_feed", target.url("/event_feed"))
                    .maxAttempts(1).retryBaseDelay(Duration.ofMillis(10)).retryMaxDelay(Duration.ofMillis(20))
                    .build();
            String id;
            try (EventService svc = EventService.start(o)) {
                svc.accept(Events.event("x", "scanJobDeleted"));
                await().until(() -> svc.deadLetters().size() == 1);
                id = svc.deadLetters().list().get(0).id();
            }
            Run replay = run("replay", id, "--data-dir", dir.toString());
            assertThat(replay.code()).isZero();
            assertThat(run("list", "--data-dir", dir.toString()).out()).contains("replay-requested");
            target.respond(r -> 200);
            try (EventService svc = EventService.start(o)) {
                await().until(() -> target.deliveredIds("/event_feed").contains("x"));
                await().until(() -> svc.deadLetters().size() == 0);
            }
        }
    }

    @Test
    void usageErrors() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("list").err()).contains("--data-dir is required");
        assertThat(run("frobnicate", "--data-dir", dir.toString()).code()).isEqualTo(2);
        assertThat(run("replay", "--data-dir", dir.toString()).err()).contains("replay takes IDs or --all");
        assertThat(run("list", "--data-dir", dir.resolve("missing").toString()).code()).isEqualTo(1);
        Run missing = run("replay", "event_feed-00000000000000000042", "--data-dir", dir.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no dead letter event_feed-00000000000000000042");
        assertThat(run("replay", "../../etc/passwd", "--data-dir", dir.toString()).code()).isEqualTo(1);
        assertThat(run("--help").code()).isZero();
    }
}
