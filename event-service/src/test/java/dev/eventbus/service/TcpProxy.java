package dev.eventbus.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP pass-through on 127.0.0.1 that can be cut ({@link #down()}) and restored ({@link #up()}) on the same port. */
final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private int port;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        up();
    }

    int port() { return port; }

    synchronized void up() throws IOException {
        if (server != null) return;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = s.getLocalPort();
        server = s;
        Thread t = new Thread(() -> acceptLoop(s), "proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Closes the listener and every proxied connection. */
    synchronized void down() throws IOException {
        if (server == null) return;
        server.close();
        server = null;
        for (Socket s : sockets) s.close();
        sockets.clear();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket in = s.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                if (!register(s, in, out)) return;
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                // closed
            }
        }
    }

    /**
     * Keeps a new pair unless {@link #down()} ran meanwhile. A close of the listener does not stop an accept that the
     * kernel is already completing (the blocked thread holds the socket until it returns), so a client reconnecting
     * at that moment is accepted after down() closed everything it knew of: it must be closed here, or the client
     * stays connected through a proxy that is down.
     */
    private synchronized boolean register(ServerSocket s, Socket in, Socket out) throws IOException {
        if (server != s) {
            in.close();
            out.close();
            return false;
        }
        sockets.add(in);
        sockets.add(out);
        return true;
    }

    private void pump(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
            } catch (IOException e) {
                // either side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException { down(); }
}
