package dev.eventbus.service.delivery;

/** The outcome of one delivery attempt. */
public record DeliveryResult(Kind kind, String detail) {
    public enum Kind {
        /** The target confirmed the event. */
        DELIVERED,
        /** The target could not be reached or said it is unavailable: retry without limit. */
        UNAVAILABLE,
        /** The target answered and refused this event: counts towards maxAttempts. */
        REJECTED
    }

    private static final DeliveryResult OK = new DeliveryResult(Kind.DELIVERED, "ok");

    public static DeliveryResult delivered() { return OK; }

    public static DeliveryResult unavailable(String detail) { return new DeliveryResult(Kind.UNAVAILABLE, detail); }

    public static DeliveryResult rejected(String detail) { return new DeliveryResult(Kind.REJECTED, detail); }

    public boolean ok() { return kind == Kind.DELIVERED; }
}
