package dev.eventbus.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerEventListener;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.SubscriptionInterceptor;
import dev.eventbus.broker.wire.WireClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every permissions violation a client is told of also reaches the application's listener (an audit trail). */
class PermissionViolationListenerTest {
    private Broker broker;
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() { if (broker != null) broker.shutdown(); }

    @Test
    void publishReplyAndSubscribeViolationsAndInterceptorVetoesAreReportedWithTheUser() {
        User agent = new User("agent-7", Permissions.builder().publishAllow("events.>").subscribeAllow("_INBOX.agent-7.>")
                .replyAllow("_INBOX.agent-7.>").build());
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .authenticator(c -> AuthResult.ok(agent))
                .subscriptionInterceptor(new SubscriptionInterceptor() {
                    @Override public String onSubscribe(long cid, String subject, String queue) {
                        return "billing".equals(queue) ? "reserved queue group" : null;
                    }
                })
                .listener(new BrokerEventListener() {
                    @Override public void permissionViolation(long cid, String remote, User user, String what) {
                        heard.add(user.name() + " " + remote.startsWith("127.0.0.1:") + " " + what);
                    }
                }).build()).start();
        try (WireClient c = WireClient.connect("127.0.0.1", broker.port())) {
            c.send("CONNECT {\"verbose\":false,\"auth_token\":\"x\"}\r\n"
                    + "PUB jobs.run 1\r\nx\r\n"
                    + "PUB events.x _INBOX.agent-8.r 1\r\nx\r\n"
                    + "SUB events.> 1\r\n"
                    + "SUB _INBOX.agent-7.> billing 2\r\n"
                    + "PUB events.ok _INBOX.agent-7.r 1\r\nx\r\n").barrier();
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 4);
        }
        assertThat(heard).containsExactly(
                "agent-7 true Permissions Violation for Publish to \"jobs.run\"",
                "agent-7 true Permissions Violation for Publish with Reply of \"_INBOX.agent-8.r\"",
                "agent-7 true Permissions Violation for Subscription to \"events.>\"",
                "agent-7 true Permissions Violation for Subscription to \"_INBOX.agent-7.>\" using queue \"billing\", reserved queue group");
    }
}
