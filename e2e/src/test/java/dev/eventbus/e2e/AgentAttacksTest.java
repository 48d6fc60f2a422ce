package dev.eventbus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent with an ordinary token attacks the real stack (both apps as processes, real TLS): whatever it sends, it
 * gets exactly its grant, and the other agents keep being served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentAttacksTest {
    private Stack stack;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        stack = Stack.start(dir, "", """
                [agent_limits]
                msgs_per_second = 200
                max_subscriptions = 50
                [auth]
                clock_skew = "1s"
                """);
    }

    @AfterAll
    void stop() { if (stack != null) stack.close(); }

    private static String ack(Connection agent, String id) throws Exception { return Stack.ack(agent, id); }

    @Test
    void aMalformedHeaderBlockIsRefusedAtTheDoorAndIntakeGoesOn() throws Exception {
        try (Connection good = stack.agent(stack.token("agent-good"))) {
            assertThat(ack(good, "hdr-before")).contains("\"accepted\":true");
            // each of these kills a jnats reader (event-service's intake) if it gets through; the last two passed the
            // first version of the check (a security review found them); \u00c3\u00a9 is UTF-8 for an accented e
            for (String header : List.of("HTTP/1.1 200 OK\r\n\r\n", "NATS/1.0\r\nno colon here\r\n\r\n",
                    "NATS/1.0 abc\r\n\r\n", "NATS/1.0 503 \r\nK: v\r\n\r\n", "NATS/1.0\r\nK: caf\u00c3\u00a9\r\n\r\n")) {
                try (RawAgent bad = new RawAgent(stack.agentPort, stack.agentTls(), stack.token("agent-bad"))) {
                    String body = Stack.event("hdr-bad", "scanJobCreated", "agent-bad");
                    bad.send("HPUB events.scanJobCreated _INBOX.x " + header.length() + " " + (header.length() + body.length())
                            + "\r\n" + header + body + "\r\n");
                    assertThat(bad.readUntil("-ERR")).startsWith("-ERR 'Message Header Violation: ");
                    assertThat(bad.readLine()).as("closed after the error").isNull();
                }
            }
            // the intake did not lose its connection: the next event is acknowledged at once, and delivered
            Message m = good.request("events.scanJobCreated",
                    Stack.event("hdr-after", "scanJobCreated", "agent-good").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertThat(m).isNotNull();
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).contains("\"accepted\":true");
            await().atMost(Stack.WAIT).until(() -> stack.delivered.stream().anyMatch(d -> d.contains("\"hdr-after\"")));
        }
    }

    @Test
    void aSubscribeGrantDoesNotWidenWithAWildcard() throws Exception {
        String token = stack.token("agent-7", Duration.ofMinutes(5), c -> c.claim("nats",
                Map.of("sub", Map.of("allow", List.of("events.agent-7.*", "_INBOX.>")))));
        List<String> errors = new CopyOnWriteArrayList<>();
        ErrorListener el = new ErrorListener() {
            @Override public void errorOccurred(Connection conn, String error) { errors.add(error); }
        };
        try (Connection c = Nats.connect(stack.agentOptions(token).errorListener(el).build())) {
            c.subscribe("events.agent-7.>");
            c.subscribe("events.agent-7.status");
            c.flush(Duration.ofSeconds(5));
            await().atMost(Stack.WAIT).until(() -> !errors.isEmpty());
            assertThat(errors).hasSize(1).first().asString()
                    .contains("Permissions Violation for Subscription to \"events.agent-7.>\"");
        }
    }

    @Test
    void oneAgentFloodingCannotStarveAnotherOrCutTheLink() throws Exception {
        try (Connection flooder = stack.agent(stack.token("agent-flood"));
             Connection polite = stack.agent(stack.token("agent-polite"))) {
            assertThat(ack(polite, "polite-warmup")).contains("\"accepted\":true");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            byte[] junk = new byte[1024]; // refused by event-service's validation: the flood costs no disk
            Thread flood = new Thread(() -> {
                while (!stop.get() && sent.get() < 200_000) {
                    try {
                        flooder.publish("events.flood", junk);
                        sent.incrementAndGet();
                    } catch (IllegalStateException queueFull) {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // jnats's outgoing queue is full: the gateway is holding this agent back
                    }
                }
            }, "flood");
            flood.setDaemon(true);
            flood.start();
            try {
                await().atMost(Stack.WAIT).until(() -> sent.get() > 6_000); // past jnats's queue of 5000: throttled
                for (int i = 0; i < 10; i++) {
                    Message m = polite.request("events.scanJobCreated",
                            Stack.event("polite-" + i, "scanJobCreated", "agent-polite").getBytes(StandardCharsets.UTF_8),
                            Duration.ofSeconds(5));
                    assertThat(m).as("request %d answered while the flood goes on", i).isNotNull();
                    assertThat(new String(m.getData(), StandardCharsets.UTF_8)).contains("\"accepted\":true");
                }
                assertThat(stack.get("http://127.0.0.1:" + stack.gatewayMonitor + "/healthz").statusCode()).isEqualTo(200);
            } finally {
                stop.set(true);
            }
            assertThat(stack.gatewayLog()).doesNotContain("closing the link").doesNotContain("Slow Consumer");
            String metrics = stack.get("http://127.0.0.1:" + stack.gatewayMonitor + "/metrics").body();
            assertThat(metrics).contains("eventbus_gateway_link_up{gateway=\"event-service\",link=\"outbound\"} 1");
        }
    }

    private static ErrorListener recording(List<String> errors) {
        return new ErrorListener() {
            @Override public void errorOccurred(Connection conn, String error) { errors.add(error); }
        };
    }

    @Test
    void aConnectionIsClosedWhenItsTokenExpires() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection c = Nats.connect(stack.agentOptions(stack.token("agent-short", Duration.ofSeconds(3), x -> {}))
                .errorListener(recording(errors)).build())) {
            assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            await().atMost(Stack.WAIT).until(() -> c.getStatus() == Connection.Status.CLOSED);
            assertThat(errors).anySatisfy(e -> assertThat(e).containsIgnoringCase("User Authentication Expired"));
        }
    }

    @Test
    void oneAgentCannotHoldMoreSubscriptionsThanItsCap() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        String token = stack.token("agent-subs");
        try (Connection c = Nats.connect(stack.agentOptions(token).errorListener(recording(errors)).build())) {
            for (int i = 0; i < 60; i++) c.subscribe("_INBOX.agent-subs.s" + i);
            c.flush(Duration.ofSeconds(5));
            await().atMost(Stack.WAIT).until(() -> errors.size() >= 10);
            assertThat(errors).hasSize(10).allSatisfy(e -> assertThat(e).containsIgnoringCase("maximum subscriptions exceeded"));
            assertThat(c.getStatus()).as("a refused subscription does not cost the connection").isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Test
    void anOverLongControlLineIsRefusedAtTheAgentPort() throws Exception {
        try (RawAgent a = new RawAgent(stack.agentPort, stack.agentTls(), stack.token("agent-long"))) {
            // past the agent port's limit (max_token_bytes + 4096 = 12288) in one TLS record, with no end of line:
            // refused as soon as the limit is passed, not when (if ever) the line ends
            a.send("PUB events." + "x".repeat(13_000));
            assertThat(a.readUntil("-ERR")).isEqualTo("-ERR 'maximum control line exceeded'");
            assertThat(a.readLine()).isNull();
        }
    }

    @Test
    void aReplySubjectOutsideTheAgentsOwnInboxIsRefused() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection victim = stack.agent(stack.token("agent-victim"));
             Connection c = Nats.connect(stack.agentOptions(stack.token("agent-forger")).errorListener(recording(errors)).build())) {
            io.nats.client.Subscription inbox = victim.subscribe("_INBOX.agent-victim.>");
            victim.flush(Duration.ofSeconds(5));
            byte[] body = Stack.event("forged-reply", "scanJobCreated", "agent-forger").getBytes(StandardCharsets.UTF_8);
            c.publish("events.scanJobCreated", "_INBOX.agent-victim.x", body);
            c.publish("events.scanJobCreated", "internal.admin", body);
            c.flush(Duration.ofSeconds(5));
            await().atMost(Stack.WAIT).until(() -> errors.size() >= 2);
            assertThat(errors).anySatisfy(e -> assertThat(e).contains("Publish with Reply of \"_INBOX.agent-victim.x\""))
                    .anySatisfy(e -> assertThat(e).contains("Publish with Reply of \"internal.admin\""));
            // the refused event never reached event-service, so no acknowledgement landed in the victim's inbox
            assertThat(ack(c, "after-forgery")).contains("\"accepted\":true");
            assertThat(inbox.nextMessage(Duration.ofMillis(200))).isNull();
            assertThat(stack.delivered).noneMatch(d -> d.contains("\"forged-reply\""));
        }
    }
}
