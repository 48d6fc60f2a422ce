package dev.eventbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of another process, from {@code /proc/<pid>/status} (VmRSS, reported by the kernel in kB). */
final class Rss {
    private Rss() {}

    /** Bytes, or -1 when the process is gone or /proc is unreadable. */
    static long read(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Samples the RSS of {@code pid} every {@code periodMillis} on a daemon thread and keeps the maximum. */
    static final class Sampler implements AutoCloseable {
        private final long pid;
        private final long periodMillis;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long max = -1;
        private volatile long samples;

        Sampler(long pid, long periodMillis) {
            this.pid = pid;
            this.periodMillis = periodMillis;
            this.thread = new Thread(this::loop, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                long r = read(pid);
                if (r > max) max = r;
                samples++;
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops sampling (taking one last sample) and returns the maximum seen, in bytes. */
        long stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long r = read(pid);
            if (r > max) max = r;
            return max;
        }

        long samples() { return samples; }

        @Override
        public void close() { stop(); }
    }
}
