package dev.eventbus.gateway.auth;

import static dev.eventbus.gateway.auth.TestKeys.CLOCK;
import static dev.eventbus.gateway.auth.TestKeys.HMAC_SECRET;
import static dev.eventbus.gateway.auth.TestKeys.claims;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.auth.Permissions;
import dev.eventbus.broker.subject.Subjects;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentInboxTest {
    private final JwtAuthenticator auth = new JwtAuthenticator(
            JwtAuthOptions.builder().hmacSecret(HMAC_SECRET).clock(CLOCK).build());

    private Permissions of(String sub, Map<String, Object> nats) {
        var c = claims(sub);
        if (nats != null) c.claim("nats", nats);
        TokenVerification v = auth.verify(TestKeys.hs256(HMAC_SECRET, c.build()));
        assertThat(v.ok()).as(v.describe()).isTrue();
        return v.user().permissions();
    }

    @Test
    void aSimpleSubIsItsOwnInboxToken() {
        assertThat(AgentInbox.prefix("agent-7")).isEqualTo("_INBOX.agent-7");
        assertThat(AgentInbox.prefix("Node_42")).isEqualTo("_INBOX.Node_42");
    }

    @Test
    void anyOtherSubIsHashedIntoOneTokenThatNoSimpleSubCanBe() {
        for (String sub : List.of("a.b", "a b", "a*", "a>", "user@example.com", "ä", "~abc")) {
            String token = AgentInbox.token(sub);
            assertThat(token).as(sub).startsWith("~").hasSize(25).doesNotContain(".", "*", ">", " ");
            assertThat(Subjects.isValidLiteralSubject("_INBOX." + token + ".x")).isTrue();
        }
        assertThat(AgentInbox.token("a.b")).isNotEqualTo(AgentInbox.token("a.c"));
    }

    @Test
    void agentADoesNotReachTheInboxOfAgentADotB() {
        Permissions a = of("a", null);
        Permissions ab = of("a.b", null);
        String abInbox = AgentInbox.prefix("a.b") + ".reply1";
        assertThat(ab.canSubscribe(AgentInbox.prefix("a.b") + ".>", null)).isTrue();
        assertThat(a.canSubscribe(AgentInbox.prefix("a.b") + ".>", null)).isFalse();
        assertThat(a.canSubscribe("_INBOX.a.b.>", null)).isTrue(); // a's own inbox, which is not a.b's
        assertThat(Subjects.matches("_INBOX.a.>", abInbox)).isFalse();
        assertThat(a.canReplyTo(abInbox)).isFalse();
    }

    @Test
    void theHealthCheckPrefixIsNoAgentsPrefix() {
        assertThat(AgentInbox.HEALTH_CHECK_PREFIX).isEqualTo("_INBOX.!health-check");
        assertThat(AgentInbox.prefix("!health-check")).isNotEqualTo(AgentInbox.HEALTH_CHECK_PREFIX);
        assertThat(of("health_check_client", null).canSubscribe(AgentInbox.HEALTH_CHECK_PREFIX + ".>", null)).isFalse();
    }

    @Test
    void anExplicitClaimMayUseTheAgentPlaceholderAndKeepsWorkingWithoutIt() {
        Permissions templated = of("agent-9", Map.of("sub", Map.of("allow", List.of("_INBOX.{agent}.>", "jobs.{agent}.*"))));
        assertThat(templated.canSubscribe("jobs.agent-9.run", null)).isTrue();
        assertThat(templated.canSubscribe("jobs.agent-8.run", null)).isFalse();
        assertThat(templated.canReplyTo("_INBOX.agent-9.x")).isTrue();

        // an explicit _INBOX.> grant works as before: replies anywhere under _INBOX
        Permissions wide = of("agent-9", Map.of("sub", Map.of("allow", List.of("_INBOX.>"))));
        assertThat(wide.canSubscribe("_INBOX.anything.>", null)).isTrue();
        assertThat(wide.canReplyTo("_INBOX.anything.x")).isTrue();
        assertThat(wide.canReplyTo("internal.admin")).isFalse();
    }
}
