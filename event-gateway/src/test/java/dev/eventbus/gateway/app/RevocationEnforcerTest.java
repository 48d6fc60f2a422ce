package dev.eventbus.gateway.app;

import static dev.eventbus.gateway.app.GatewayStack.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.auth.AuthResult;
import dev.eventbus.broker.auth.Permissions;
import dev.eventbus.broker.auth.User;
import dev.eventbus.gateway.auth.AuthAudit;
import dev.eventbus.gateway.auth.CountingAuthMetrics;
import dev.eventbus.gateway.auth.JwtAuthOptions;
import dev.eventbus.gateway.auth.JwtAuthenticator;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The revocation race: a connection whose token was checked before the revocation file changed, and whose user the
 * broker assigned only after the enforcement pass that applied the change, so that pass could not close it.
 *
 * <p>The broker here admits such connections directly (its authenticator stands for "checked before the file
 * changed": it hands out the user for the presented token without looking at the revocation list); the enforcer
 * reads the real revocation file through a real {@link JwtAuthenticator}, and agents are real jnats clients.
 */
class RevocationEnforcerTest {
    @TempDir Path dir;
    private Broker broker;
    private JwtAuthenticator authenticator;
    private final CountingAuthMetrics metrics = new CountingAuthMetrics();
    private final AuthAudit audit = new AuthAudit();
    private RevocationEnforcer enforcer;

    @BeforeEach
    void start() throws Exception {
        // the revocation of stolen-1 is already in the file: the pass that applied it saw no connection of it
        Path revoked = Files.writeString(dir.resolve("revoked.txt"), "# revoked jti\nstolen-1\n");
        authenticator = new JwtAuthenticator(JwtAuthOptions.builder()
                .hmacSecret("a-shared-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8))
                .revocationFile(revoked).build());
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                .authenticator(c -> AuthResult.ok(new User(c.connectOptions().authToken().equals("stolen") ? "laptop" : "desktop",
                        Permissions.ALLOW_ALL, null, c.connectOptions().authToken() + "-1")))
                .build()).start();
    }

    @AfterEach
    void stop() {
        if (enforcer != null) enforcer.close();
        if (broker != null) broker.shutdown();
    }

    private Connection connect(String token, GatewayStack.Errors errors) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + broker.port()).token(token.toCharArray())
                .maxReconnects(0).errorListener(errors).build());
    }

    @Test
    void aConnectionThatAppearsAfterAPassIsClosedOnTheNextTick() throws Exception {
        enforcer = new RevocationEnforcer(broker, authenticator, metrics, audit, Duration.ofMillis(100));
        assertThat(authenticator.revokedIds()).containsExactly("stolen-1");
        GatewayStack.Errors errors = new GatewayStack.Errors();
        GatewayStack.Errors bystanderErrors = new GatewayStack.Errors();
        // the revocation file does not change again: only a tick that applies the whole list can close it
        try (Connection stolen = connect("stolen", errors); Connection bystander = connect("fine", bystanderErrors)) {
            await().atMost(WAIT).until(() -> errors.any("User Authentication Revoked"));
            await().atMost(WAIT).until(() -> stolen.getStatus() == Connection.Status.CLOSED);
            bystander.flush(WAIT);
            assertThat(bystander.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(bystanderErrors.seen).isEmpty();
        }
    }

    @Test
    void enforcementIsIdempotentAndAuditsEachClosedConnectionOnce() throws Exception {
        enforcer = new RevocationEnforcer(broker, authenticator, metrics, audit, Duration.ofHours(1));
        assertThat(enforcer.check()).isZero(); // the pass: nothing of stolen-1 is connected yet
        GatewayStack.Errors errors = new GatewayStack.Errors();
        try (Connection stolen = connect("stolen", errors); Connection bystander = connect("fine", new GatewayStack.Errors())) {
            assertThat(enforcer.check()).isEqualTo(1);
            await().atMost(WAIT).until(() -> stolen.getStatus() == Connection.Status.CLOSED);
            assertThat(errors.any("User Authentication Revoked")).isTrue();
            // later ticks find nothing more to close, and say nothing more about it
            assertThat(enforcer.check()).isZero();
            assertThat(enforcer.check()).isZero();
            bystander.flush(WAIT);
            assertThat(bystander.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
        assertThat(metrics.revocations()).isEqualTo(1);
        assertThat(audit.entries()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(AuthAudit.Kind.REVOKED);
            assertThat(e.agent()).isEqualTo("laptop");
            assertThat(e.count()).isEqualTo(1);
        });
    }
}
