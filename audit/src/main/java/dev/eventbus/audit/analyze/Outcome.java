package dev.eventbus.audit.analyze;

/** A check's result, with the ints and strings of Go's {@code audit.Outcome}. */
public enum Outcome {
    PASS(0, "PASS"),
    /** Go's {@code PassWithIssues}. */
    WARN(1, "WARN"),
    FAIL(2, "FAIL"),
    /** Not applicable, or not enough data. */
    SKIP(3, "SKIP");

    private final int code;
    private final String label;

    Outcome(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() { return code; }

    public String label() { return label; }

    /** The worse of two outcomes (FAIL over WARN over PASS); SKIP never wins over a real result. */
    public Outcome worst(Outcome other) {
        if (this == SKIP) return other;
        if (other == SKIP) return this;
        return other.code > code ? other : this;
    }
}
