package dev.eventbus.broker.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.monitor.ConnInfo;
import dev.eventbus.broker.wire.WireClient;
import dev.eventbus.broker.wire.WireClient.Frame;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection flooding SUBs is held to max_subscriptions (65536 by default, where nats-server has no limit), all
 * connections together to the subscription memory budget, and one that floods without reading the refusals is cut
 * as a slow consumer instead of making us buffer them.
 */
class SubscriptionLimitsTest {
    private static final String REFUSED = "-ERR 'maximum subscriptions exceeded'";
    private Broker broker;
    private final List<WireClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(WireClient::close);
        if (broker != null) broker.shutdown();
    }

    private WireClient client() {
        WireClient c = WireClient.connect("127.0.0.1", broker.port());
        clients.add(c);
        c.connectQuiet();
        return c;
    }

    private static byte[] subs(String prefix, int from, int to) {
        StringBuilder b = new StringBuilder((to - from) * 24);
        for (int i = from; i < to; i++) b.append("SUB ").append(prefix).append('.').append(i).append(' ').append(i).append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends the SUBs, then PING: returns how many were refused before the PONG (nothing else may come back). */
    private static int refusals(WireClient c, byte[] subs) {
        c.sendBytes(subs);
        int refused = 0;
        for (Frame f : c.barrier()) {
            assertThat(f.line()).isEqualTo(REFUSED);
            refused++;
        }
        return refused;
    }

    @Test
    void oneConnectionFloodingSubsIsHeldToTheDefaultCapAndStaysServed() {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).build()).start();
        WireClient flood = client();
        assertThat(refusals(flood, subs("flood", 0, 70_000))).isEqualTo(70_000 - BrokerOptions.DEFAULT_MAX_SUBSCRIPTIONS);
        assertThat(broker.monitorSource().stats().subscriptions()).isEqualTo(BrokerOptions.DEFAULT_MAX_SUBSCRIPTIONS);
        // the cap is per connection: someone else subscribes, and the flooder gets one back by unsubscribing
        assertThat(refusals(client(), subs("other", 0, 10))).isZero();
        assertThat(refusals(flood, ("UNSUB 1\r\n").getBytes(StandardCharsets.ISO_8859_1))).isZero();
        assertThat(refusals(flood, subs("flood", 70_000, 70_001))).isZero();
    }

    @Test
    void allConnectionsTogetherStayWithinTheSubscriptionMemoryBudget() {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).maxSubscriptions(0)
                .maxSubscriptionMemory(1 << 20).build()).start();
        WireClient first = client();
        int refused = refusals(first, subs("budget", 0, 5_000));
        int held = 5_000 - refused;
        assertThat(refused).isPositive();
        // each is charged at least its fixed 400 bytes: a mebibyte holds no more than 2621 of them
        assertThat(held).isBetween(1_000, 2_621);
        WireClient second = client();
        assertThat(refusals(second, subs("second", 0, 1))).isEqualTo(1);
        // the budget is shared, not leaked: when the first goes, the second can subscribe
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals(second, subs("second", 1, 2)) == 0);
        assertThat(broker.monitorSource().stats().subscriptions()).isEqualTo(1);
    }

    @Test
    void aFloodOfRefusedSubsThatNeverReadsItsErrorsIsCutAsASlowConsumer() {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).maxSubscriptions(1)
                .maxPayload(64 * 1024).maxPending(256 * 1024).writeDeadline(Duration.ofMinutes(5)).build()).start();
        WireClient flood = WireClient.connectRaw("127.0.0.1", broker.port(), 4096);
        clients.add(flood);
        flood.readInfo();
        flood.connectQuiet();
        // 800,000 refusals are 30 MB of -ERR lines that this client never reads: far more than the kernel's socket
        // buffers on both sides can hold (a flood of 7.6 MB once fitted in them, and the server never needed to cut)
        try {
            flood.sendBytes(subs("unread", 0, 800_000));
        } catch (UncheckedIOException e) {
            // the server may cut us while we are still writing: that is the point
        }
        flood.expectClosed(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(broker.monitorSource().closedConnections())
                .extracting(ConnInfo::reason).containsExactly("Slow Consumer (Pending Bytes)"));
    }
}
