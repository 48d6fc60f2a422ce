package dev.eventbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link BrokerOptions.Builder#orderedQueueGroups}: a publisher's messages to such a queue group all reach one member,
 * in publish order, while several publishers are spread over the members; other groups stay random per message.
 */
class OrderedQueueGroupsTest {
    private static final int MEMBERS = 3;
    private static final int PUBLISHERS = 6;
    private static final int EACH = 300;

    private static Connection connect(int port) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).maxReconnects(0).build());
    }

    /** publisher -> member index of every message it sent, in arrival order per member. */
    private static Map<Integer, List<Integer>> run(Broker broker, String group) throws Exception {
        List<Connection> all = new ArrayList<>();
        try {
            Map<Integer, List<String>> byMember = new ConcurrentHashMap<>();
            for (int m = 0; m < MEMBERS; m++) {
                Connection c = connect(broker.port());
                all.add(c);
                List<String> got = new CopyOnWriteArrayList<>();
                byMember.put(m, got);
                c.createDispatcher(msg -> got.add(new String(msg.getData(), StandardCharsets.US_ASCII))).subscribe("work.>", group);
                c.flush(Duration.ofSeconds(2));
            }
            for (int p = 0; p < PUBLISHERS; p++) {
                Connection c = connect(broker.port());
                all.add(c);
                for (int i = 0; i < EACH; i++) c.publish("work.x", (p + ":" + i).getBytes(StandardCharsets.US_ASCII));
                c.flush(Duration.ofSeconds(2));
            }
            await().until(() -> byMember.values().stream().mapToInt(List::size).sum() == PUBLISHERS * EACH);
            Map<Integer, List<Integer>> members = new ConcurrentHashMap<>();
            for (var e : byMember.entrySet()) {
                for (String s : e.getValue()) {
                    String[] f = s.split(":");
                    int p = Integer.parseInt(f[0]);
                    members.computeIfAbsent(p, k -> new ArrayList<>()).add(e.getKey());
                    members.computeIfAbsent(100 + p, k -> new ArrayList<>()).add(Integer.parseInt(f[1]));
                }
            }
            return members;
        } finally {
            for (Connection c : all) c.close();
        }
    }

    @Test
    void aPublishersMessagesReachOneMemberInOrderAndPublishersAreSpread() throws Exception {
        try (Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .orderedQueueGroups(List.of("ordered")).build()).start()) {
            Map<Integer, List<Integer>> r = run(broker, "ordered");
            java.util.Set<Integer> used = new java.util.HashSet<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                assertThat(r.get(p)).as("members that got publisher %d's messages", p).containsOnly(r.get(p).get(0));
                used.add(r.get(p).get(0));
                assertThat(r.get(100 + p)).as("publisher %d's messages in arrival order", p).hasSize(EACH).isSorted();
            }
            assertThat(used).as("members in use").hasSizeGreaterThan(1);
        }
    }

    @Test
    void anOrdinaryQueueGroupStillSpreadsOnePublishersMessages() throws Exception {
        try (Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .orderedQueueGroups(List.of("ordered")).build()).start()) {
            Map<Integer, List<Integer>> r = run(broker, "plain");
            assertThat(new java.util.HashSet<>(r.get(0))).as("members that got publisher 0's messages").hasSize(MEMBERS);
        }
    }
}
