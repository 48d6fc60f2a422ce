package dev.eventbus.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.wire.WireClient;
import dev.eventbus.broker.wire.WireClient.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an authenticated but untrusted client can do beyond its grant, on the raw wire: widen a subscribe grant
 * with a wildcard, slip past a queue deny, aim a reply at someone else's inbox, outlive its credential, or crash
 * subscribers with a malformed header block. Each is refused here (stricter than nats-server 2.9.10, which allows
 * the first two and checks none of the others: docs/compatibility.md).
 */
class GrantBoundaryTest {
    private Broker broker;

    /** Users by name; the password is the name; each may carry an expiry. */
    private final Map<String, User> users = new ConcurrentHashMap<>();

    private Broker start(boolean strictHeaders) { return start(strictHeaders, 0); }

    private Broker start(boolean strictHeaders, int maxConnectionsPerUser) {
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).strictHeaders(strictHeaders)
                .maxConnectionsPerUser(maxConnectionsPerUser)
                .authenticator(c -> {
                    User u = users.get(String.valueOf(c.connectOptions().user()));
                    return u == null || !u.name().equals(c.connectOptions().pass()) ? AuthResult.denied("unknown") : AuthResult.ok(u);
                }).build()).start();
        return broker;
    }

    @AfterEach
    void stop() { if (broker != null) broker.shutdown(); }

    private WireClient login(String user) {
        WireClient c = WireClient.connect("127.0.0.1", broker.port());
        c.send("CONNECT {\"verbose\":false,\"headers\":true,\"user\":\"" + user + "\",\"pass\":\"" + user + "\"}\r\n").barrier();
        return c;
    }

    /** Reads (answering server PINGs) until an -ERR line, which must come before the timeout. */
    private static String nextError(WireClient c) {
        c.timeout(Duration.ofSeconds(10));
        for (;;) {
            WireClient.Frame f = c.readFrame();
            if (f.line().startsWith("-ERR")) return f.line();
            if (f.line().equals("PING")) c.send("PONG\r\n");
        }
    }

    @Test
    void aWildcardSubscriptionWiderThanTheGrantIsRefused() {
        users.put("agent7", new User("agent7", Permissions.builder().subscribeAllow("events.agent-7.*").build()));
        start(false);
        try (WireClient c = login("agent7")) {
            assertThat(c.exchange("SUB events.agent-7.> 1\r\nSUB > 2\r\nSUB events.*.x 3\r\nSUB events.agent-7.* 4\r\nSUB events.agent-7.a 5\r\n"))
                    .isEqualTo(Outcome.open("-ERR 'Permissions Violation for Subscription to \"events.agent-7.>\"'\r\n"
                            + "-ERR 'Permissions Violation for Subscription to \">\"'\r\n"
                            + "-ERR 'Permissions Violation for Subscription to \"events.*.x\"'\r\n"));
        }
    }

    @Test
    void aQueueDenyIsEnforcedAtDelivery() {
        users.put("worker", new User("worker", Permissions.builder().subscribeAllow("jobs.>").subscribeDeny("jobs.secret q1").build()));
        users.put("pub", new User("pub"));
        start(false);
        try (WireClient w = login("worker"); WireClient p = login("pub")) {
            w.send("SUB jobs.* q1 1\r\n").barrier();
            p.send("PUB jobs.secret 2\r\nhi\r\nPUB jobs.open 2\r\nho\r\n").barrier();
            // jobs.open, published after jobs.secret, is the first thing the group member gets
            assertThat(w.readUntilMsgOn("jobs.open")).isEmpty();
        }
    }

    @Test
    void aReplySubjectOutsideTheReplyGrantIsRefusedAndNotDelivered() {
        users.put("agent", new User("agent", Permissions.builder().publishAllow("events.>").subscribeAllow("_INBOX.agent.>")
                .replyAllow("_INBOX.agent.>").build()));
        users.put("svc", new User("svc"));
        start(false);
        try (WireClient a = login("agent"); WireClient svc = login("svc")) {
            svc.send("SUB events.> 1\r\n").barrier();
            assertThat(a.exchange("PUB events.x _INBOX.victim.1 2\r\nhi\r\nPUB events.x internal.admin 2\r\nhi\r\n"))
                    .isEqualTo(Outcome.open("-ERR 'Permissions Violation for Publish with Reply of \"_INBOX.victim.1\"'\r\n"
                            + "-ERR 'Permissions Violation for Publish with Reply of \"internal.admin\"'\r\n"));
            a.send("PUB events.y _INBOX.agent.abc 2\r\nok\r\n").barrier();
            // the first message the service sees is the allowed one
            assertThat(svc.expectMsg("events.y", "1", "_INBOX.agent.abc", "ok")).isNotNull();
        }
    }

    @Test
    void aConnectionIsClosedWhenItsCredentialExpires() {
        users.put("shortlived", new User("shortlived", Permissions.ALLOW_ALL, Instant.now().plusMillis(700), "jti-1"));
        start(false);
        try (WireClient c = login("shortlived")) {
            assertThat(c.timeout(Duration.ofSeconds(10)).exchange("PING\r\n")).isEqualTo(Outcome.open("PONG\r\n"));
            assertThat(nextError(c)).isEqualTo("-ERR 'User Authentication Expired'");
        }
    }

    @Test
    void anAlreadyExpiredCredentialIsClosedAtConnect() {
        users.put("old", new User("old", Permissions.ALLOW_ALL, Instant.now().minusSeconds(1), "jti-0"));
        start(false);
        try (WireClient c = WireClient.connect("127.0.0.1", broker.port())) {
            assertThat(c.exchange("CONNECT {\"verbose\":false,\"user\":\"old\",\"pass\":\"old\"}\r\nPING\r\n"))
                    .isEqualTo(Outcome.error("User Authentication Expired"));
        }
    }

    @Test
    void closeConnectionsClosesOnlyTheRevokedCredential() {
        users.put("a", new User("a", Permissions.ALLOW_ALL, null, "jti-a"));
        users.put("b", new User("b", Permissions.ALLOW_ALL, null, "jti-b"));
        start(false);
        try (WireClient a = login("a"); WireClient b = login("b")) {
            assertThat(broker.closeConnections(u -> "jti-a".equals(u.credentialId()), "test revocation")).isEqualTo(1);
            assertThat(nextError(a)).isEqualTo("-ERR 'User Authentication Revoked'");
            assertThat(b.exchange("PING\r\n")).isEqualTo(Outcome.open("PONG\r\n"));
        }
    }

    @Test
    void strictHeadersRefuseABlockClientsCannotParse() {
        users.put("pub", new User("pub"));
        start(true);
        String[] bad = {
                "HTTP/1.1 200\r\n\r\n",          // not NATS/1.0
                "NATS/1.0\r\nno-colon\r\n\r\n",   // a line without a colon
                "NATS/1.0\r\nA: b\r\n",           // no empty line at the end
                "NATS/1.0\r\nA b: c\r\n\r\n",     // a space in the name
                "NATS/1.0 abc\r\n\r\n",          // a status that is not a number (jnats: Invalid header status code)
                "NATS/1.0 \r\n\r\n",             // an empty status
                "NATS/1.0 5030\r\n\r\n",         // four digits
        };
        for (String h : bad) {
            try (WireClient c = login("pub")) {
                String hpub = "HPUB x " + h.length() + " " + (h.length() + 2) + "\r\n" + h + "hi\r\n";
                Outcome o = c.exchange(hpub);
                assertThat(o.closed()).as(h).isTrue();
                assertThat(o.text()).as(h).startsWith("-ERR 'Message Header Violation: ");
            }
        }
        try (WireClient sub = login("pub"); WireClient c = login("pub")) {
            sub.send("SUB x 1\r\n").barrier();
            String h = "NATS/1.0 503 No Responders\r\nKey: value: with colon\r\nX-Empty:\r\n\r\n";
            assertThat(c.exchange("HPUB x " + h.length() + " " + (h.length() + 2) + "\r\n" + h + "hi\r\n")).isEqualTo(Outcome.open(""));
            assertThat(sub.readFrame().line()).isEqualTo("HMSG x 1 " + h.length() + " " + (h.length() + 2));
        }
    }

    @Test
    void withoutStrictHeadersTheBlockIsForwardedVerbatimAsByNatsServer() {
        users.put("pub", new User("pub"));
        start(false);
        try (WireClient sub = login("pub"); WireClient c = login("pub")) {
            sub.send("SUB x 1\r\n").barrier();
            String h = "garbage\r\n\r\n";
            assertThat(c.exchange("HPUB x " + h.length() + " " + (h.length() + 2) + "\r\n" + h + "hi\r\n")).isEqualTo(Outcome.open(""));
            assertThat(sub.readFrame().line()).isEqualTo("HMSG x 1 " + h.length() + " " + (h.length() + 2));
        }
    }

    @Test
    void oneUserCannotHoldMoreConnectionsThanItsCap() {
        users.put("a", new User("a"));
        users.put("b", new User("b"));
        start(false, 2);
        try (WireClient a1 = login("a"); WireClient a2 = login("a"); WireClient b1 = login("b")) {
            try (WireClient a3 = WireClient.connect("127.0.0.1", broker.port())) {
                assertThat(a3.exchange("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"a\"}\r\nPING\r\n"))
                        .isEqualTo(Outcome.error("maximum connections per user exceeded"));
            }
            assertThat(b1.exchange("PING\r\n")).isEqualTo(Outcome.open("PONG\r\n"));
            a1.close();
            // the slot comes back when a connection closes
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (WireClient again = WireClient.connect("127.0.0.1", broker.port())) {
                    return again.exchange("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"a\"}\r\nPING\r\n")
                            .equals(Outcome.open("PONG\r\n"));
                }
            });
        }
    }

    @Test
    void aSecondConnectCannotSwapTheIdentityOfAnAuthenticatedConnection() {
        users.put("victim", new User("victim", Permissions.ALLOW_ALL, null, "jti-victim"));
        users.put("mallory", new User("mallory", Permissions.ALLOW_ALL, null, "jti-mallory"));
        start(false);
        try (WireClient c = login("victim")) {
            assertThat(c.exchange("CONNECT {\"verbose\":false,\"headers\":true,\"user\":\"victim\",\"pass\":\"victim\"}\r\nPING\r\n"))
                    .as("the same credentials again are fine").isEqualTo(Outcome.open("PONG\r\n"));
            assertThat(c.exchange("CONNECT {\"verbose\":false,\"user\":\"mallory\",\"pass\":\"mallory\"}\r\nPING\r\n"))
                    .isEqualTo(Outcome.error("Authorization Violation"));
        }
    }
}
