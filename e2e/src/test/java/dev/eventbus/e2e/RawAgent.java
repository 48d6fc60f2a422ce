package dev.eventbus.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An agent that writes the NATS protocol by hand, to send what no client library would: INFO in plaintext, then
 * TLS (as nats-server 2.9), CONNECT with a token, then whatever bytes the attack needs.
 */
final class RawAgent implements AutoCloseable {
    private final SSLSocket tls;
    private final OutputStream out;
    private final BufferedReader in;

    RawAgent(int port, SSLContext ssl, String token) throws IOException {
        Socket plain = new Socket("127.0.0.1", port);
        plain.setSoTimeout(10_000);
        InputStream raw = plain.getInputStream();
        StringBuilder info = new StringBuilder();
        for (int c; (c = raw.read()) != '\n'; ) {
            if (c < 0) throw new IOException("closed before INFO");
            info.append((char) c);
        }
        tls = (SSLSocket) ssl.getSocketFactory().createSocket(plain, "localhost", port, true);
        tls.startHandshake();
        out = tls.getOutputStream();
        in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.ISO_8859_1));
        send("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"protocol\":1,\"auth_token\":\"" + token + "\"}\r\nPING\r\n");
        String first = readLine();
        if (!"PONG".equals(first)) throw new IOException("not connected: " + first);
    }

    RawAgent send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** The next line from the server, answering its PINGs; null when it closed the connection. */
    String readLine() throws IOException {
        for (;;) {
            String l;
            try {
                l = in.readLine();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no line from the server within the socket timeout");
            } catch (IOException e) {
                return null; // reset
            }
            if (l == null) return null;
            if (l.equals("PING")) {
                send("PONG\r\n");
                continue;
            }
            return l;
        }
    }

    /** Reads until a line starting with {@code prefix}; fails on close. */
    String readUntil(String prefix) throws IOException {
        for (;;) {
            String l = readLine();
            if (l == null) throw new AssertionError("closed before a line starting with " + prefix);
            if (l.startsWith(prefix)) return l;
        }
    }

    @Override
    public void close() throws IOException { tls.close(); }
}
