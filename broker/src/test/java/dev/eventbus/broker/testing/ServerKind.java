package dev.eventbus.broker.testing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Which server a parameterized test runs against. {@link #selected()} is the {@code @MethodSource} for such tests:
 * both kinds unless {@code -Deventbus.sut=eventbus} or {@code -Deventbus.sut=nats-server} narrows it (handy to
 * prove expectations against nats-server alone, or to debug our broker alone).
 */
public enum ServerKind {
    /** Our broker, in this JVM. */
    EVENTBUS("eventbus") {
        @Override
        public ServerUnderTest start(ServerConfig config) { return EventbusServer.start(config); }
    },
    /** The reference: nats-server 2.9.10 in a child process; tests are skipped where it is not installed. */
    NATS_SERVER("nats-server") {
        @Override
        public ServerUnderTest start(ServerConfig config) {
            Assumptions.assumeTrue(NatsServerProcess.isInstalled(), "nats-server is not installed");
            return NatsServer.start(config);
        }
    };

    public static final String SELECT_PROPERTY = "eventbus.sut";

    private final String label;

    ServerKind(String label) { this.label = label; }

    public abstract ServerUnderTest start(ServerConfig config);

    public boolean isReference() { return this == NATS_SERVER; }

    @Override
    public String toString() { return label; }

    public static Stream<ServerKind> selected() {
        String sel = System.getProperty(SELECT_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (sel.isEmpty() || sel.equals("all")) return Arrays.stream(values());
        Set<String> wanted = Arrays.stream(sel.split(",")).map(String::trim).collect(Collectors.toSet());
        return Arrays.stream(values()).filter(k -> wanted.contains(k.label) || wanted.contains(k.name().toLowerCase(Locale.ROOT)));
    }

    /** Whether the given kind is part of this run (see {@link #selected()}). */
    public boolean isSelected() { return selected().anyMatch(k -> k == this); }
}
