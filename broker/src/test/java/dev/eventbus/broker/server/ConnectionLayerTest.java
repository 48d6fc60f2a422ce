package dev.eventbus.broker.server;

import static dev.eventbus.broker.server.EmbeddedWire.read;
import static dev.eventbus.broker.server.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.monitor.ConnState;
import dev.eventbus.broker.monitor.ConnzOptions;
import dev.eventbus.broker.monitor.ConnSort;
import dev.eventbus.broker.monitor.SubszOptions;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The connection layer in process (issue 11's net before the restructuring): the read handler's split-frame paths,
 * the per-loop staging handed over at the end of a read batch, keepalive, and the close paths, each through a real
 * {@link Server} on EmbeddedChannel, asserted on the bytes a client would see.
 */
class ConnectionLayerTest {
    private static final String CONNECT = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n";

    private static BrokerOptions.Builder options() {
        return BrokerOptions.builder().host("127.0.0.1").port(0).httpPort(-1);
    }

    private static String afterInfo(EmbeddedChannel ch) {
        String w = written(ch);
        assertThat(w).startsWith("INFO {");
        return w.substring(w.indexOf("\r\n") + 2);
    }

    @Test
    void anOperationSplitBetweenTwoReadsAtAnyByteIsDeliveredWhole() throws Exception {
        EmbeddedChannel c = new EmbeddedWire(options().build()).clients(1)[0];
        read(c, CONNECT + "SUB foo 1\r\n");
        afterInfo(c);
        String pub = "PUB foo reply.to 5\r\nhello\r\n";
        for (int k = 1; k < pub.length(); k++) {
            read(c, pub.substring(0, k));
            assertThat(written(c)).as("nothing until the operation is complete (split at %d)", k).isEmpty();
            read(c, pub.substring(k));
            assertThat(written(c)).as("split at %d", k).isEqualTo("MSG foo 1 reply.to 5\r\nhello\r\n");
        }
    }

    @Test
    void anOperationTrickledOneBytePerReadAndOneLargerThanThePrefetchArriveIntact() throws Exception {
        EmbeddedChannel c = new EmbeddedWire(options().build()).clients(1)[0];
        read(c, CONNECT + "SUB big 7\r\n");
        afterInfo(c);
        String op = "PUB big 3\r\nabc\r\nPING\r\n";
        for (char ch : op.toCharArray()) read(c, String.valueOf(ch));
        assertThat(written(c)).isEqualTo("MSG big 7 3\r\nabc\r\nPONG\r\n");

        // 40 KiB in 1,000-byte reads: past the split prefetch, so the reads are merged; then a second op in the same read
        StringBuilder payload = new StringBuilder();
        for (int i = 0; payload.length() < 40 * 1024; i++) payload.append(i % 10);
        String big = "PUB big " + payload.length() + "\r\n" + payload + "\r\nPUB big 2\r\nok\r\n";
        for (int i = 0; i < big.length(); i += 1000) read(c, big.substring(i, Math.min(big.length(), i + 1000)));
        assertThat(written(c)).isEqualTo("MSG big 7 " + payload.length() + "\r\n" + payload + "\r\nMSG big 7 2\r\nok\r\n");
    }

    @Test
    void aBatchReachesASubscriberOnAnotherLoopInOrderAndAheadOfThePublishersPong() throws Exception {
        EmbeddedChannel[] cs = new EmbeddedWire(options().build()).clients(2);
        EmbeddedChannel sub = cs[0], pub = cs[1];
        read(sub, CONNECT + "SUB orders.* q1 1\r\nSUB orders.> 2\r\n");
        read(pub, CONNECT);
        afterInfo(sub);
        afterInfo(pub);
        // plain subscriptions are served before queue groups, as nats-server does; small payloads are copied into the subscriber's staging buffer; one over the copy threshold goes as a slice
        // of the publisher's read buffer, which must stay valid after the read buffer is released
        String large = "x".repeat(Staging.COPY_THRESHOLD + 100);
        read(pub, "PUB orders.1 1\r\na\r\nPUB orders.2 " + large.length() + "\r\n" + large + "\r\nPUB orders.3 1\r\nc\r\nPING\r\n");
        assertThat(written(pub)).isEqualTo("PONG\r\n");
        assertThat(written(sub)).isEqualTo(
                "MSG orders.1 2 1\r\na\r\nMSG orders.1 1 1\r\na\r\n"
                        + "MSG orders.2 2 " + large.length() + "\r\n" + large + "\r\nMSG orders.2 1 " + large.length() + "\r\n" + large + "\r\n"
                        + "MSG orders.3 2 1\r\nc\r\nMSG orders.3 1 1\r\nc\r\n");
    }

    @Test
    void anUnansweredPingMakesAStaleConnectionAndAPongKeepsItAlive() throws Exception {
        EmbeddedChannel[] cs = new EmbeddedWire(options().pingInterval(PING).pingMax(2).build()).clients(2);
        EmbeddedChannel silent = cs[0], alive = cs[1];
        read(silent, CONNECT);
        read(alive, CONNECT);
        afterInfo(silent);
        afterInfo(alive);
        for (int round = 1; round <= 2; round++) {
            tick(silent);
            assertThat(written(silent)).as("round %d", round).isEqualTo("PING\r\n");
        }
        tick(silent);
        assertThat(written(silent)).isEqualTo("-ERR 'Stale Connection'\r\n");
        assertThat(silent.isOpen()).isFalse();

        StringBuilder seen = new StringBuilder();
        for (int round = 1; round <= 4; round++) {
            tick(alive);
            String w = written(alive);
            seen.append(w);
            if (w.contains("PING")) read(alive, "PONG\r\n");
        }
        // the first PING measures the RTT; later ones may be skipped while the client is active, as in nats-server
        assertThat(seen.toString()).startsWith("PING\r\n").doesNotContain("-ERR");
        assertThat(alive.isOpen()).isTrue();
    }

    private static long subscriptions(EmbeddedWire wire) {
        return wire.server.monitor().subsz(SubszOptions.DEFAULT).stats().numSubscriptions();
    }

    private static final Duration PING = Duration.ofSeconds(10);

    /** One ping interval on this client's loop clock (the first PING after CONNECT comes within 2.4 s). */
    private static void tick(EmbeddedChannel ch) {
        ch.advanceTimeBy(PING.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aProtocolErrorAndAClientCloseBothEndTheConnectionAndDropItsSubscriptions() throws Exception {
        EmbeddedWire wire = new EmbeddedWire(options().build());
        EmbeddedChannel[] cs = wire.clients(2);
        EmbeddedChannel bad = cs[0], leaving = cs[1];
        read(bad, CONNECT + "SUB a 1\r\nSUB b 2\r\n");
        read(leaving, CONNECT + "SUB c 1\r\n");
        afterInfo(bad);
        afterInfo(leaving);
        assertThat(subscriptions(wire)).isEqualTo(3);

        read(bad, "FOO bar\r\n");
        assertThat(written(bad)).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        assertThat(bad.isOpen()).isFalse();
        leaving.close();

        assertThat(subscriptions(wire)).isZero();
        var closed = wire.server.monitor().connz(new ConnzOptions(ConnSort.CID, false, false, false, 0, 0, 0,
                ConnState.CLOSED, "", "", "")).connections();
        assertThat(closed).extracting(ConnInfo -> ConnInfo.reason()).containsExactly("Protocol Violation", "Client Closed");
    }
}
