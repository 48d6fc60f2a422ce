package dev.eventbus.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.BrokerOptions;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 12 as a user meets it: the standalone broker, a process with the launcher's JVM options (a smaller
 * heap, so the test is quick), is flooded with a million SUBs over four connections. It must refuse what it cannot
 * hold, keep answering PINGs, and stop on SIGTERM.
 */
class HeapExhaustionTest {
    private static final int CONNECTIONS = 4;
    private static final int SUBS_EACH = 250_000;

    @Test
    void aMillionSubscriptionsNeitherExhaustTheHeapNorStopTheServerFromAnswering() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // bin/eventbus's defaults, with -Xmx64m instead of -Xmx512m
        Process broker = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xms16m", "-Xmx64m", "-Xss512k",
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(),
                "-a", "127.0.0.1", "-p", String.valueOf(port)).redirectErrorStream(true).start();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS + 1);
        try {
            CountDownLatch ready = new CountDownLatch(1);
            StringBuffer log = new StringBuffer();
            pool.submit(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (log.length() < 20_000) log.append(line).append('\n');
                        if (line.contains("Server is ready")) ready.countDown();
                    }
                }
                return null;
            });
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("the broker started:\n%s", log).isTrue();

            List<Future<int[]>> floods = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int conn = c;
                floods.add(Executors.newSingleThreadExecutor().submit(() -> flood(port, conn)));
            }
            int held = 0;
            for (Future<int[]> f : floods) {
                int[] r = f.get(5, TimeUnit.MINUTES);
                assertThat(r[1]).as("the connection was answered PONG after its flood").isEqualTo(1);
                held += SUBS_EACH - r[0];
            }
            // four connections at the per-connection cap would be 262,144: the server-wide budget (half of 64 MiB) held
            assertThat(held).as("subscriptions held").isPositive()
                    .isLessThan(CONNECTIONS * BrokerOptions.DEFAULT_MAX_SUBSCRIPTIONS);
            assertThat(pingPong(port)).as("a newcomer is answered too").isTrue();
            assertThat(broker.isAlive()).isTrue();

            broker.destroy(); // SIGTERM
            assertThat(broker.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM:\n%s", log).isTrue();
        } finally {
            broker.destroyForcibly();
            pool.shutdownNow();
        }
    }

    /** Sends SUBS_EACH SUBs and a PING; returns {refused, 1 if PONG came}. Reads while it writes. */
    private static int[] flood(int port, int conn) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1), 1 << 16);
            in.readLine(); // INFO
            Future<int[]> reader = Executors.newSingleThreadExecutor().submit(() -> {
                int refused = 0;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("PONG")) return new int[] {refused, 1};
                    if (line.equals("-ERR 'maximum subscriptions exceeded'")) refused++;
                }
                return new int[] {refused, 0};
            });
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            out.write("CONNECT {\"verbose\":false}\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < SUBS_EACH; i++) {
                out.write(("SUB flood." + conn + "." + i + " " + i + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("PING\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return reader.get(5, TimeUnit.MINUTES);
        } catch (IOException e) {
            return new int[] {0, 0};
        }
    }

    private static boolean pingPong(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            in.readLine();
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return "PONG".equals(in.readLine());
        }
    }
}
