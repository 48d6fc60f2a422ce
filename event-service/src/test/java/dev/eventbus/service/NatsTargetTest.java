package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.service.delivery.JnatsPublisher;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nats:SUBJECT handlers through JnatsPublisher against the project's own embedded broker. */
class NatsTargetTest {
    @TempDir Path dir;

    private static Broker broker(int port) {
        return new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).httpPort(-1).build()).start();
    }

    private static Options.Builder quiet(String url) {
        return JnatsPublisher.baseOptions().server(url).errorListener(new ErrorListener() {})
                .reconnectWait(Duration.ofMillis(50));
    }

    @Test
    void eventsArePublishedToTheSubjectWithTheirIdAsNatsMsgId() throws Exception {
        Broker broker = broker(0);
        String url = "nats://127.0.0.1:" + broker.port();
        List<Message> got = new CopyOnWriteArrayList<>();
        // the publisher reaches the broker through a proxy we can cut; the subscriber stays connected throughout
        try (TcpProxy proxy = new TcpProxy(broker.port());
             Connection sub = Nats.connect(Options.builder().server(url).errorListener(new ErrorListener() {}).build());
             JnatsPublisher pub = JnatsPublisher.connect(quiet("nats://127.0.0.1:" + proxy.port()).build());
             TestTarget http = TestTarget.create()) {
            sub.createDispatcher(got::add).subscribe("ingest.events");
            sub.flush(Duration.ofSeconds(5));
            ServiceOptions o = ServiceOptions.builder().dataDir(dir)
                    .handlerTarget("cfgingest", "nats:ingest.events")
                    .handlerTarget("feed", http.url("/feed"))
                    .handlerTarget("event_feed", http.url("/event_feed"))
                    .natsPublisher(pub)
                    .retryBaseDelay(Duration.ofMillis(10)).retryMaxDelay(Duration.ofMillis(100))
                    .build();
            try (EventService svc = EventService.start(o)) {
                for (int i = 0; i < 5; i++) assertThat(svc.accept(Events.event("n" + i, "nodeTerminated")).isAccepted()).isTrue();
                await().until(() -> got.size() == 5);
                assertThat(got).extracting(m -> m.getHeaders().getFirst("Nats-Msg-Id")).containsExactly("n0", "n1", "n2", "n3", "n4");
                assertThat(got.get(2).getData()).isEqualTo(Events.event("n2", "nodeTerminated"));
                assertThat(got.get(2).getHeaders().getFirst("Eventbus-Event-Type")).isEqualTo("nodeTerminated");

                // the NATS server becomes unreachable: events wait on disk, in order, and flow once it is back
                proxy.down();
                await().until(() -> pub.connection().getStatus() != Connection.Status.CONNECTED);
                for (int i = 5; i < 10; i++) assertThat(svc.accept(Events.event("n" + i, "nodeTerminated")).isAccepted()).isTrue();
                await().until(() -> svc.stats().retries("cfgingest") > 0);
                assertThat(svc.pending("cfgingest")).isEqualTo(5);
                proxy.up();
                await().atMost(Duration.ofSeconds(20)).until(() -> svc.pending("cfgingest") == 0);
                await().until(() -> got.size() >= 10);
                assertThat(got.stream().map(m -> m.getHeaders().getFirst("Nats-Msg-Id")).distinct().toList())
                        .containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9");
            }
        } finally {
            broker.shutdown();
        }
    }

    @Test
    void aMessageOverTheServersMaxPayloadIsARejection() throws Exception {
        Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).httpPort(-1).maxPayload(1024).build()).start();
        String url = "nats://127.0.0.1:" + broker.port();
        try (JnatsPublisher pub = JnatsPublisher.connect(quiet(url).build());
             TestTarget http = TestTarget.create()) {
            ServiceOptions o = ServiceOptions.builder().dataDir(dir)
                    .handlerTarget("cfgingest", "nats:ingest.events")
                    .handlerTarget("feed", http.url("/feed"))
                    .handlerTarget("event_feed", http.url("/event_feed"))
                    .natsPublisher(pub).maxAttempts(2)
                    .retryBaseDelay(Duration.ofMillis(10)).retryMaxDelay(Duration.ofMillis(20))
                    .build();
            try (EventService svc = EventService.start(o)) {
                assertThat(svc.accept(Events.sized("huge", "nodeTerminated", 2000)).isAccepted()).isTrue();
                await().until(() -> svc.deadLetters().size() == 1);
                assertThat(svc.deadLetters().list().get(0).lastError()).contains("nats:ingest.events");
                assertThat(svc.deadLetters().list().get(0).attempts()).isEqualTo(2);
            }
        } finally {
            broker.shutdown();
        }
    }
}
