package dev.eventbus.audit.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real nats-server in a child process, started with a config file; {@link #start} returns once it logged "Server is
 * ready" (a latch on its log, no sleeps), with the ports it bound read from the log. After the broker module's
 * testing.NatsServerProcess, reduced to what audit tests need (clusters, gateways, JetStream).
 */
public final class NatsServerProcess implements AutoCloseable {
    private static final Pattern CLIENT = Pattern.compile("Listening for client connections on [^\\s]*:(\\d+)");
    private static final Pattern HTTP = Pattern.compile("Starting http monitor on [^\\s]*:(\\d+)");
    private static final Pattern ROUTE = Pattern.compile("Listening for route connections on [^\\s]*:(\\d+)");
    private static final Pattern GATEWAY = Pattern.compile("Listening for gateways? connections on [^\\s]*:(\\d+)");

    private final Process process;
    private final Path config;
    private final Deque<String> log = new ArrayDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch routeKnown = new CountDownLatch(1);
    private final CountDownLatch gatewayKnown = new CountDownLatch(1);
    private volatile int port = -1;
    private volatile int httpPort = -1;
    private volatile int routePort = -1;
    private volatile int gatewayPort = -1;

    private NatsServerProcess(Process process, Path config) {
        this.process = process;
        this.config = config;
    }

    /** The binary, or null when nats-server is not installed. */
    public static Path binary() {
        String configured = System.getenv("NATS_SERVER_BINARY");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? p : null;
        }
        Path debian = Path.of("/usr/sbin/nats-server");
        if (Files.isExecutable(debian)) return debian;
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, "nats-server");
                if (Files.isExecutable(p)) return p;
            }
        }
        return null;
    }

    public static boolean isInstalled() { return binary() != null; }

    /** Starts nats-server with this config file text. */
    public static NatsServerProcess start(String configText) {
        Path bin = binary();
        if (bin == null) throw new IllegalStateException("nats-server is not installed");
        try {
            Path cfg = Files.createTempFile("audit-nats-", ".conf");
            Files.writeString(cfg, configText);
            Process proc = new ProcessBuilder(List.of(bin.toString(), "-c", cfg.toString())).redirectErrorStream(true).start();
            NatsServerProcess s = new NatsServerProcess(proc, cfg);
            s.pumpLog();
            s.awaitReady();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pumpLog() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.addLast(line);
                        if (log.size() > 300) log.removeFirst();
                    }
                    port = match(CLIENT, line, port);
                    httpPort = match(HTTP, line, httpPort);
                    routePort = match(ROUTE, line, routePort);
                    gatewayPort = match(GATEWAY, line, gatewayPort);
                    if (routePort > 0) routeKnown.countDown();
                    if (gatewayPort > 0) gatewayKnown.countDown();
                    if (line.contains("Server is ready")) ready.countDown();
                }
            } catch (IOException ignored) {
                // the process went away
            } finally {
                ready.countDown();
            }
        }, "nats-server-log");
        t.setDaemon(true);
        t.start();
    }

    private static int match(Pattern p, String line, int current) {
        Matcher m = p.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : current;
    }

    private void awaitReady() {
        boolean ok;
        try {
            ok = ready.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok || !process.isAlive() || port < 0) {
            close();
            throw new IllegalStateException("nats-server did not start:\n" + logText());
        }
    }

    public int port() { return port; }

    public int httpPort() { return httpPort; }

    /** The cluster port; nats-server may log it just after "ready", so this waits for the log line. */
    public int routePort() { return await(routeKnown, "route") ? routePort : -1; }

    /** The gateway port (waits for its log line). */
    public int gatewayPort() { return await(gatewayKnown, "gateway") ? gatewayPort : -1; }

    private boolean await(CountDownLatch latch, String what) {
        try {
            if (latch.await(10, TimeUnit.SECONDS)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("nats-server logged no " + what + " port:\n" + logText());
    }

    public String logText() {
        synchronized (log) { return String.join("\n", log); }
    }

    /** SIGTERM, then SIGKILL after 5 s. Idempotent. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(config);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
