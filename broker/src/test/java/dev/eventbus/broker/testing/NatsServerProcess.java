package dev.eventbus.broker.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real nats-server binary in a child process, listening on 127.0.0.1 with a port the server picks itself
 * ({@code -p -1}, no race on a pre-chosen port), optionally with monitoring ({@code -m -1}) and a generated config
 * file. {@link #start} returns once the server logged "Server is ready" (a latch on its log, no sleeps) and the
 * ports it bound are known.
 *
 * <p>The binary is {@code -Dnats.server.binary}, else {@code $NATS_SERVER_BINARY}, else {@code /usr/sbin/nats-server},
 * else {@code nats-server} on the PATH. Tests call {@code Assumptions.assumeTrue(NatsServerProcess.isInstalled())}.
 */
public final class NatsServerProcess implements AutoCloseable {
    private static final Pattern CLIENT_PORT = Pattern.compile("Listening for client connections on [^\\s]*:(\\d+)");
    private static final Pattern GATEWAY_PORT = Pattern.compile("Listening for gateways connections on [^\\s]*:(\\d+)");
    private static final Pattern HTTP_PORT = Pattern.compile("Starting http monitor on [^\\s]*:(\\d+)");
    private static final long START_TIMEOUT_SECONDS = 15;

    private final Process process;
    private final Path configFile;
    private final Deque<String> log = new ArrayDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile int port = -1;
    private volatile int gatewayPort = -1;
    private volatile int httpPort = -1;

    private NatsServerProcess(Process process, Path configFile) {
        this.process = process;
        this.configFile = configFile;
    }

    /** The binary to run, or null when none is installed. */
    public static Path binary() {
        String configured = System.getProperty("nats.server.binary", System.getenv("NATS_SERVER_BINARY"));
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

    public static NatsServerProcess start(ServerConfig config) {
        return start(config, "");
    }

    /** @param extraConfig more nats-server config text, e.g. a {@code gateway {}} block */
    public static NatsServerProcess start(ServerConfig config, String extraConfig) {
        Path bin = binary();
        if (bin == null) throw new IllegalStateException("nats-server is not installed");
        Path cfg = null;
        try {
            List<String> cmd = new ArrayList<>(List.of(bin.toString()));
            String text = configText(config) + extraConfig;
            if (!text.isEmpty()) {
                cfg = Files.createTempFile("nats-server-", ".conf");
                Files.writeString(cfg, text);
                cmd.addAll(List.of("-c", cfg.toString()));
            }
            cmd.addAll(List.of("-a", "127.0.0.1", "-p", "-1"));
            if (config.monitoring()) cmd.addAll(List.of("-m", "-1"));
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            NatsServerProcess server = new NatsServerProcess(proc, cfg);
            server.pumpLog();
            server.awaitReady();
            return server;
        } catch (IOException e) {
            deleteQuietly(cfg);
            throw new UncheckedIOException(e);
        }
    }

    private void pumpLog() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.addLast(line);
                        if (log.size() > 500) log.removeFirst();
                    }
                    Matcher m = CLIENT_PORT.matcher(line);
                    if (m.find()) port = Integer.parseInt(m.group(1));
                    m = GATEWAY_PORT.matcher(line);
                    if (m.find()) gatewayPort = Integer.parseInt(m.group(1));
                    m = HTTP_PORT.matcher(line);
                    if (m.find()) httpPort = Integer.parseInt(m.group(1));
                    if (line.contains("Server is ready")) ready.countDown();
                }
            } catch (IOException ignored) {
                // the process went away
            } finally {
                ready.countDown(); // wake the starter; it checks whether the process is alive
            }
        }, "nats-server-log");
        t.setDaemon(true);
        t.start();
    }

    private void awaitReady() {
        boolean ok;
        try {
            ok = ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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

    /** The gateway port, or -1 without a gateway block. */
    public int gatewayPort() { return gatewayPort; }

    /** The monitoring port, or -1 when started without monitoring. */
    public int httpPort() { return httpPort; }

    public String logText() {
        synchronized (log) { return String.join("\n", log); }
    }

    public boolean isAlive() { return process.isAlive(); }

    /** SIGTERM, then SIGKILL if it has not exited after 5 s. Idempotent. */
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
        deleteQuietly(configFile);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try { Files.deleteIfExists(p); } catch (IOException ignored) { /* temp file */ }
    }

    /** The nats-server config file text for {@code c}; empty when every option is the default. */
    public static String configText(ServerConfig c) {
        StringBuilder b = new StringBuilder();
        if (c.maxPayload() != null) b.append("max_payload: ").append(c.maxPayload()).append('\n');
        if (c.maxControlLine() != null) b.append("max_control_line: ").append(c.maxControlLine()).append('\n');
        if (c.maxPending() != null) b.append("max_pending: ").append(c.maxPending()).append('\n');
        if (c.maxConnections() != null) b.append("max_connections: ").append(c.maxConnections()).append('\n');
        if (c.maxSubscriptions() != null) b.append("max_subscriptions: ").append(c.maxSubscriptions()).append('\n');
        if (c.pingInterval() != null) b.append("ping_interval: ").append(goDuration(c.pingInterval())).append('\n');
        if (c.pingMax() != null) b.append("ping_max: ").append(c.pingMax()).append('\n');
        if (c.writeDeadline() != null) b.append("write_deadline: ").append(goDuration(c.writeDeadline())).append('\n');
        if (c.authRequired()) {
            b.append("authorization {\n");
            if (c.authTimeout() != null) b.append("  timeout: ").append(c.authTimeout().toMillis() / 1000.0).append('\n');
            if (c.token() != null) b.append("  token: ").append(quote(c.token())).append('\n');
            if (!c.users().isEmpty()) {
                b.append("  users = [\n");
                for (ServerConfig.UserSpec u : c.users()) {
                    b.append("    {user: ").append(quote(u.name())).append(", password: ").append(quote(u.password()));
                    if (!u.unrestricted()) {
                        b.append(", permissions: {publish: {");
                        appendList(b, "allow", u.publishAllow());
                        b.append(", ");
                        appendList(b, "deny", u.publishDeny());
                        b.append("}, subscribe: {");
                        appendList(b, "allow", u.subscribeAllow());
                        b.append(", ");
                        appendList(b, "deny", u.subscribeDeny());
                        b.append("}}");
                    }
                    b.append("}\n");
                }
                b.append("  ]\n");
            }
            b.append("}\n");
        }
        return b.toString();
    }

    private static void appendList(StringBuilder b, String key, List<String> values) {
        b.append(key).append(": [");
        // a missing allow list is "everything": ">" says the same to nats-server
        List<String> v = values == null ? List.of(">") : values;
        for (int i = 0; i < v.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(quote(v.get(i)));
        }
        b.append(']');
    }

    private static String goDuration(java.time.Duration d) { return quote(d.toMillis() + "ms"); }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
