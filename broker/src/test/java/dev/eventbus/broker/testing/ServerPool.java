package dev.eventbus.broker.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Servers shared by the tests of one class, one per (kind, config), started on first use and stopped by
 * {@link #close()} in {@code @AfterAll}. Sharing is deliberate for the bad-input suites: every offender runs on the
 * same server, and a well-behaved client checks after each one that the server still serves.
 */
public final class ServerPool implements AutoCloseable {
    private record Key(ServerKind kind, ServerConfig config) {}

    private final Map<Key, ServerUnderTest> servers = new LinkedHashMap<>();

    public synchronized ServerUnderTest get(ServerKind kind, ServerConfig config) {
        Key key = new Key(kind, config);
        ServerUnderTest s = servers.get(key);
        if (s == null) {
            s = kind.start(config);
            servers.put(key, s);
        }
        return s;
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (ServerUnderTest s : servers.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        servers.clear();
        if (first != null) throw first;
    }
}
