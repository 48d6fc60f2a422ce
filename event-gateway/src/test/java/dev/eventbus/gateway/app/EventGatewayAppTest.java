package dev.eventbus.gateway.app;

import static dev.eventbus.gateway.app.GatewayStack.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.gateway.auth.AgentInbox;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-gateway application end to end: certificates from {@code certs init}, a TOML config, an agent with a
 * minted token over TLS, the gateway link over mutual TLS to a stand-in event-service (a plain broker with the
 * gateway name event-service), /healthz and /metrics.
 */
class EventGatewayAppTest {
    @TempDir java.nio.file.Path dir;
    private GatewayStack stack;

    @BeforeEach
    void start() throws Exception {
        stack = new GatewayStack(dir, "");
    }

    @AfterEach
    void stop() throws Exception {
        if (stack != null) stack.close();
    }

    @Test
    void anAgentWithATokenPublishesAcrossTheGatewayAndGetsReplies() throws Exception {
        Subscription events = stack.serviceSide.subscribe("events.>");
        stack.serviceSide.flush(Duration.ofSeconds(2));
        try (Connection agent = Nats.connect(stack.agentOptions(stack.token("agent-7"), null, null)
                .inboxPrefix(AgentInbox.prefix("agent-7")).build())) {
            Message got = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got == null && System.nanoTime() < deadline) { // interest crosses the link asynchronously
                agent.publish("events.x", "{\"event_id\":\"1\"}".getBytes());
                agent.flush(Duration.ofSeconds(2));
                got = events.nextMessage(Duration.ofMillis(200));
            }
            assertThat(got).isNotNull();
            assertThat(got.getSubject()).isEqualTo("events.x");
            Message reply = agent.request("events.request", "42".getBytes(), Duration.ofSeconds(5));
            assertThat(reply).isNotNull();
            assertThat(new String(reply.getData())).isEqualTo("ack 42");
        }
    }

    @Test
    void anAcknowledgementSlowerThanTheReplyMappingStillReachesTheAgent() throws Exception {
        try (Connection agent = Nats.connect(stack.agentOptions(stack.token("agent-7"), null, null)
                .inboxPrefix(AgentInbox.prefix("agent-7")).build())) {
            Message fast = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (fast == null && System.nanoTime() < deadline) { // interest crosses the link asynchronously
                Message m = agent.request("events.warm-up", "0".getBytes(), Duration.ofMillis(500));
                if (m != null && !m.isStatusMessage()) fast = m;
            }
            assertThat(fast).isNotNull();
            // event-service answers after 3 s, when its broker no longer routes the reply by the _GR_ mapping but
            // as a plain message on the agent's inbox
            Message slow = agent.request(GatewayStack.SLOW_PREFIX + "x", "43".getBytes(), Duration.ofSeconds(10));
            assertThat(slow).as("the acknowledgement sent after %s", GatewayStack.SLOW_ACK).isNotNull();
            assertThat(new String(slow.getData())).isEqualTo("ack 43");
        }
    }

    @Test
    void theMergedTomlIsTheApplicationsPropertySource() {
        ServiceSettings settings = stack.app.getBean(ServiceSettings.class);
        assertThat(settings.port()).isEqualTo(stack.agentPort);
        assertThat(settings.clientCertificates()).isEqualTo("optional");
        assertThat(settings.disableFrontendTls()).isFalse();
    }

    @Test
    void aDeniedSubjectGetsAPermissionsViolationAndNoDelivery() throws Exception {
        Subscription other = stack.serviceSide.subscribe("jobs.>");
        stack.serviceSide.flush(Duration.ofSeconds(2));
        GatewayStack.Errors errors = new GatewayStack.Errors();
        try (Connection agent = stack.agent(stack.token("agent-7"), errors)) {
            agent.publish("jobs.run", "x".getBytes());
            agent.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> errors.any("Permissions Violation for Publish to \"jobs.run\""));
            assertThat(other.nextMessage(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void aRefusedTokenIsAnAuthorizationViolationAndCountedByReason() throws Exception {
        String wrongIssuer = stack.token("agent-7", "--iss", "someone-else");
        Exception e = org.assertj.core.api.Assertions.catchException(() -> stack.agent(wrongIssuer, null).close());
        assertThat(e).isNotNull();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(stack.http("/metrics")).contains("eventbus_gateway_auth_refused_total{reason=\"wrong_issuer\"} 1"));
    }

    @Test
    void healthzIsUnavailableWhenEventServiceAnswersThatItIsUnhealthy() throws Exception {
        await().atMost(WAIT).until(() -> stack.get("/healthz").statusCode() == 200);
        stack.healthAnswer = "{\"status\":\"unhealthy\",\"reasons\":[\"intake: 1 of 3 connections down\"]}";
        try {
            assertThat(stack.get("/healthz").statusCode()).isEqualTo(503);
            assertThat(stack.http("/healthz")).contains("intake: 1 of 3 connections down");
        } finally {
            stack.healthAnswer = "{\"status\":\"ok\"}";
        }
    }

    @Test
    void healthzDoesARealRequestThroughTheLinkAndMetricsShowTheLink() throws Exception {
        await().atMost(WAIT).until(() -> stack.get("/healthz").statusCode() == 200);
        assertThat(stack.http("/healthz")).contains("\"status\":\"ok\"");
        String metrics = stack.http("/metrics");
        assertThat(metrics).contains("eventbus_gateway_link_up{gateway=\"event-service\",link=\"outbound\"} 1")
                .contains("# TYPE eventbus_connections gauge");
        assertThat(stack.http("/gatewayz")).contains("\"name\": \"event-gateway\"").contains("\"event-service\"");
        // the link to event-service goes down: health says so
        stack.serviceSide.close();
        stack.service.shutdown();
        await().atMost(WAIT).until(() -> stack.get("/healthz").statusCode() == 503);
    }
}
