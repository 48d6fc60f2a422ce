package dev.eventbus.service.queue;

import java.time.Duration;
import java.util.List;

/**
 * What opening the data directory found.
 *
 * @param segments       segment files kept
 * @param records        intact records read
 * @param pendingEvents  events with at least one handler still to deliver
 * @param truncatedBytes bytes cut from the end of the last segment: a torn tail, the interrupted write of a crash
 * @param findings       damage skipped and log data missing, each worth an operator's attention
 */
public record RecoveryReport(int segments, long records, int pendingEvents, long truncatedBytes,
                             List<RecoveryFinding> findings, Duration took) {
    public RecoveryReport {
        findings = List.copyOf(findings);
    }

    /** One sentence per finding. */
    public List<String> problems() { return findings.stream().map(RecoveryFinding::message).toList(); }

    /** Damaged bytes copied to the quarantine directory (and skipped in the log). */
    public long quarantinedBytes() {
        return findings.stream().filter(f -> f.quarantineFile() != null).mapToLong(RecoveryFinding::bytes).sum();
    }

    /** Records known to be lost: the seqs missing around damage and missing segments (a lower bound). */
    public long skippedRecords() {
        return findings.stream().mapToLong(f -> Math.max(0, f.skippedRecords())).sum();
    }
}
