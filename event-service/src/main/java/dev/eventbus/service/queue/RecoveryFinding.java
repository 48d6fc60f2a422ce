package dev.eventbus.service.queue;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing opening (or verifying) the data directory found wrong: damage the log skipped, or log data that is gone.
 * A torn tail (the interrupted last write of a crash) is not a finding; {@link RecoveryReport#truncatedBytes()}
 * counts it.
 *
 * @param segment        the segment file name, for damage inside a segment; else null
 * @param handler        the handler, for {@link Kind#ACK_PAST_END}; else null
 * @param offset         for damage, the byte offset in the segment file; for a missing range, the log position
 *                       where it starts; for an ack past the end, the handler's ack offset
 * @param bytes          how many bytes are damaged or missing
 * @param skippedRecords records lost with them, from the gap in the seqs around them; -1 when not known
 * @param quarantineFile the file under {@code DIR/quarantine} holding a copy of the damaged bytes, or null
 * @param message        one sentence for an operator
 */
public record RecoveryFinding(Kind kind, String segment, String handler, long offset, long bytes, long skippedRecords,
                              String quarantineFile, String message) {
    public enum Kind {
        /** Bytes inside a segment that hold no intact record: skipped (left in place) and copied to quarantine. */
        DAMAGED_RECORDS,
        /**
         * Damage at the end of the log that is not an interrupted write (a complete record with a bad CRC, say):
         * treated like {@link #DAMAGED_RECORDS}; new records are appended after it.
         */
        CORRUPT_TAIL,
        /** Log positions without a segment file that the queue did not delete: a segment file was lost. */
        MISSING_SEGMENT,
        /** A handler acknowledged more of the log than is on disk: the end of the log was lost. */
        ACK_PAST_END;

        /** The name in JSON, metrics and reports. */
        public String code() { return name().toLowerCase(Locale.ROOT); }
    }

    public RecoveryFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /**
     * Names the finding across restarts: the damage stays where it is (segments are append-only), so the next start
     * finds it again under the same key, and an acknowledgement of it still holds.
     */
    public String key() {
        return switch (kind) {
            case DAMAGED_RECORDS, CORRUPT_TAIL -> "damage:" + segment + "@" + offset;
            case MISSING_SEGMENT -> "missing@" + offset;
            case ACK_PAST_END -> "ack:" + handler + "@" + offset;
        };
    }
}
