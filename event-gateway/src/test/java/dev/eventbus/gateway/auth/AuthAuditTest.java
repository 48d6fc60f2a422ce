package dev.eventbus.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuthAuditTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuthAudit.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final AuthAudit audit = new AuthAudit(clock, Duration.ofSeconds(10));

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) { this.now = now; }

        void advance(Duration d) { now = now.plus(d); }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }
    }

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(null);
    }

    private List<String> messages() { return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList(); }

    @Test
    void aFloodOfOneRefusalIsOneLinePerIntervalWithTheSuppressedCount() {
        for (int i = 0; i < 50; i++) {
            audit.record(AuthAudit.Kind.REFUSED, "agent-7", "EXPIRED", "10.0.0.9:5000" + i, "token of agent-7 expired");
        }
        assertThat(messages()).containsExactly(
                "auth audit: REFUSED EXPIRED agent=agent-7 remote=10.0.0.9:50000: token of agent-7 expired");

        clock.advance(Duration.ofSeconds(10));
        audit.record(AuthAudit.Kind.REFUSED, "agent-7", "EXPIRED", "10.0.0.9:6000", "token of agent-7 expired");
        assertThat(messages()).hasSize(2).last().asString()
                .isEqualTo("auth audit: REFUSED EXPIRED agent=agent-7 remote=10.0.0.9:6000: token of agent-7 expired"
                        + " (and 49 more since the last such line)");
        assertThat(audit.entries()).singleElement().satisfies(e -> {
            assertThat(e.count()).isEqualTo(51);
            assertThat(e.remote()).isEqualTo("10.0.0.9:6000");
        });
    }

    @Test
    void differentAgentsReasonsAndKindsAreLoggedSeparately() {
        audit.record(AuthAudit.Kind.REFUSED, "agent-7", "EXPIRED", "a:1", "x");
        audit.record(AuthAudit.Kind.REFUSED, "agent-8", "EXPIRED", "a:2", "x");
        audit.record(AuthAudit.Kind.REFUSED, "agent-7", "REVOKED", "a:3", "x");
        audit.record(AuthAudit.Kind.PERMISSION_VIOLATION, "agent-7", "PUBLISH", "a:4", "x");
        audit.record(AuthAudit.Kind.REFUSED, null, "BAD_SIGNATURE", "a:5", "x");
        assertThat(messages()).hasSize(5).last().asString().contains("agent=- remote=a:5");
    }

    @Test
    void theJsonListsEntriesNewestFirst() {
        audit.record(AuthAudit.Kind.REFUSED, null, "MALFORMED", "127.0.0.1:1", "not a JWT: 2 parts, not 3");
        clock.advance(Duration.ofSeconds(1));
        audit.record(AuthAudit.Kind.RESERVED_QUEUE, "attacker", "RESERVED_QUEUE", "127.0.0.1:2", "Permissions \"q\"");
        String json = audit.toJson();
        assertThat(json).contains("\"log_interval_seconds\": 10");
        assertThat(json.indexOf("RESERVED_QUEUE")).isLessThan(json.indexOf("MALFORMED"));
        assertThat(json).contains("\"agent\": null").contains("\"detail\": \"Permissions \\\"q\\\"\"");
    }

    @Test
    void controlCharactersAndLongSubjectsCannotForgeOrFloodLogLines() {
        audit.record(AuthAudit.Kind.PERMISSION_VIOLATION, "agent-7", "PUBLISH", "a:1",
                "Permissions Violation for Publish to \"x\u001b[2J\u0007" + "y".repeat(5000) + "\"");
        assertThat(messages()).singleElement().asString().doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("x?[2J?yyy").hasSizeLessThan(AuthAudit.MAX_DETAIL + 100);
    }

    @Test
    void memoryIsBoundedByTheEntryCap() {
        for (int i = 0; i < AuthAudit.MAX_ENTRIES + 100; i++) {
            audit.record(AuthAudit.Kind.PERMISSION_VIOLATION, "agent-" + i, "PUBLISH", "a:1", "x");
        }
        assertThat(audit.entries()).hasSize(AuthAudit.MAX_ENTRIES);
    }

    @Test
    void aClosedConnectionNamesItsAgentOnce() {
        audit.connected("127.0.0.1:4000", "agent-7");
        assertThat(audit.disconnected("127.0.0.1:4000")).isEqualTo("agent-7");
        assertThat(audit.disconnected("127.0.0.1:4000")).isNull();
    }
}
