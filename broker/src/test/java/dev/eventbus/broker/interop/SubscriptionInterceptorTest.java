package dev.eventbus.broker.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.SubscriptionInterceptor;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An application's veto on subscriptions (event-service's listener_limit): a clear, non-fatal refusal. */
class SubscriptionInterceptorTest {

    /** At most one subscription on events.> at a time. */
    static final class OneListener implements SubscriptionInterceptor {
        final AtomicInteger listeners = new AtomicInteger();

        @Override
        public String onSubscribe(long cid, String subject, String queue) {
            if (!subject.startsWith("events.")) return null;
            if (listeners.incrementAndGet() > 1) {
                listeners.decrementAndGet();
                return "listener_limit reached";
            }
            return null;
        }

        @Override
        public void onUnsubscribe(long cid, String subject, String queue) {
            if (subject.startsWith("events.")) listeners.decrementAndGet();
        }
    }

    @Test
    void aSubscriptionOverTheLimitIsRefusedAndTheConnectionStaysUp() throws Exception {
        OneListener limit = new OneListener();
        try (Broker b = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).subscriptionInterceptor(limit).build()).start()) {
            CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
            Options second = new Options.Builder().server("nats://127.0.0.1:" + b.port()).errorListener(new ErrorListener() {
                @Override
                public void errorOccurred(Connection conn, String error) { errors.add(error); }
            }).build();
            try (Connection a = Nats.connect("nats://127.0.0.1:" + b.port()); Connection c = Nats.connect(second)) {
                Subscription first = a.subscribe("events.>");
                a.flush(Duration.ofSeconds(2));
                Subscription refused = c.subscribe("events.x");
                c.flush(Duration.ofSeconds(2));
                await().atMost(Duration.ofSeconds(5)).until(() -> errors.stream()
                        .anyMatch(e -> e.contains("Permissions Violation for Subscription to \"events.x\", listener_limit reached")));
                c.publish("events.x", "hello".getBytes());
                c.flush(Duration.ofSeconds(2));
                assertThat(first.nextMessage(Duration.ofSeconds(2))).isNotNull();
                assertThat(refused.nextMessage(Duration.ofMillis(300))).isNull();
                assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                // other subjects are not limited; a freed slot can be taken again
                assertThat(c.subscribe("other.y")).isNotNull();
                first.unsubscribe();
                a.flush(Duration.ofSeconds(2));
                await().atMost(Duration.ofSeconds(5)).until(() -> limit.listeners.get() == 0);
                c.subscribe("events.again");
                c.flush(Duration.ofSeconds(2));
                assertThat(limit.listeners.get()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> limit.listeners.get() == 0);
        }
    }
}
