package dev.eventbus.gateway.auth;

/** What one step of token verification produced: a value for the next step, or the refusal that ends it. */
record Checked<T>(T value, TokenVerification refusal) {
    static <T> Checked<T> ok(T value) { return new Checked<>(value, null); }

    static <T> Checked<T> refused(Reason reason, String detail) {
        return new Checked<>(null, TokenVerification.refused(reason, detail));
    }

    boolean ok() { return refusal == null; }
}
