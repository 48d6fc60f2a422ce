package dev.eventbus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;
import static org.awaitility.Awaitility.await;

import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.Pem;
import dev.eventbus.gateway.auth.CertificateBinding;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent attacks the other agents through the door, against both apps as processes: it tries to intercept their
 * events in event-service's queue group, read their replies, keep a revoked token's connection, or use a token bound
 * to another machine's certificate. Each is refused, and audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentGrantAttacksTest {
    private Stack stack;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        stack = Stack.start(dir, "", "");
    }

    @AfterAll
    void stop() { if (stack != null) stack.close(); }

    /** Collects the -ERR texts an agent is told. */
    static final class Errors implements ErrorListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override public void errorOccurred(Connection conn, String error) { seen.add(error); }

        boolean any(String fragment) { return seen.stream().anyMatch(e -> e.contains(fragment)); }
    }

    private Connection agent(String token, Errors errors) throws Exception {
        return Nats.connect(stack.agentOptions(token).errorListener(errors).build());
    }

    private static String ack(Connection agent, String id) throws Exception { return Stack.ack(agent, id); }

    private String monitor(String path) { return stack.get("http://127.0.0.1:" + stack.gatewayMonitor + path).body(); }

    @Test
    void joiningEventServicesQueueGroupIsRefusedAndEventsStillReachEventService() throws Exception {
        String attackerToken = stack.token("attacker", Duration.ofMinutes(5), c -> c.claim("nats",
                Map.of("sub", Map.of("allow", List.of("events.>", "_INBOX.attacker.>")))));
        Errors errors = new Errors();
        try (Connection attacker = agent(attackerToken, errors);
             Connection victim = stack.agent(stack.token("victim"))) {
            Subscription hijack = attacker.subscribe("events.>", "event-service");
            attacker.flush(Duration.ofSeconds(5));
            await().atMost(Stack.WAIT).until(() -> errors.any("using queue \"event-service\", reserved queue group"));

            assertThat(ack(victim, "victim-1")).contains("\"accepted\":true");
            await().atMost(Stack.WAIT).until(() -> stack.delivered.stream().anyMatch(d -> d.contains("\"victim-1\"")));
            attacker.flush(Duration.ofSeconds(5));
            assertThat(hijack.getPendingMessageCount()).isZero();
        }
        assertThat(monitor("/metrics")).contains("eventbus_gateway_reserved_queue_refusals_total 1");
        await().atMost(Stack.WAIT).until(() -> stack.gatewayLog().contains("auth audit: RESERVED_QUEUE RESERVED_QUEUE agent=attacker"));
    }

    @Test
    void anAgentCannotReadAnotherAgentsReplies() throws Exception {
        Errors errors = new Errors();
        try (Connection owner = stack.agent(stack.token("owner"));
             Connection snoop = agent(stack.token("snoop"), errors)) {
            snoop.subscribe("_INBOX.>");
            snoop.subscribe("_INBOX.owner.>");
            snoop.flush(Duration.ofSeconds(5));
            await().atMost(Stack.WAIT).until(() -> errors.any("Subscription to \"_INBOX.>\"")
                    && errors.any("Subscription to \"_INBOX.owner.>\""));
            assertThat(ack(owner, "owner-1")).contains("\"accepted\":true");
        }
        assertThat(monitor("/authz")).contains("\"agent\": \"snoop\"").contains("\"reason\": \"SUBSCRIBE\"");
    }

    @Test
    void aRevokedTokensConnectionIsClosed() throws Exception {
        Errors errors = new Errors();
        try (Connection stolen = agent(stack.token("laptop", Duration.ofMinutes(5), c -> c.jwtID("stolen-jti")), errors)) {
            assertThat(ack(stolen, "laptop-1")).contains("\"accepted\":true");
            Path tmp = Files.writeString(stack.dir.resolve("revoked.tmp"), "stolen-jti\n");
            Files.move(tmp, stack.dir.resolve("revoked.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Stack.WAIT).until(() -> errors.any("User Authentication Revoked"));
            await().atMost(Stack.WAIT).until(() -> stolen.getStatus() == Connection.Status.CLOSED);
        }
        assertThat(monitor("/metrics")).contains("eventbus_gateway_token_revocations_total 1");
    }

    @Test
    void aCertificateBoundTokenIsUselessWithoutItsCertificate() throws Exception {
        Path pki = stack.dir.resolve("pki");
        String bound = stack.token("bound-agent", Duration.ofMinutes(5), c -> c.claim(CertificateBinding.CLAIM,
                CertificateBinding.claim(Pem.readCertificate(pki.resolve("agent.crt")))));
        try (Connection withCert = Nats.connect(stack.agentOptions(bound)
                .sslContext(JdkSslContexts.client(pki.resolve("ca.crt"), pki.resolve("agent.crt"), pki.resolve("agent.key")))
                .build())) {
            assertThat(ack(withCert, "bound-1")).contains("\"accepted\":true");
        }
        assertThat(catchException(() -> stack.agent(bound).close())).as("the same token without the certificate").isNotNull();
        assertThat(monitor("/metrics")).contains("eventbus_gateway_auth_refused_total{reason=\"cert_mismatch\"} 1");
    }
}
