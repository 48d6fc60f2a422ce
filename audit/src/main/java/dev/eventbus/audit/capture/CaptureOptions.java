package dev.eventbus.audit.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to capture and how.
 *
 * @param servers          the monitoring URLs given by the user (seeds)
 * @param output           the archive to write (overwritten)
 * @param timeout          per request: connecting, and the whole answer
 * @param discoverPeers    follow /routez and /gatewayz to the servers' peers
 * @param peerMonitorPort  the monitoring port of discovered peers; 0 means "the same as the server that named them"
 * @param accountEndpoints ask per-account endpoints of servers that list accounts in /accountz
 * @param pageSize         the limit of paged endpoints (gather uses 1024)
 * @param toolVersion      the {@code version} recorded in the metadata
 * @param userName         the {@code user_name} recorded in the metadata
 */
public record CaptureOptions(List<String> servers, Path output, Duration timeout, boolean discoverPeers,
                             int peerMonitorPort, boolean accountEndpoints, int pageSize, String toolVersion,
                             String userName) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_PAGE_SIZE = 1024;

    public CaptureOptions {
        servers = List.copyOf(servers);
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(timeout, "timeout");
        if (servers.isEmpty()) throw new IllegalArgumentException("at least one --server is required");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("the timeout must be positive");
        if (pageSize < 1) throw new IllegalArgumentException("the page size must be at least 1");
        if (peerMonitorPort < 0 || peerMonitorPort > 65535) throw new IllegalArgumentException("invalid peer monitoring port");
    }

    /** Defaults for everything but the servers and the output. */
    public static CaptureOptions of(List<String> servers, Path output) {
        return new CaptureOptions(servers, output, DEFAULT_TIMEOUT, true, 0, true, DEFAULT_PAGE_SIZE,
                "eventbus audit", UserName.current());
    }

    public CaptureOptions withTimeout(Duration t) {
        return new CaptureOptions(servers, output, t, discoverPeers, peerMonitorPort, accountEndpoints, pageSize, toolVersion, userName);
    }

    public CaptureOptions withDiscovery(boolean on, int port) {
        return new CaptureOptions(servers, output, timeout, on, port, accountEndpoints, pageSize, toolVersion, userName);
    }

    public CaptureOptions withAccountEndpoints(boolean on) {
        return new CaptureOptions(servers, output, timeout, discoverPeers, peerMonitorPort, on, pageSize, toolVersion, userName);
    }

    public CaptureOptions withPageSize(int n) {
        return new CaptureOptions(servers, output, timeout, discoverPeers, peerMonitorPort, accountEndpoints, n, toolVersion, userName);
    }

    public CaptureOptions withToolVersion(String v) {
        return new CaptureOptions(servers, output, timeout, discoverPeers, peerMonitorPort, accountEndpoints, pageSize, v, userName);
    }
}
