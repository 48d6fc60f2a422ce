package dev.eventbus.broker.monitor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory and CPU of this process in nats-server's terms ({@code server/pse}): resident set size in bytes, and CPU as
 * percent of one core, truncated to one decimal, over a window of about a second (nats-server samples once a second;
 * we sample when asked, at most once a second, so idle servers cost nothing).
 */
final class ProcessUsage {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final com.sun.management.OperatingSystemMXBean os;
    private long lastWallNanos;
    private long lastCpuNanos;
    private double lastPercent;

    ProcessUsage() {
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        os = bean instanceof com.sun.management.OperatingSystemMXBean ? (com.sun.management.OperatingSystemMXBean) bean : null;
        // the first window runs from JVM start, like nats-server's first sample which covers the process lifetime
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        lastWallNanos = System.nanoTime() - rt.getUptime() * 1_000_000L;
        lastCpuNanos = 0;
        lastPercent = 0;
    }

    /** {@code VmRSS} from /proc/self/status in bytes; 0 where there is no procfs. */
    static long rssBytes() {
        try {
            List<String> lines = Files.readAllLines(STATUS, StandardCharsets.US_ASCII);
            for (String line : lines) {
                if (!line.startsWith("VmRSS:")) continue;
                String[] parts = line.substring(6).trim().split("\\s+");
                long kib = Long.parseLong(parts[0]);
                return kib * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a format we don't know: report 0 rather than failing /varz
        }
        return 0;
    }

    /** CPU percent (may exceed 100 on several cores), recomputed when the last sample is a second old. */
    synchronized double cpuPercent() {
        if (os == null) return 0;
        long wall = System.nanoTime();
        long elapsed = wall - lastWallNanos;
        if (elapsed < WINDOW_NANOS) return lastPercent;
        long cpu = os.getProcessCpuTime();
        if (cpu < 0) return 0;
        long tenths = (cpu - lastCpuNanos) * 1000 / elapsed;
        lastPercent = tenths / 10.0;
        lastWallNanos = wall;
        lastCpuNanos = cpu;
        return lastPercent;
    }
}
