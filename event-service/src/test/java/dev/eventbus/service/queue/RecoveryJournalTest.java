package dev.eventbus.service.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryJournalTest {
    @TempDir Path dir;

    private static RecoveryFinding damage(long offset) {
        return new RecoveryFinding(RecoveryFinding.Kind.DAMAGED_RECORDS, "00000000000000000000.log", null, offset, 100, 1,
                "00000000000000000000-" + offset + ".bin", "damage at " + offset);
    }

    private static final RecoveryFinding MISSING = new RecoveryFinding(RecoveryFinding.Kind.MISSING_SEGMENT, null, null,
            4096, 4096, 7, null, "segment missing");

    @Test
    void findingsStayUntilAcknowledgedAndAcknowledgedOnesGoOnceNoLongerFound() throws IOException {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        RecoveryJournal j = RecoveryJournal.open(dir);
        j.record(List.of(damage(100), MISSING), t0);
        assertThat(RecoveryJournal.open(dir).unacknowledged()).hasSize(2);

        // the operator saw the damage only; a finding that appears later is not acknowledged by that request
        RecoveryJournal.requestAcknowledgement(dir, List.of(damage(100).key(), "damage:nothing@1"));
        j = RecoveryJournal.open(dir);
        j.record(List.of(damage(100), damage(900)), t0.plusSeconds(60));            // MISSING is not found again
        assertThat(j.applyRequests(t0.plusSeconds(61))).isEqualTo(1);
        assertThat(j.applyRequests(t0.plusSeconds(62))).isZero();                  // the request is used up
        assertThat(j.unacknowledged()).extracting(e -> e.finding().key())
                .containsExactly(MISSING.key(), damage(900).key());
        RecoveryJournal.Entry acked = j.entries().get(0);
        assertThat(acked.finding().key()).isEqualTo(damage(100).key());
        assertThat(acked.acknowledgedAt()).isEqualTo(t0.plusSeconds(61));
        assertThat(acked.firstFound()).isEqualTo(t0);

        // its segment was deleted: the acknowledged damage is gone; the unacknowledged findings stay
        j = RecoveryJournal.open(dir);
        j.record(List.of(), t0.plusSeconds(120));
        assertThat(RecoveryJournal.open(dir).entries()).extracting(e -> e.finding().key())
                .containsExactly(MISSING.key(), damage(900).key());
    }

    @Test
    void aHealthyDirectoryGetsNoJournalAndAnUnreadableOneIsNamed() throws IOException {
        RecoveryJournal.open(dir).record(List.of(), Instant.now());
        assertThat(dir.resolve("recovery")).doesNotExist();
        Files.createDirectories(dir.resolve("recovery"));
        Files.writeString(dir.resolve("recovery/findings.json"), "{not json");
        assertThatThrownBy(() -> RecoveryJournal.open(dir)).isInstanceOf(IOException.class).hasMessageContaining("findings.json");
        RecoveryJournal fresh = RecoveryJournal.fresh(dir);
        fresh.record(List.of(MISSING), Instant.now());
        assertThat(RecoveryJournal.open(dir).unacknowledged()).hasSize(1);
    }
}
