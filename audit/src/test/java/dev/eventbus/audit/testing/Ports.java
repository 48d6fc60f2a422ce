package dev.eventbus.audit.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on loopback addresses. */
public final class Ports {
    private Ports() {}

    /** A port free on every one of these loopback addresses right now (e.g. 127.0.0.2 and 127.0.0.3). */
    public static int freeOnAll(String... hosts) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(hosts[0]), 0));
                port = s.getLocalPort();
            }
            if (freeOn(port, hosts)) return port;
        }
        throw new IOException("no port free on all of " + List.of(hosts));
    }

    private static boolean freeOn(int port, String... hosts) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String h : hosts) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress(InetAddress.getByName(h), port));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (ServerSocket s : held) {
                try { s.close(); } catch (IOException ignored) { /* closing */ }
            }
        }
    }

    /** A port nothing listens on (bound, then released). */
    public static int closed() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
