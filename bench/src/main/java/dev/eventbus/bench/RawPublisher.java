package dev.eventbus.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A client-protocol publisher with no client library in the way: writes pre-encoded {@code PUB} frames in chunks of
 * about 64 KiB over a blocking socket and ends each burst with {@code PING}, returning once the {@code PONG} arrives
 * (the server answers in order, so every PUB before it has been processed). Used by the {@code pubraw} scenario to
 * measure how fast the server can ingest, which jnats' publisher (about 1-2.5 M msgs/s here) cannot show.
 */
final class RawPublisher implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private final SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);

    RawPublisher(String url) throws IOException {
        URI uri = URI.create(url);
        ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        ch.connect(new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 4222));
        readUntil("\r\n"); // INFO
        if (!received().startsWith("INFO ")) throw new IOException("expected INFO, got " + received());
        write(ByteBuffer.wrap("CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"bench-rawpub\"}\r\nPING\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        readUntil("PONG\r\n");
    }

    void publish(String subject, byte[] payload, long count) throws IOException {
        byte[] head = ("PUB " + subject + " " + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int frameLen = head.length + payload.length + 2;
        int perChunk = Math.max(1, CHUNK / frameLen);
        ByteBuffer chunk = ByteBuffer.allocateDirect(perChunk * frameLen);
        for (int i = 0; i < perChunk; i++) chunk.put(head).put(payload).put((byte) '\r').put((byte) '\n');
        chunk.flip();
        long full = count / perChunk;
        int rest = (int) (count % perChunk);
        for (long c = 0; c < full; c++) {
            chunk.rewind();
            write(chunk);
        }
        if (rest > 0) {
            chunk.rewind();
            chunk.limit(rest * frameLen);
            write(chunk);
            chunk.limit(chunk.capacity());
        }
        write(ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII)));
        in.clear();
        readUntil("PONG\r\n");
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private void readUntil(String terminator) throws IOException {
        in.clear();
        while (true) {
            if (ch.read(in) < 0) throw new IOException("server closed the connection: " + received());
            String s = received();
            if (s.contains("-ERR")) throw new IOException("server error: " + s.trim());
            if (s.contains(terminator)) return;
            if (!in.hasRemaining()) in.clear(); // e.g. server PINGs: keep only the tail we are looking for
        }
    }

    private String received() {
        return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
