package dev.eventbus.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Start-up time: launches the given command (stderr merged into stdout), and measures from just before
 * {@link ProcessBuilder#start()} to the first output line containing the ready marker ("Server is ready").
 * The process is then killed and reaped before the next run, so the port is free again.
 */
final class StartupProbe {
    private StartupProbe() {}

    static void run(Args a) throws Exception {
        List<String> cmd = a.positional();
        if (cmd.isEmpty()) throw new IllegalArgumentException("startup needs -- COMMAND [ARGS...]");
        int runs = a.getInt("runs", 5);
        long timeoutMs = a.getLong("timeout-s", 60) * 1000;
        String marker = a.get("ready", "Server is ready");
        long[] ms = new long[runs];
        for (int r = 0; r < runs; r++) {
            ms[r] = once(cmd, marker, timeoutMs);
            Results.emit("startup", "-", "startup_ms", ms[r] / 1e6, "ms");
        }
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        Results.log("startup: median %.1f ms over %d runs of %s", sorted[runs / 2] / 1e6, runs, String.join(" ", cmd));
    }

    private static long once(List<String> cmd, String marker, long timeoutMs) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            CompletableFuture<Long> ready = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.contains(marker)) {
                            long t = System.nanoTime() - t0;
                            return t;
                        }
                        if (seen.length() < 4000) seen.append(line).append('\n');
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("process ended without printing '" + marker + "'; output:\n" + seen);
            });
            return ready.get(timeoutMs, TimeUnit.MILLISECONDS);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
