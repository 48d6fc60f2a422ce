package dev.eventbus.audit.capture;

/** Progress of a capture: a bar on a terminal, nothing otherwise. */
public interface Progress extends AutoCloseable {
    Progress NONE = new Progress() {
        @Override public void expect(long steps) {}
        @Override public void step(String what) {}
        @Override public void close() {}
    };

    /** More steps are coming (a server was added to the queue). */
    void expect(long steps);

    /** One step done; {@code what} says what is being asked now. */
    void step(String what);

    @Override
    void close();
}
