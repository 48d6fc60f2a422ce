package dev.eventbus.broker.wire;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.eventbus.broker.testing.Json;
import dev.eventbus.broker.testing.ServerUnderTest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw NATS protocol client over a plain socket, in the spirit of nats-server's {@code test/test.go}
 * ({@code setupConn}, {@code sendProto}, {@code expectResult}): send exact bytes, read exact replies.
 *
 * <ul>
 *   <li>{@link #connect} reads the server's INFO line ({@link #info()}); {@link #connectRaw} does not.</li>
 *   <li>{@link #send}, {@link #sendBytes}, {@link #sendSplit} write and flush (TCP_NODELAY, so a split is really sent
 *       as separate segments).</li>
 *   <li>{@link #expectLine}, {@link #expect(Pattern)}, {@link #expectMsg} read the next frame; a MSG/HMSG frame
 *       includes its payload, read by its declared size (payloads may contain CRLF).</li>
 *   <li>{@link #barrier()} sends PING and returns every frame that arrived before the PONG: since the server
 *       answers in order, everything caused by what was sent before is in that list. No sleeps.</li>
 *   <li>{@link #exchange} sends input and returns the {@link Outcome}: the exact text the server answered and
 *       whether it closed the connection.</li>
 *   <li>{@link #expectClosed()} waits for end-of-stream (or a reset) and returns what arrived before it.</li>
 * </ul>
 * Text is ISO-8859-1 in both directions, so a String maps one-to-one onto the bytes on the wire.
 * Server keep-alive PINGs are answered with PONG and hidden unless {@link #showServerPings(boolean)} is on.
 */
public final class WireClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] PING = "PING\r\n".getBytes(ISO_8859_1);
    private static final byte[] PONG = "PONG\r\n".getBytes(ISO_8859_1);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private Duration timeout = DEFAULT_TIMEOUT;
    private String infoLine;
    private Map<String, Object> info;
    private boolean showServerPings;
    private int serverPingsAnswered;

    /** One frame from the server: the control line without CRLF and, for MSG/HMSG, the payload bytes. */
    public record Frame(String line, byte[] payload) {
        public String op() {
            int sp = line.indexOf(' ');
            return (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        }

        public String payloadText() { return payload == null ? null : new String(payload, ISO_8859_1); }

        /** The frame exactly as it was on the wire. */
        public String wire() { return payload == null ? line + "\r\n" : line + "\r\n" + payloadText() + "\r\n"; }

        /** The whitespace-separated fields of the control line (op included). */
        public String[] fields() { return line.split(" "); }

        @Override
        public String toString() { return Outcome.visible(wire()); }
    }

    /** What a server did with some input: the exact bytes it sent back, and whether it then closed. */
    public record Outcome(String text, boolean closed) {
        public static Outcome open(String text) { return new Outcome(text, false); }

        public static Outcome closed(String text) { return new Outcome(text, true); }

        /** {@code -ERR '<error>'} then close, as nats-server does for fatal errors. */
        public static Outcome error(String error) { return closed("-ERR '" + error + "'\r\n"); }

        public static Outcome silentClose() { return closed(""); }

        @Override
        public String toString() { return (closed ? "CLOSED after " : "OPEN after ") + '"' + visible(text) + '"'; }

        /** {@code s} with CR, LF and TAB shown as escapes, for messages. */
        public static String visible(String s) { return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"); }
    }

    /** Thrown when the server closed the connection while a frame was expected. */
    public static final class ConnectionClosedException extends UncheckedIOException {
        private final String received;

        ConnectionClosedException(String received, IOException cause) {
            super("server closed the connection; received before that: \"" + Outcome.visible(received) + '"', cause);
            this.received = received;
        }

        public String received() { return received; }
    }

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) timeout.toMillis());
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /**
     * Speaks over a socket that is already connected: one the test accepted (a fake peer the server dialed) or a
     * TLS socket after its handshake. Reads nothing.
     */
    public static WireClient over(Socket socket) {
        try {
            return new WireClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and reads the INFO line. */
    public static WireClient connect(ServerUnderTest server) { return connect(server.host(), server.port()); }

    /** Connects and reads the INFO line. */
    public static WireClient connect(String host, int port) {
        WireClient c = connectRaw(host, port);
        try {
            c.readInfo();
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Connects without reading anything. */
    public static WireClient connectRaw(ServerUnderTest server) { return connectRaw(server.host(), server.port()); }

    public static WireClient connectRaw(String host, int port) { return connectRaw(host, port, 0); }

    /**
     * Connects without reading anything, with a socket receive buffer of {@code receiveBufferSize} bytes (0 = the
     * OS default); a small one makes a client that never reads look slow to the server sooner.
     */
    public static WireClient connectRaw(String host, int port, int receiveBufferSize) {
        Socket s = new Socket();
        try {
            if (receiveBufferSize > 0) s.setReceiveBufferSize(receiveBufferSize);
            s.connect(new InetSocketAddress(host, port), (int) DEFAULT_TIMEOUT.toMillis());
            return new WireClient(s);
        } catch (IOException e) {
            try { s.close(); } catch (IOException ignored) { /* nothing to do */ }
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    /** Reads the INFO line the server sends on accept; checks its shape. */
    public Map<String, Object> readInfo() {
        String line = expectLine();
        if (!line.startsWith("INFO ")) throw new AssertionError("expected INFO, got: " + Outcome.visible(line));
        infoLine = line;
        info = Json.parseObject(line.substring(5).trim());
        return info;
    }

    /** The INFO line as received, without CRLF (keeps the trailing space nats-server sends). */
    public String infoLine() { return infoLine; }

    public Map<String, Object> info() { return info; }

    public WireClient timeout(Duration d) {
        timeout = d;
        try {
            socket.setSoTimeout((int) d.toMillis());
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Whether server PINGs are returned as frames (true) or answered and hidden (false, the default). */
    public WireClient showServerPings(boolean show) {
        showServerPings = show;
        return this;
    }

    public int serverPingsAnswered() { return serverPingsAnswered; }

    // ----------------------------------------------------------------------------------------------- sending

    public WireClient send(String text) { return sendBytes(text.getBytes(ISO_8859_1)); }

    public WireClient sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("write failed", e);
        }
        return this;
    }

    /**
     * Sends, unless the server has already hung up (the write then fails): for a peer the server may refuse at
     * once, where what matters is what arrives before the close, not whether our bytes got there first.
     */
    public WireClient sendUnlessClosed(String text) {
        try {
            out.write(text.getBytes(ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // closed by the server: the next read reports it
        }
        return this;
    }

    /** Sends {@code bytes} in writes of at most {@code chunk} bytes, each flushed on its own. */
    public WireClient sendSplit(byte[] bytes, int chunk) {
        for (int i = 0; i < bytes.length; i += chunk) {
            try {
                out.write(bytes, i, Math.min(chunk, bytes.length - i));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("write failed at offset " + i, e);
            }
        }
        return this;
    }

    /** Sends {@code bytes[0, at)} and {@code bytes[at, end)} as two writes. */
    public WireClient sendSplitAt(byte[] bytes, int at) {
        try {
            out.write(bytes, 0, at);
            out.flush();
            out.write(bytes, at, bytes.length - at);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("write failed", e);
        }
        return this;
    }

    /** {@code CONNECT {"verbose":false,"pedantic":false}} plus any extra JSON members (e.g. {@code "echo":false}). */
    public WireClient connectQuiet(String... extraMembers) {
        StringBuilder b = new StringBuilder("CONNECT {\"verbose\":false,\"pedantic\":false");
        for (String m : extraMembers) b.append(',').append(m);
        return send(b.append("}\r\n").toString());
    }

    // ----------------------------------------------------------------------------------------------- reading

    /** The next control line (without CRLF); a MSG/HMSG payload is left unread, use {@link #readFrame()}. */
    public String expectLine() { return readFrame().line(); }

    public void expectLine(String expected) {
        String got = expectLine();
        if (!got.equals(expected)) {
            throw new AssertionError("expected line \"" + Outcome.visible(expected) + "\" but got \""
                    + Outcome.visible(got) + '"');
        }
    }

    /** Reads the next frame and matches its control line against {@code p} (fully). */
    public Matcher expect(Pattern p) {
        Frame f = readFrame();
        Matcher m = p.matcher(f.line());
        if (!m.matches()) throw new AssertionError("expected /" + p + "/ but got \"" + f + '"');
        return m;
    }

    /** Reads a MSG frame and checks every field; {@code reply} may be null. */
    public Frame expectMsg(String subject, String sid, String reply, String payload) {
        Frame f = readFrame();
        String line = "MSG " + subject + " " + sid + (reply == null ? "" : " " + reply) + " "
                + payload.getBytes(ISO_8859_1).length;
        if (!f.line().equals(line) || !payload.equals(f.payloadText())) {
            throw new AssertionError("expected \"" + Outcome.visible(line + "\r\n" + payload + "\r\n") + "\" but got \""
                    + f + '"');
        }
        return f;
    }

    /** Reads one frame. Throws {@link ConnectionClosedException} at end of stream. */
    public Frame readFrame() {
        for (;;) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            Frame f = readFrame(raw);
            if (f == null) throw new ConnectionClosedException(raw.toString(ISO_8859_1), null);
            if (!showServerPings && f.op().equals("PING")) {
                answerPing();
                continue;
            }
            return f;
        }
    }

    /**
     * Reads one frame; returns null at end of stream (or reset), with whatever partial bytes arrived in {@code raw}.
     * Every byte read is also appended to {@code raw}.
     */
    private Frame readFrame(ByteArrayOutputStream raw) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (;;) {
                int b = in.read();
                if (b < 0) return null;
                raw.write(b);
                if (b == '\n') break;
                line.write(b);
            }
            String l = line.toString(ISO_8859_1);
            if (!l.endsWith("\r")) throw new AssertionError("server line not ended by CRLF: \"" + Outcome.visible(l) + '"');
            l = l.substring(0, l.length() - 1);
            int size = payloadSize(l);
            if (size < 0) return new Frame(l, null);
            byte[] payload = new byte[size];
            int n = 0;
            while (n < size) {
                int r = in.read(payload, n, size - n);
                if (r < 0) return null;
                raw.write(payload, n, r);
                n += r;
            }
            for (int i = 0; i < 2; i++) {
                int b = in.read();
                if (b < 0) return null;
                raw.write(b);
                if (b != (i == 0 ? '\r' : '\n')) throw new AssertionError("payload of \"" + l + "\" not followed by CRLF");
            }
            return new Frame(l, payload);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for the server; received so far: \""
                    + Outcome.visible(raw.toString(ISO_8859_1)) + '"', e);
        } catch (SocketException e) {
            // "Connection reset": the peer closed while our data was unread; it still counts as a close
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Size of the payload that follows a MSG/HMSG line (its last field), or -1 for other frames. */
    private static int payloadSize(String line) {
        String upper = line.length() >= 5 ? line.substring(0, 5).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("MSG ") && !upper.startsWith("HMSG ")) return -1;
        String[] f = line.trim().split("[ \t]+");
        try {
            return Integer.parseInt(f[f.length - 1]);
        } catch (NumberFormatException e) {
            throw new AssertionError("bad size in \"" + line + '"', e);
        }
    }

    private void answerPing() {
        serverPingsAnswered++;
        try {
            out.write(PONG);
            out.flush();
        } catch (IOException ignored) {
            // the server is closing; the next read says so
        }
    }

    /** Reads exactly {@code n} frames (each within the timeout). */
    public List<Frame> readFrames(int n) {
        List<Frame> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) frames.add(readFrame());
        return frames;
    }

    /**
     * Reads frames up to and including the first MSG/HMSG on {@code subject} and returns those before it. With a
     * marker message published after the messages of interest, this collects deliveries caused by another
     * connection without relying on when they arrive.
     */
    public List<Frame> readUntilMsgOn(String subject) {
        List<Frame> frames = new ArrayList<>();
        for (;;) {
            Frame f = readFrame();
            String[] fields = f.fields();
            if ((f.op().equals("MSG") || f.op().equals("HMSG")) && fields.length > 1 && fields[1].equals(subject)) {
                return frames;
            }
            frames.add(f);
        }
    }

    /** {@link #readUntilMsgOn} as wire text. */
    public String textUntilMsgOn(String subject) {
        StringBuilder b = new StringBuilder();
        for (Frame f : readUntilMsgOn(subject)) b.append(f.wire());
        return b.toString();
    }

    /** {@code frames} as wire text. */
    public static String text(List<Frame> frames) {
        StringBuilder b = new StringBuilder();
        for (Frame f : frames) b.append(f.wire());
        return b.toString();
    }

    /** Sends PING and returns every frame received before the PONG. Fails if the server closes instead. */
    public List<Frame> barrier() {
        sendBytes(PING);
        List<Frame> frames = new ArrayList<>();
        for (;;) {
            Frame f = readFrame();
            if (f.line().equals("PONG")) return frames;
            frames.add(f);
        }
    }

    /** {@link #barrier()} as wire text. */
    public String barrierText() {
        StringBuilder b = new StringBuilder();
        for (Frame f : barrier()) b.append(f.wire());
        return b.toString();
    }

    /** Sends PING and fails unless the very next frame is PONG (nothing else pending). */
    public void expectNothingPending() {
        List<Frame> frames = barrier();
        if (!frames.isEmpty()) throw new AssertionError("expected nothing before PONG but got " + frames);
    }

    /**
     * Sends {@code input}, then a PING barrier, and returns what the server answered to the input and whether it
     * closed. The number of PONGs the input itself asks for is counted ({@link #pingsIn}), so the barrier's PONG is
     * the one after them.
     */
    public Outcome exchange(String input) { return exchange(input.getBytes(ISO_8859_1), -1, 0); }

    /** Like {@link #exchange(String)}, the input sent in writes of {@code chunk} bytes. */
    public Outcome exchange(byte[] input, int chunk) { return exchange(input, chunk, 0); }

    /** Like {@link #exchange(String)}, the input sent as two writes split at {@code splitAt}. */
    public Outcome exchangeSplitAt(byte[] input, int splitAt) { return exchange(input, -1, splitAt); }

    private Outcome exchange(byte[] input, int chunk, int splitAt) {
        int pongsBefore = pingsIn(new String(input, ISO_8859_1));
        try {
            if (chunk > 0) {
                for (int i = 0; i < input.length; i += chunk) {
                    out.write(input, i, Math.min(chunk, input.length - i));
                    out.flush();
                }
            } else if (splitAt > 0) {
                out.write(input, 0, splitAt);
                out.flush();
                out.write(input, splitAt, input.length - splitAt);
                out.flush();
            } else {
                out.write(input);
                out.flush();
            }
            out.write(PING);
            out.flush();
        } catch (IOException e) {
            // the server may already have closed: read what it sent before that
        }
        StringBuilder text = new StringBuilder();
        int pongs = 0;
        for (;;) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            Frame f = readFrame(raw);
            if (f == null) {
                text.append(raw.toString(ISO_8859_1));
                return Outcome.closed(text.toString());
            }
            if (!showServerPings && f.op().equals("PING") && f.line().equals("PING")) {
                answerPing();
                continue;
            }
            if (f.line().equals("PONG") && pongs++ == pongsBefore) return Outcome.open(text.toString());
            text.append(f.wire());
        }
    }

    /**
     * How many PINGs {@code input} holds at operation starts, skipping PUB/HPUB payloads by their declared size:
     * good enough for test transcripts, which keep their payloads small and honest.
     */
    static int pingsIn(String input) {
        int count = 0;
        int i = 0;
        while (i < input.length()) {
            int nl = input.indexOf('\n', i);
            String line = nl < 0 ? input.substring(i) : input.substring(i, nl);
            int next = nl < 0 ? input.length() : nl + 1;
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("PING") && nl >= 0) {
                count++;
            } else if (upper.startsWith("PUB ") || upper.startsWith("PUB\t") || upper.startsWith("HPUB ")
                    || upper.startsWith("HPUB\t")) {
                String[] f = line.trim().split("[ \t]+");
                try {
                    int size = Integer.parseInt(f[f.length - 1]);
                    if (size >= 0 && size < 1_000_000) next = Math.min(input.length(), next + size + 2);
                } catch (NumberFormatException ignored) {
                    // not a payload we can skip
                }
            }
            i = next;
        }
        return count;
    }

    /**
     * Waits until the server closes the connection (end of stream or reset) and returns everything received before.
     * Fails if the connection is still open after the timeout.
     */
    public String expectClosed() { return expectClosed(timeout); }

    public String expectClosed(Duration within) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + within.toNanos();
        byte[] buf = new byte[8192];
        try {
            for (;;) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new SocketTimeoutException();
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int n = in.read(buf);
                if (n < 0) return raw.toString(ISO_8859_1);
                raw.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after " + within + "; received: \""
                    + Outcome.visible(raw.toString(ISO_8859_1)) + '"');
        } catch (SocketException e) {
            return raw.toString(ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try { socket.setSoTimeout((int) timeout.toMillis()); } catch (SocketException ignored) { /* closed */ }
        }
    }


    public boolean isClosedLocally() { return socket.isClosed(); }

    public Socket socket() { return socket; }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
