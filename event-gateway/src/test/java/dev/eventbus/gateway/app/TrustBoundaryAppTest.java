package dev.eventbus.gateway.app;

import static dev.eventbus.gateway.app.GatewayStack.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;
import static org.awaitility.Awaitility.await;

import dev.eventbus.certs.CertUsage;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.IssuedCertificate;
import dev.eventbus.certs.LeafSpec;
import dev.eventbus.gateway.auth.AgentInbox;
import dev.eventbus.gateway.auth.TestKeys;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's attacks on the door, against the real event-gateway app with real TLS, real jnats agents and tokens from
 * {@code token issue}: each test fails on the gateway before the trust-boundary work.
 */
class TrustBoundaryAppTest {
    @TempDir Path dir;
    private GatewayStack stack;

    @AfterEach
    void stop() throws Exception {
        if (stack != null) stack.close();
    }

    private GatewayStack start(String extraAuth) throws Exception {
        stack = new GatewayStack(dir, extraAuth);
        return stack;
    }

    /** Interest crosses the gateway link asynchronously: ask until event-service's stand-in answers. */
    private static Message requestUntilAnswered(Connection c, String subject, String data) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Message m = c.request(subject, data.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500));
            if (m != null && !m.isStatusMessage()) return m;
        }
        throw new AssertionError("no answer to " + subject + " within " + WAIT);
    }

    private Connection agentWithInbox(String sub, String token, GatewayStack.Errors errors) throws Exception {
        return Nats.connect(stack.agentOptions(token, null, errors).inboxPrefix(AgentInbox.prefix(sub)).build());
    }

    // ------------------------------------------------------------------ item 3: reserved queue groups

    @Test
    void anAgentCannotJoinEventServicesQueueGroupToInterceptOtherAgentsEvents() throws Exception {
        start("");
        GatewayStack.Errors errors = new GatewayStack.Errors();
        String attackerToken = stack.token("attacker", "--sub-allow", "events.>", "_INBOX.attacker.>");
        try (Connection attacker = stack.agent(attackerToken, errors);
             Connection victim = agentWithInbox("victim", stack.token("victim"), null)) {
            Subscription hijack = attacker.subscribe("events.>", "event-service");
            attacker.flush(WAIT);
            await().atMost(WAIT).until(() -> errors.any(
                    "Permissions Violation for Subscription to \"events.>\" using queue \"event-service\", reserved queue group"));
            assertThat(attacker.getStatus()).isEqualTo(Connection.Status.CONNECTED);

            // the victim's event still reaches event-service, which acknowledges it; the attacker gets nothing
            Message ack = requestUntilAnswered(victim, "events.victim.login", "e1");
            assertThat(new String(ack.getData(), StandardCharsets.UTF_8)).isEqualTo("ack e1");
            assertThat(stack.intake).contains("e1");
            attacker.flush(WAIT);
            assertThat(hijack.getPendingMessageCount()).isZero();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(stack.http("/metrics"))
                .contains("eventbus_gateway_reserved_queue_refusals_total 1"));
        assertThat(stack.http("/authz")).contains("\"kind\": \"RESERVED_QUEUE\"").contains("\"agent\": \"attacker\"");
    }

    @Test
    void theReservedQueueGroupsAreConfigurable() throws Exception {
        start("reserved_queue_groups = [\"event-service\", \"billing\"]");
        GatewayStack.Errors errors = new GatewayStack.Errors();
        try (Connection agent = stack.agent(stack.token("agent-1", "--sub-allow", "jobs.>"), errors)) {
            agent.subscribe("jobs.run", "billing");
            agent.subscribe("jobs.run", "workers");
            agent.flush(WAIT);
            await().atMost(WAIT).until(() -> errors.any("using queue \"billing\", reserved queue group"));
            assertThat(errors.seen).noneMatch(e -> e.contains("workers"));
        }
    }

    @Test
    void aReservedQueueGroupThatIsNoNameStopsTheAppNamingTheKey() {
        Exception e = catchException(() -> start("reserved_queue_groups = [\"event service\"]"));
        assertThat(e).isNotNull();
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) chain.append(t.getMessage()).append('\n');
        assertThat(chain.toString()).contains("auth.reserved_queue_groups: \"event service\" is not a queue group name");
    }

    // ------------------------------------------------------------------ item 5: per-agent inboxes

    @Test
    void eachAgentReceivesRepliesOnlyOnItsOwnInboxPrefix() throws Exception {
        start("");
        GatewayStack.Issued a = stack.issue("agent-a");
        assertThat(a.stderr()).isEqualTo("inbox prefix: _INBOX.agent-a\n");
        GatewayStack.Errors errors = new GatewayStack.Errors();
        try (Connection agentA = agentWithInbox("agent-a", a.token(), null);
             Connection agentB = stack.agent(stack.token("agent-b"), errors)) {
            // agent-a's request/reply works on its private prefix
            Message ack = requestUntilAnswered(agentA, "events.a.run", "from-a");
            assertThat(new String(ack.getData(), StandardCharsets.UTF_8)).isEqualTo("ack from-a");

            // agent-b can read neither everyone's inbox nor agent-a's, nor aim a reply at agent-a's inbox
            agentB.subscribe("_INBOX.>");
            agentB.subscribe("_INBOX.agent-a.>");
            agentB.publish("events.b.run", "_INBOX.agent-a.forged", "x".getBytes(StandardCharsets.UTF_8));
            agentB.flush(WAIT);
            await().atMost(WAIT).until(() -> errors.any("Permissions Violation for Subscription to \"_INBOX.>\"")
                    && errors.any("Permissions Violation for Subscription to \"_INBOX.agent-a.>\"")
                    && errors.any("Permissions Violation for Publish with Reply of \"_INBOX.agent-a.forged\""));
            assertThat(agentB.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
        // the health probe answers on its own private prefix
        await().atMost(WAIT).until(() -> stack.get("/healthz").statusCode() == 200);
    }

    // ------------------------------------------------------------------ item 7: expiry and revocation

    @Test
    void aConnectionIsClosedWhenItsTokenExpires() throws Exception {
        start("clock_skew = \"0s\"");
        GatewayStack.Errors errors = new GatewayStack.Errors();
        String token = stack.issue("short-lived", "--ttl", "3s").token();
        try (Connection c = stack.agent(token, errors)) {
            assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            await().atMost(WAIT).until(() -> errors.any("User Authentication Expired"));
            await().atMost(WAIT).until(() -> c.getStatus() == Connection.Status.CLOSED);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(stack.http("/metrics"))
                .contains("eventbus_gateway_token_expiries_total 1"));
        assertThat(stack.http("/authz")).contains("\"kind\": \"EXPIRED\"").contains("\"agent\": \"short-lived\"");
    }

    @Test
    void aConnectionIsClosedSoonAfterItsTokenIsRevoked() throws Exception {
        Path revoked = Files.writeString(dir.resolve("revoked.txt"), "# revoked jti\n");
        start("revocation_file = \"revoked.txt\"");
        GatewayStack.Errors errors = new GatewayStack.Errors();
        GatewayStack.Errors bystanderErrors = new GatewayStack.Errors();
        try (Connection stolen = stack.agent(stack.token("laptop", "--jti", "stolen-1"), errors);
             Connection bystander = stack.agent(stack.token("desktop", "--jti", "fine-1"), bystanderErrors)) {
            Path tmp = Files.writeString(dir.resolve("revoked.tmp"), "# revoked jti\nstolen-1\n");
            Files.move(tmp, revoked, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            await().atMost(WAIT).until(() -> errors.any("User Authentication Revoked"));
            await().atMost(WAIT).until(() -> stolen.getStatus() == Connection.Status.CLOSED);
            bystander.flush(WAIT);
            assertThat(bystander.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(bystanderErrors.seen).isEmpty();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(stack.http("/metrics"))
                .contains("eventbus_gateway_token_revocations_total 1"));
        assertThat(stack.http("/authz")).contains("\"kind\": \"REVOKED\"").contains("\"agent\": \"laptop\"");
    }

    // ------------------------------------------------------------------ items 9 and 10: connections per agent

    @Test
    void oneAgentCannotOpenMoreConnectionsThanItsCapWhileOthersStillConnect() throws Exception {
        stack = new GatewayStack(dir, "", "[agent_limits]\nmax_connections_per_agent = 2");
        String token = stack.token("greedy");
        try (Connection first = stack.agent(token, null); Connection second = stack.agent(token, null)) {
            GatewayStack.Errors errors = new GatewayStack.Errors();
            Exception refused = catchException(() -> stack.agent(token, errors).close());
            assertThat(refused).isNotNull();
            assertThat(errors.seen).anySatisfy(e -> assertThat(e).contains("maximum connections per user exceeded"));
            // the cap is per agent: the greedy agent keeps its two, another agent still gets in
            try (Connection other = stack.agent(stack.token("modest"), null)) {
                assertThat(other.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
            first.flush(WAIT);
            second.flush(WAIT);
            assertThat(first.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(second.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            // a closed connection gives its slot back
            first.close();
            await().atMost(WAIT).until(() -> {
                try (Connection again = stack.agent(token, null)) {
                    return again.getStatus() == Connection.Status.CONNECTED;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aZeroTotalConnectionCapStopsTheAppNamingTheKey() {
        Exception e = catchException(() -> stack = new GatewayStack(dir, "", "[agent_limits]\nmax_connections = 0"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("agent_limits.max_connections").contains("expected an integer 1..");
    }

    // ------------------------------------------------------------------ item 13: public_key_files

    @Test
    void publicKeyFilesStartTheAppAndVerifyTokens() throws Exception {
        TestKeys.writePrivatePem(dir, "issuer-ec.pem", TestKeys.EC);
        TestKeys.writePublicPem(dir, "issuer-ec.pub.pem", TestKeys.EC);
        start("public_key_files = [\"issuer-ec.pub.pem\"]");
        String es256 = stack.token("agent-ec", "--key", dir.resolve("issuer-ec.pem").toString());
        assertThat(es256).isNotEmpty();
        try (Connection c = stack.agent(es256, null)) {
            assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    // ------------------------------------------------------------------ certificate-bound tokens

    @Test
    void aCertificateBoundTokenIsAcceptedOnlyWithItsClientCertificate() throws Exception {
        start("");
        // a second agent certificate from the same (agent) CA: valid for TLS, but not the one the token is bound to
        IssuedCertificate other = stack.pki.agentCa().issue(LeafSpec.of("agent-2", CertUsage.CLIENT, "agent-2"));
        other.write(stack.crt("agent-2"), stack.key("agent-2"));
        String bound = stack.token("agent-bound", "--bind-cert", DevPki.certFile(dir, DevPki.AGENT).toString());

        try (Connection right = Nats.connect(stack.agentOptions(bound, DevPki.AGENT, null).build())) {
            assertThat(right.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
        assertThat(catchException(() -> Nats.connect(stack.agentOptions(bound, "agent-2", null).build()).close()))
                .isNotNull();
        assertThat(catchException(() -> Nats.connect(stack.agentOptions(bound, null, null).build()).close()))
                .isNotNull();
        await().atMost(WAIT).untilAsserted(() -> assertThat(stack.http("/metrics"))
                .contains("eventbus_gateway_auth_refused_total{reason=\"cert_mismatch\"} 2"));
        assertThat(stack.http("/authz")).contains("\"reason\": \"CERT_MISMATCH\"").contains("\"agent\": \"agent-bound\"")
                .contains("\"count\": 2");
    }

    // ------------------------------------------------------------------ the audit trail

    @Test
    void refusalsAndPermissionViolationsAreInTheAuditTrailAndMetrics() throws Exception {
        start("audience = \"event-gateway\"");
        String wrongAudience = stack.token("agent-7", "--aud", "someone-else");
        for (int i = 0; i < 3; i++) {
            assertThat(catchException(() -> stack.agent(wrongAudience, null).close())).isNotNull();
        }
        GatewayStack.Errors errors = new GatewayStack.Errors();
        try (Connection agent = stack.agent(stack.token("agent-8", "--aud", "event-gateway"), errors)) {
            agent.publish("jobs.run", "x".getBytes(StandardCharsets.UTF_8));
            agent.flush(WAIT);
            await().atMost(WAIT).until(() -> errors.any("Permissions Violation for Publish to \"jobs.run\""));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(stack.http("/metrics"))
                .contains("eventbus_gateway_auth_refused_total{reason=\"wrong_audience\"} 3")
                .contains("eventbus_gateway_permission_violations_total 1"));
        String authz = stack.http("/authz");
        assertThat(authz).contains("\"kind\": \"REFUSED\",\n      \"agent\": \"agent-7\",\n      \"reason\": \"WRONG_AUDIENCE\",\n      \"count\": 3")
                .contains("\"kind\": \"PERMISSION_VIOLATION\",\n      \"agent\": \"agent-8\",\n      \"reason\": \"PUBLISH\",\n      \"count\": 1")
                .contains("\"remote\": \"127.0.0.1:");
    }
}
