package dev.eventbus.audit.archive;

/** Which generation of the format an archive was written in (spec §1.9). */
public enum Generation {
    /** natscli v0.2.3 and later, and eventbus: paged {@code <type>/NNNN.json}, server reply envelopes. */
    PAGED("paged (natscli >= v0.2.3)"),
    /** natscli v0.2.0 - v0.2.2: one {@code <type>.json} per artifact, server reply envelopes. */
    SINGLE_FILE("single-file (natscli v0.2.0 - v0.2.2)"),
    /** natscli v0.1.5 - v0.1.6: one {@code <type>.json} per artifact holding only the {@code data} part. */
    DATA_ONLY("data-only (natscli v0.1.x)"),
    /** No artifacts besides the special files. */
    EMPTY("empty");

    private final String description;

    Generation(String description) { this.description = description; }

    public String description() { return description; }
}
