package dev.eventbus.gateway.auth;

import static dev.eventbus.gateway.auth.TestKeys.CLOCK;
import static dev.eventbus.gateway.auth.TestKeys.HMAC_SECRET;
import static dev.eventbus.gateway.auth.TestKeys.claims;
import static dev.eventbus.gateway.auth.TestKeys.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.eventbus.broker.auth.AuthResult;
import dev.eventbus.broker.auth.Permissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubjectPermissionsTest {
    private final JwtAuthenticator auth = new JwtAuthenticator(
            JwtAuthOptions.builder().hmacSecret(HMAC_SECRET).clock(CLOCK).build());

    private Permissions permissionsOf(Object natsClaim) {
        var c = claims("agent-1");
        if (natsClaim != null) c.claim("nats", natsClaim);
        AuthResult r = auth.authenticate(client(TestKeys.hs256(HMAC_SECRET, c.build())));
        assertThat(r.isOk()).as(r.failureReason()).isTrue();
        return r.user().permissions();
    }

    @Test
    void withoutANatsClaimAnAgentPublishesEventsAndSubscribesItsInbox() {
        Permissions p = permissionsOf(null);
        assertThat(p.canPublish("events.x")).isTrue();
        assertThat(p.canPublish("events.node.42.run")).isTrue();
        assertThat(p.canPublish("habitat.event.x")).isFalse();
        assertThat(p.canPublish("_INBOX.abc")).isFalse();
        // its own inbox only (the token's sub is "agent-1"), and replies only there
        assertThat(p.canSubscribe("_INBOX.agent-1.>", null)).isTrue();
        assertThat(p.canSubscribe("_INBOX.abc.>", null)).isFalse();
        assertThat(p.canSubscribe("_INBOX.>", null)).isFalse();
        assertThat(p.canReplyTo("_INBOX.agent-1.x1")).isTrue();
        assertThat(p.canReplyTo("_INBOX.agent-2.x1")).isFalse();
        assertThat(p.canReplyTo("internal.admin")).isFalse();
        assertThat(p.canSubscribe("events.>", null)).isFalse();
        assertThat(p.canSubscribe(">", null)).isFalse();
    }

    @Test
    void theClaimSetsAllFourLists() throws Exception {
        Object claim = JSONObjectUtils.parse("""
                {"pub": {"allow": ["events.agent-1.>", "_INBOX.>"], "deny": ["events.agent-1.secret.>"]},
                 "sub": {"allow": ["events.>", "_INBOX.>", "jobs.* workers"], "deny": ["events.private"]}}""");
        Permissions p = permissionsOf(claim);
        assertThat(p.canPublish("events.agent-1.run")).isTrue();
        assertThat(p.canPublish("events.agent-1.secret.key")).isFalse();
        assertThat(p.canPublish("events.agent-2.run")).isFalse();
        assertThat(p.canPublish("_INBOX.reply")).isTrue();
        assertThat(p.canSubscribe("events.>", null)).isTrue();
        assertThat(p.canSubscribe("events.private", null)).isFalse();
        assertThat(p.deliveryDenied("events.private")).isTrue();
        assertThat(p.canSubscribe("jobs.a", "workers")).isTrue();
        assertThat(p.canSubscribe("jobs.a", "others")).isFalse();
        assertThat(p.canSubscribe("jobs.a", null)).isFalse();
    }

    @Test
    void eachAbsentListKeepsItsDefault() {
        // only pub.allow: pub.deny, sub.allow, sub.deny come from the defaults
        Permissions p = permissionsOf(Map.of("pub", Map.of("allow", List.of("telemetry.>"))));
        assertThat(p.canPublish("telemetry.cpu")).isTrue();
        assertThat(p.canPublish("events.x")).isFalse();
        assertThat(p.canSubscribe("_INBOX.agent-1.x", null)).isTrue();
        assertThat(p.canSubscribe("telemetry.>", null)).isFalse();

        // only a deny list: the default allow list stays
        p = permissionsOf(Map.of("pub", Map.of("deny", List.of("events.audit.>"))));
        assertThat(p.canPublish("events.x")).isTrue();
        assertThat(p.canPublish("events.audit.login")).isFalse();

        // only sub
        p = permissionsOf(Map.of("sub", Map.of("allow", List.of("events.>"))));
        assertThat(p.canPublish("events.x")).isTrue();
        assertThat(p.canSubscribe("events.>", null)).isTrue();
        assertThat(p.canSubscribe("_INBOX.x", null)).isFalse();
    }

    @Test
    void anEmptyAllowListAllowsNothing() {
        Permissions p = permissionsOf(Map.of("pub", Map.of("allow", List.of())));
        assertThat(p.canPublish("events.x")).isFalse();
        assertThat(p.canPublish("anything")).isFalse();
        assertThat(p.canSubscribe("_INBOX.agent-1.x", null)).isTrue();
    }

    @Test
    void theDefaultsAreConfigurable() {
        SubjectPermissions habitat = new SubjectPermissions(List.of("habitat.event.*"), List.of(),
                List.of("_INBOX.>"), List.of());
        JwtAuthenticator custom = new JwtAuthenticator(JwtAuthOptions.builder().hmacSecret(HMAC_SECRET).clock(CLOCK)
                .defaultPermissions(habitat).build());
        Permissions p = custom.authenticate(client(TestKeys.hs256(HMAC_SECRET, claims("a").build()))).user().permissions();
        assertThat(p.canPublish("habitat.event.healthcheck")).isTrue();
        assertThat(p.canPublish("events.x")).isFalse();
    }

    @Test
    void invalidClaimsAreRejectedWithTheFieldNamed() {
        assertThatThrownBy(() -> SubjectPermissions.fromClaim(List.of(), SubjectPermissions.DEFAULT))
                .hasMessage("nats must be a JSON object");
        assertThatThrownBy(() -> SubjectPermissions.fromClaim(Map.of("publish", Map.of()), SubjectPermissions.DEFAULT))
                .hasMessageStartingWith("unknown key \"publish\" in nats");
        assertThatThrownBy(() -> SubjectPermissions.fromClaim(Map.of("sub", Map.of("alow", List.of())),
                SubjectPermissions.DEFAULT)).hasMessageStartingWith("unknown key \"alow\" in nats.sub");
        assertThatThrownBy(() -> SubjectPermissions.fromClaim(Map.of("pub", Map.of("allow", "events.>")),
                SubjectPermissions.DEFAULT)).hasMessage("nats.pub.allow must be a JSON array of subjects");
        assertThatThrownBy(() -> SubjectPermissions.fromClaim(Map.of("pub", Map.of("allow", List.of(1))),
                SubjectPermissions.DEFAULT)).hasMessage("nats.pub.allow must contain only strings");
        assertThatThrownBy(() -> SubjectPermissions.fromClaim(Map.of("pub", Map.of("deny", List.of("a.>.b"))),
                SubjectPermissions.DEFAULT)).hasMessage("invalid subject \"a.>.b\" in nats.pub.deny");
        // a queue group is a subscribe-only notion
        assertThatThrownBy(() -> SubjectPermissions.fromClaim(Map.of("pub", Map.of("allow", List.of("a q"))),
                SubjectPermissions.DEFAULT)).hasMessage("invalid subject \"a q\" in nats.pub.allow");
        assertThatThrownBy(() -> SubjectPermissions.fromClaim(Map.of("sub", Map.of("allow", List.of("a\tb"))),
                SubjectPermissions.DEFAULT)).hasMessage("invalid subject \"a?b\" in nats.sub.allow");
    }

    @Test
    void toClaimRoundTrips() {
        SubjectPermissions p = new SubjectPermissions(List.of("events.a.>"), List.of("events.a.x"),
                List.of("_INBOX.>", "q.* grp"), List.of());
        assertThat(SubjectPermissions.fromClaim(p.toClaim(), SubjectPermissions.DEFAULT)).isEqualTo(p);
        assertThat(p.toClaim()).isEqualTo(Map.of(
                "pub", Map.of("allow", List.of("events.a.>"), "deny", List.of("events.a.x")),
                "sub", Map.of("allow", List.of("_INBOX.>", "q.* grp"))));
    }
}
