package dev.eventbus.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle-connection memory: opens N raw TCP connections (java.nio, blocking, one after the other), reads each INFO,
 * sends {@code CONNECT {"verbose":false}\r\nPING\r\n} and waits for the PONG, so every connection is fully registered
 * on the server before the next one starts. Reports the server's RSS before and after and the difference per
 * connection. Sockets are closed with SO_LINGER 0 (RST) so 10k connections per run leave no TIME_WAIT behind to
 * exhaust the ephemeral port range over repeated runs.
 */
final class ConnsProbe {
    private static final byte[] HELLO = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPING\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private ConnsProbe() {}

    static void run(Args a) throws Exception {
        String host = a.get("host", "127.0.0.1");
        int port = a.getInt("port", 4222);
        long pid = a.getLong("pid", 0);
        int count = a.getInt("count", 10_000);
        long settleMs = a.getLong("settle-ms", 2000);
        if (pid <= 0) throw new IllegalArgumentException("--pid SERVER_PID is required");
        InetSocketAddress addr = new InetSocketAddress(host, port);

        long before = Rss.read(pid);
        Results.log("conns: server pid %d RSS before %.1f MiB; opening %d connections", pid, before / 1048576.0, count);
        List<SocketChannel> channels = new ArrayList<>(count);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel ch = SocketChannel.open();
                channels.add(ch);
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(addr);
                buf.clear();
                readUntil(ch, buf, "\r\n", i); // INFO {...}\r\n
                String info = ascii(buf);
                if (!info.startsWith("INFO ")) throw new IOException("connection " + i + ": expected INFO, got " + abbreviate(info));
                ch.write(ByteBuffer.wrap(HELLO));
                buf.clear();
                readUntil(ch, buf, "PONG\r\n", i);
                if ((i + 1) % 2000 == 0) Results.log("conns: %d open", i + 1);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            // settle: let the server finish any lazy per-connection work (and a JVM its allocation burst) before
            // sampling; this is a measurement delay, not synchronisation (every PONG has already been seen)
            Thread.sleep(settleMs);
            long after = 0;
            for (int s = 0; s < 5; s++) {
                after = Math.max(after, Rss.read(pid));
                Thread.sleep(100);
            }
            if (before < 0 || after < 0) throw new IllegalStateException("cannot read /proc/" + pid + "/status");
            long perConn = (after - before) / count;
            Results.emit("conns", count, "rss_before_mib", before / 1048576.0, "MiB");
            Results.emit("conns", count, "rss_after_mib", after / 1048576.0, "MiB");
            Results.emit("conns", count, "bytes_per_conn", perConn, "bytes");
            Results.emit("conns", count, "connect_per_sec", count / secs, "conns/s");
            Results.log("conns: %d connections in %.2f s; RSS %.1f -> %.1f MiB = %d bytes per connection",
                    count, secs, before / 1048576.0, after / 1048576.0, perConn);
        } finally {
            for (SocketChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Reads until the bytes received so far end with {@code terminator}; fails on EOF or an -ERR. */
    private static void readUntil(SocketChannel ch, ByteBuffer buf, String terminator, int i) throws IOException {
        while (true) {
            if (ch.read(buf) < 0) throw new IOException("connection " + i + ": closed by server after " + abbreviate(ascii(buf)));
            String s = ascii(buf);
            if (s.startsWith("-ERR")) throw new IOException("connection " + i + ": " + abbreviate(s));
            if (s.contains(terminator) && s.endsWith("\r\n")) return;
            if (!buf.hasRemaining()) throw new IOException("connection " + i + ": reply too long");
        }
    }

    private static String ascii(ByteBuffer buf) {
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }

    private static String abbreviate(String s) {
        s = s.replace("\r\n", "\\r\\n");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
