package dev.eventbus.gateway.auth;

import static dev.eventbus.gateway.auth.TestKeys.AUD;
import static dev.eventbus.gateway.auth.TestKeys.ISS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authenticator inside a real broker, with the real jnats client. */
class EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String HEALTH_TOKEN = "HEALTHCHECK-" + "q7Zt0cWm3bVx9YpLk2Rn";

    @TempDir static Path dir;
    private static final CountingAuthMetrics metrics = new CountingAuthMetrics();
    private static Broker broker;
    private static String url;

    @BeforeAll
    static void start() {
        JwtAuthenticator jwtAuth = new JwtAuthenticator(JwtAuthOptions.builder()
                .publicKeyFile(TestKeys.writePublicPem(dir, "issuer.pub.pem", TestKeys.EC))
                .issuer(ISS).audience(AUD)
                .healthCheckToken(HEALTH_TOKEN)
                .metrics(metrics)
                .build());
        // CONNECT carries the token: the control line must have room for the largest token plus the JSON around it
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .maxControlLine(JwtAuthOptions.DEFAULT_MAX_TOKEN_BYTES + 4096)
                .authenticator(jwtAuth).build()).start();
        url = "nats://127.0.0.1:" + broker.port();
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.shutdown();
    }

    private static String token(JWTClaimsSet.Builder claims) { return TestKeys.es256(TestKeys.EC, claims.build()); }

    private static JWTClaimsSet.Builder claims(String sub) { return TestKeys.claims(sub, Instant.now()); }

    private static Options.Builder options(String token, ErrorListener listener) {
        // jnats refuses to send a CONNECT longer than its own max control line (4096 by default)
        return new Options.Builder().server(url).token(token.toCharArray()).noReconnect()
                .maxControlLine(16 * 1024).connectionTimeout(WAIT).errorListener(listener);
    }

    private static Connection connect(String token) throws Exception {
        return connect(token, new ErrorListener() {});
    }

    private static Connection connect(String token, ErrorListener listener) throws Exception {
        return Nats.connect(options(token, listener).build());
    }

    private static void assertAuthorizationViolation(String token) {
        // jnats reports the -ERR, then gives up only when its connection timeout expires: keep that short here
        assertThatThrownBy(() -> Nats.connect(options(token, new ErrorListener() {})
                .connectionTimeout(Duration.ofSeconds(1)).build()).close())
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e + " " + e.getCause()).containsIgnoringCase("Authorization Violation"));
    }

    @Test
    void aValidTokenPublishesEventsThatAnotherAgentReceives() throws Exception {
        String subscriberToken = token(claims("dashboard").claim("nats",
                TestKeys.nats(List.of("_INBOX.>"), List.of(), List.of("events.>", "_INBOX.>"), List.of())));
        try (Connection sub = connect(subscriberToken); Connection pub = connect(token(claims("agent-1")))) {
            var subscription = sub.subscribe("events.>");
            sub.flush(WAIT);
            pub.publish("events.x", "hello".getBytes(UTF_8));
            pub.flush(WAIT);
            Message m = subscription.nextMessage(WAIT);
            assertThat(m).isNotNull();
            assertThat(m.getSubject()).isEqualTo("events.x");
            assertThat(new String(m.getData(), UTF_8)).isEqualTo("hello");
        }
        assertThat(metrics.successes()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anExpiredTokenIsRefusedWithAnAuthorizationViolation() {
        Instant past = Instant.now().minus(Duration.ofHours(3));
        long before = metrics.failures(Reason.EXPIRED);
        assertAuthorizationViolation(token(TestKeys.claims("agent-1", past)
                .expirationTime(Date.from(past.plus(Duration.ofHours(1))))));
        assertThat(metrics.failures(Reason.EXPIRED)).isEqualTo(before + 1);
    }

    @Test
    void otherRefusalsAreAuthorizationViolationsToo() {
        long malformed = metrics.failures(Reason.MALFORMED);
        long oversized = metrics.failures(Reason.OVERSIZED);
        long audience = metrics.failures(Reason.WRONG_AUDIENCE);
        assertAuthorizationViolation("not-a-jwt");
        String big = token(claims("agent-1").claim("padding", "p".repeat(6000)));
        assertThat(big.length()).isBetween(JwtAuthOptions.DEFAULT_MAX_TOKEN_BYTES + 1, JwtAuthOptions.DEFAULT_MAX_TOKEN_BYTES + 1024);
        assertAuthorizationViolation(big);
        assertAuthorizationViolation(token(claims("agent-1").audience("someone-else")));
        assertThat(metrics.failures(Reason.MALFORMED)).isEqualTo(malformed + 1);
        assertThat(metrics.failures(Reason.OVERSIZED)).isEqualTo(oversized + 1);
        assertThat(metrics.failures(Reason.WRONG_AUDIENCE)).isEqualTo(audience + 1);
    }

    @Test
    void aPublishToADeniedSubjectIsAPermissionsViolationAndIsNotDelivered() throws Exception {
        String restricted = token(claims("agent-2").claim("nats",
                TestKeys.nats(List.of("events.>"), List.of("events.secret.>"), List.of("_INBOX.>"), List.of())));
        String watcher = token(claims("watcher").claim("nats",
                TestKeys.nats(List.of("_INBOX.>"), List.of(), List.of(">"), List.of())));
        List<String> errors = new CopyOnWriteArrayList<>();
        ErrorListener listener = new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        };
        List<String> received = new CopyOnWriteArrayList<>();
        try (Connection w = connect(watcher); Connection agent = connect(restricted, listener)) {
            w.createDispatcher(m -> received.add(m.getSubject())).subscribe(">");
            w.flush(WAIT);

            agent.publish("events.secret.plans", "x".getBytes(UTF_8));
            agent.publish("habitat.event.x", "x".getBytes(UTF_8)); // outside the allow list
            agent.publish("events.marker", "y".getBytes(UTF_8));
            agent.flush(WAIT);

            await().atMost(WAIT).until(() -> received.contains("events.marker"));
            // published after the denied ones on the same connection: had they been delivered, they would be here
            assertThat(received).containsExactly("events.marker");
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(
                    e -> e.contains("Permissions Violation for Publish to \"events.secret.plans\"")));
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(
                    e -> e.contains("Permissions Violation for Publish to \"habitat.event.x\"")));
            assertThat(agent.getStatus()).isEqualTo(Connection.Status.CONNECTED);

            // the default subscribe permission is the inbox only
            agent.subscribe("events.>");
            agent.flush(WAIT);
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(
                    e -> e.contains("Permissions Violation for Subscription to \"events.>\"")));
        }
    }

    @Test
    void theHealthCheckTokenRequestsOnHealthcheckSubjectsAndReceivesOnlyOnItsPrivateInbox() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        ErrorListener listener = new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        };
        String responder = token(claims("responder").claim("nats",
                TestKeys.nats(List.of("_INBOX.>"), List.of(), List.of("healthcheck.>"), List.of())));
        long before = metrics.healthChecks();
        try (Connection service = connect(responder);
             Connection nc = Nats.connect(options(HEALTH_TOKEN, listener).inboxPrefix(AgentInbox.HEALTH_CHECK_PREFIX).build())) {
            assertThat(metrics.healthChecks()).isEqualTo(before + 1);
            String slug = "healthcheck.3f9a1c";
            service.createDispatcher(m -> service.publish(m.getReplyTo(), m.getData())).subscribe(slug);
            service.flush(WAIT);
            Message reply = nc.request(slug, "ping".getBytes(UTF_8), WAIT);
            assertThat(reply).isNotNull();
            assertThat(new String(reply.getData(), UTF_8)).isEqualTo("ping");

            nc.publish("events.x", new byte[0]);
            nc.subscribe("_INBOX.>");
            nc.flush(WAIT);
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(
                    e -> e.contains("Permissions Violation for Publish to \"events.x\"")));
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(
                    e -> e.contains("Permissions Violation for Subscription to \"_INBOX.>\"")));
        }
    }
}
