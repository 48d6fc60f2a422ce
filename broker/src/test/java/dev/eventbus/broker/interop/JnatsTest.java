package dev.eventbus.broker.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.testing.ServerConfig;
import dev.eventbus.broker.testing.ServerConfig.UserSpec;
import dev.eventbus.broker.testing.ServerKind;
import dev.eventbus.broker.testing.ServerPool;
import dev.eventbus.broker.testing.ServerUnderTest;
import dev.eventbus.broker.wire.WireClient;
import dev.eventbus.broker.wire.WireClient.Outcome;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real jnats client (io.nats:jnats) against our broker, every test also run against nats-server 2.9.10 so
 * the expectations are proven on the reference. Waits use awaitility or jnats' own flush/timeouts, never sleeps.
 */
class JnatsTest {
    static final String KINDS = "dev.eventbus.broker.testing.ServerKind#selected";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ServerPool POOL = new ServerPool();

    @AfterAll
    static void stopServers() { POOL.close(); }

    static ServerUnderTest server(ServerKind kind) { return POOL.get(kind, ServerConfig.DEFAULT); }

    static Options.Builder options(ServerUnderTest s) {
        return Options.builder().server(s.natsUrl()).connectionTimeout(Duration.ofSeconds(5)).noReconnect()
                .errorListener(new ErrorListener() {}); // quiet: jnats' default listener logs every -ERR at SEVERE
    }

    static Connection connect(ServerUnderTest s) throws IOException, InterruptedException {
        return Nats.connect(options(s).build());
    }

    static byte[] bytes(String s) { return s.getBytes(UTF_8); }

    // ------------------------------------------------------------------------------------- basic pub/sub

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void connectPublishSubscribe(ServerKind kind) throws Exception {
        ServerUnderTest s = server(kind);
        try (Connection nc = connect(s)) {
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(nc.getServerInfo().getVersion()).isEqualTo("2.9.10");
            assertThat(nc.getServerInfo().isHeadersSupported()).isTrue();
            Subscription sub = nc.subscribe("j.greet");
            nc.publish("j.greet", bytes("hello"));
            Message m = sub.nextMessage(WAIT);
            assertThat(m).isNotNull();
            assertThat(new String(m.getData(), UTF_8)).isEqualTo("hello");
            assertThat(m.getSubject()).isEqualTo("j.greet");
            assertThat(m.getReplyTo()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void wildcards(ServerKind kind) throws Exception {
        ServerUnderTest s = server(kind);
        try (Connection sub = connect(s); Connection pub = connect(s)) {
            Subscription star = sub.subscribe("jw.*");
            Subscription gt = sub.subscribe("jw.>");
            Subscription mid = sub.subscribe("jw.*.c");
            sub.flush(WAIT);
            // each subscription's last expected message is a marker published last: nothing unexpected came before it
            for (String subject : List.of("jw.a", "jw.a.c", "jw.a.b.c", "jw", "jwx.a", "jw.end", "jw.end.c")) {
                pub.publish(subject, bytes(subject));
            }
            pub.flush(WAIT);
            assertThat(drain(star, 2)).containsExactly("jw.a", "jw.end");
            assertThat(drain(gt, 5)).containsExactly("jw.a", "jw.a.c", "jw.a.b.c", "jw.end", "jw.end.c");
            assertThat(drain(mid, 2)).containsExactly("jw.a.c", "jw.end.c");
        }
    }

    /** Reads exactly {@code n} messages (their subjects), failing if one does not come within the wait. */
    static List<String> drain(Subscription sub, int n) throws InterruptedException {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Message m = sub.nextMessage(WAIT);
            assertThat(m).as("message %d of %d on %s", i + 1, n, sub.getSubject()).isNotNull();
            subjects.add(m.getSubject());
        }
        return subjects;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void queueGroupsDeliverEachMessageToExactlyOneMember(ServerKind kind) throws Exception {
        ServerUnderTest s = server(kind);
        int messages = 300;
        List<Connection> members = new ArrayList<>();
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        List<AtomicInteger> perMember = new ArrayList<>();
        AtomicInteger plain = new AtomicInteger();
        AtomicInteger otherGroup = new AtomicInteger();
        try (Connection pub = connect(s); Connection watcher = connect(s)) {
            for (int i = 0; i < 3; i++) {
                Connection nc = connect(s);
                members.add(nc);
                AtomicInteger count = new AtomicInteger();
                perMember.add(count);
                nc.createDispatcher(m -> {
                    count.incrementAndGet();
                    deliveries.merge(new String(m.getData(), UTF_8), 1, Integer::sum);
                }).subscribe("jq.work", "workers");
                nc.flush(WAIT);
            }
            Dispatcher d = watcher.createDispatcher(m -> plain.incrementAndGet());
            d.subscribe("jq.work");
            watcher.createDispatcher(m -> otherGroup.incrementAndGet()).subscribe("jq.*", "auditors");
            watcher.flush(WAIT);

            for (int i = 0; i < messages; i++) pub.publish("jq.work", bytes("m" + i));
            pub.flush(WAIT);

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(perMember.stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(messages);
                assertThat(plain.get()).isEqualTo(messages);
                assertThat(otherGroup.get()).isEqualTo(messages);
            });
            assertThat(deliveries).hasSize(messages).allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
            // random member choice: with 300 messages every member gets some
            assertThat(perMember).allSatisfy(c -> assertThat(c.get()).isPositive());
            // and no late duplicates after a full round trip through every member
            for (Connection m : members) m.flush(WAIT);
            assertThat(perMember.stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(messages);
        } finally {
            for (Connection m : members) m.close();
        }
    }

    // ---------------------------------------------------------------------------------- request / reply

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void requestReply(ServerKind kind) throws Exception {
        ServerUnderTest s = server(kind);
        try (Connection responder = connect(s); Connection requester = connect(s)) {
            responder.createDispatcher(m -> responder.publish(m.getReplyTo(),
                    bytes("re:" + new String(m.getData(), UTF_8)))).subscribe("jr.echo");
            responder.flush(WAIT);

            Message sync = requester.request("jr.echo", bytes("one"), WAIT);
            assertThat(sync).isNotNull();
            assertThat(new String(sync.getData(), UTF_8)).isEqualTo("re:one");

            List<CompletableFuture<Message>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) futures.add(requester.request("jr.echo", bytes("n" + i)));
            for (int i = 0; i < 20; i++) {
                assertThat(new String(futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS).getData(), UTF_8))
                        .isEqualTo("re:n" + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void headersRoundTrip(ServerKind kind) throws Exception {
        ServerUnderTest s = server(kind);
        try (Connection nc = connect(s); Connection responder = connect(s)) {
            Subscription sub = nc.subscribe("jh.data");
            Headers h = new Headers().add("X-Trace", "abc-123").add("X-Multi", "one", "two").add("Empty-Ok", "");
            nc.publish(NatsMessage.builder().subject("jh.data").headers(h).data(bytes("payload")).build());
            Message m = sub.nextMessage(WAIT);
            assertThat(m).isNotNull();
            assertThat(m.hasHeaders()).isTrue();
            assertThat(m.getHeaders().get("X-Trace")).containsExactly("abc-123");
            assertThat(m.getHeaders().get("X-Multi")).containsExactly("one", "two");
            assertThat(new String(m.getData(), UTF_8)).isEqualTo("payload");

            // headers also survive a request/reply hop in both directions
            responder.createDispatcher(req -> responder.publish(NatsMessage.builder().subject(req.getReplyTo())
                    .headers(new Headers().add("X-Echo", req.getHeaders().getFirst("X-Trace")))
                    .data(req.getData()).build())).subscribe("jh.svc");
            responder.flush(WAIT);
            Message reply = nc.request(NatsMessage.builder().subject("jh.svc").headers(h).data(bytes("q")).build(), WAIT);
            assertThat(reply).isNotNull();
            assertThat(reply.getHeaders().getFirst("X-Echo")).isEqualTo("abc-123");
            assertThat(new String(reply.getData(), UTF_8)).isEqualTo("q");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void aRequestNobodyListensToFailsFastWithNoResponders(ServerKind kind) throws Exception {
        ServerUnderTest s = server(kind);
        try (Connection nc = connect(s)) {
            long start = System.nanoTime();
            CompletableFuture<Message> f = nc.request("jnr.nobody.home", bytes("hello?"));
            assertThatThrownBy(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(f).isCompletedExceptionally();
            // "fast": the server answered with a 503 status, jnats did not wait for a timeout
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

            // the synchronous form returns null at once instead of waiting out its (long) timeout
            start = System.nanoTime();
            assertThat(nc.request("jnr.nobody.home", bytes("x"), Duration.ofSeconds(30))).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void autoUnsubscribeAfterN(ServerKind kind) throws Exception {
        ServerUnderTest s = server(kind);
        try (Connection nc = connect(s); Connection pub = connect(s)) {
            AtomicInteger limited = new AtomicInteger();
            AtomicInteger all = new AtomicInteger();
            Dispatcher d = nc.createDispatcher();
            Subscription limitedSub = d.subscribe("ja.max", m -> limited.incrementAndGet());
            d.unsubscribe(limitedSub, 3);
            d.subscribe("ja.max", m -> all.incrementAndGet());
            nc.flush(WAIT);
            for (int i = 0; i < 10; i++) pub.publish("ja.max", bytes("m" + i));
            pub.flush(WAIT);
            // both subscriptions are on the same connection: when the unlimited one saw all 10, the limited one
            // has seen everything it ever will
            await().atMost(WAIT).until(() -> all.get() == 10);
            assertThat(limited.get()).isEqualTo(3);
            assertThat(limitedSub.isActive()).isFalse();

            // the synchronous API too
            Subscription sync = nc.subscribe("ja.sync");
            sync.unsubscribe(2);
            nc.flush(WAIT);
            for (int i = 0; i < 5; i++) pub.publish("ja.sync", bytes("s" + i));
            pub.flush(WAIT);
            assertThat(sync.nextMessage(WAIT)).isNotNull();
            assertThat(sync.nextMessage(WAIT)).isNotNull();
            await().atMost(WAIT).until(() -> !sync.isActive());
        }
    }

    // ------------------------------------------------------------------------------ auth and permissions

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void tokenAuthentication(ServerKind kind) throws Exception {
        ServerUnderTest s = POOL.get(kind, ServerConfig.builder().token("s3cret").build());
        try (Connection nc = Nats.connect(options(s).token("s3cret".toCharArray()).build())) {
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(nc.getServerInfo().isAuthRequired()).isTrue();
        }
        // jnats reports the -ERR, then gives up when its connection timeout expires: keep that short here
        assertThatThrownBy(() -> Nats.connect(options(s).connectionTimeout(Duration.ofSeconds(1))
                .token("wrong".toCharArray()).build()).close())
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.toString() + (e.getCause() == null ? "" : e.getCause().toString()))
                        .containsIgnoringCase("Authorization Violation"));
        assertThatThrownBy(() -> Nats.connect(options(s).connectionTimeout(Duration.ofSeconds(1)).build()).close())
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.toString() + (e.getCause() == null ? "" : e.getCause().toString()))
                        .containsIgnoringCase("Authorization Violation"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void aPermissionViolationIsReportedToTheErrorListenerAndNothingIsDelivered(ServerKind kind) throws Exception {
        ServerUnderTest s = POOL.get(kind, ServerConfig.builder()
                .user(UserSpec.of("alice", "pa"))
                .user(UserSpec.of("bob", "pb").publishDeny("jp.secret.>").subscribeDeny("jp.private"))
                .build());
        List<String> errors = new CopyOnWriteArrayList<>();
        ErrorListener listener = new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        };
        List<String> received = new CopyOnWriteArrayList<>();
        try (Connection alice = Nats.connect(options(s).userInfo("alice", "pa").build());
             Connection bob = Nats.connect(options(s).userInfo("bob", "pb").errorListener(listener).build())) {
            alice.createDispatcher(m -> received.add(m.getSubject())).subscribe("jp.>");
            alice.flush(WAIT);

            bob.publish("jp.secret.plans", bytes("x"));
            bob.publish("jp.public.marker", bytes("y"));
            bob.flush(WAIT);
            await().atMost(WAIT).until(() -> received.contains("jp.public.marker"));
            // the marker was published after the denied message, on the same connection: had the denied one been
            // delivered, it would have arrived first
            assertThat(received).containsExactly("jp.public.marker");
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(
                    e -> e.contains("Permissions Violation for Publish to \"jp.secret.plans\"")));
            // a permissions violation does not cost the connection
            assertThat(bob.getStatus()).isEqualTo(Connection.Status.CONNECTED);

            bob.subscribe("jp.private");
            bob.flush(WAIT);
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(
                    e -> e.contains("Permissions Violation for Subscription to \"jp.private\"")));
            assertThat(bob.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    // --------------------------------------------------------------------------------------- max_payload

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void maxPayloadIsEnforcedByJnatsAndByTheServer(ServerKind kind) throws Exception {
        ServerUnderTest s = POOL.get(kind, ServerConfig.builder().maxPayload(1024).build());
        try (Connection nc = connect(s)) {
            assertThat(nc.getMaxPayload()).isEqualTo(1024);
            Subscription sub = nc.subscribe("jm.big");
            nc.publish("jm.big", new byte[1024]);
            assertThat(sub.nextMessage(WAIT).getData()).hasSize(1024);
            // jnats refuses client-side, so the server never sees it...
            assertThatThrownBy(() -> nc.publish("jm.big", new byte[1025])).isInstanceOf(IllegalArgumentException.class);
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
        // ...and a raw client shows what the server itself does
        try (WireClient raw = WireClient.connect(s)) {
            assertThat(raw.info()).containsEntry("max_payload", 1024L);
            assertThat(raw.exchange("CONNECT {\"verbose\":false}\r\nPUB jm.big 1025\r\n"))
                    .isEqualTo(Outcome.error("Maximum Payload Violation"));
        }
    }

    // ------------------------------------------------------------------------------------- slow consumer

    static final Pattern MSG_LINE = Pattern.compile("MSG jsc\\.firehose 1 (\\d+)\r\n");

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void aSlowConsumerIsCutWhileAFastOneGetsEveryMessage(ServerKind kind) throws Exception {
        ServerUnderTest s = POOL.get(kind, ServerConfig.builder()
                .maxPending(256 * 1024).maxPayload(64 * 1024).writeDeadline(Duration.ofSeconds(2)).build());
        int messages = 20_000;
        int batch = 100; // 100 KB in flight at most for the fast subscriber, well under max_pending
        byte[] payload = new byte[1024];
        AtomicInteger fast = new AtomicInteger();
        try (WireClient slow = WireClient.connectRaw(s.host(), s.port(), 4096);
             Connection fastConn = connect(s);
             Connection pub = connect(s)) {
            slow.readInfo();
            slow.send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB jsc.firehose 1\r\n").barrier();
            fastConn.createDispatcher(m -> fast.incrementAndGet()).subscribe("jsc.firehose");
            fastConn.flush(WAIT);

            for (int sent = 0; sent < messages; ) {
                for (int i = 0; i < batch; i++, sent++) pub.publish("jsc.firehose", payload);
                int target = sent;
                await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> fast.get() >= target);
            }
            assertThat(fast.get()).isEqualTo(messages);
            assertThat(fastConn.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(pub.getStatus()).isEqualTo(Connection.Status.CONNECTED);

            // the raw subscriber that never read: the server closed it (no -ERR is sent for a slow consumer)
            String got = slow.expectClosed(Duration.ofSeconds(30));
            int count = 0;
            Matcher m = MSG_LINE.matcher(got);
            while (m.find()) count++;
            assertThat(count).as("messages the slow consumer got before the cut").isLessThan(messages);
            assertThat(got).doesNotContain("-ERR");
        }
        // the server is fine afterwards
        try (Connection nc = connect(s)) {
            Subscription sub = nc.subscribe("jsc.after");
            nc.publish("jsc.after", bytes("ok"));
            assertThat(sub.nextMessage(WAIT)).isNotNull();
        }
    }
}
