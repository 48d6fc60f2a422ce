package dev.eventbus.service.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.config.App;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.service.Events;
import io.micronaut.context.ApplicationContext;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * event-service's internal doors with the PKI {@code certs init} makes (issue 9, item 2): its internal NATS port and
 * its gateway port trust the internal CA only, and within it only the configured identities. An agent's certificate
 * from certs init gets through neither; a certificate of the internal CA with another identity is refused; a
 * configured internal client gets exactly its grant.
 */
class InternalBusTrustTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir Path dir;
    private ApplicationContext app;
    private int natsPort;
    private int gatewayPort;

    /** Distinct free ports: all sockets are held open until every port is picked, so no two are the same. */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) if (s != null) s.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        // "intruder" and "handler-client" are both internal identities; only the second is configured as a client
        DevPki.init(dir, new DevPki.Options(KeyAlgorithm.ecP256(), Duration.ofDays(1), false, List.of(),
                List.of("handler-client", "reader", "intruder")));
        int[] ports = freePorts(3);
        natsPort = ports[0];
        gatewayPort = ports[1];
        Path toml = dir.resolve("service.toml");
        Files.writeString(toml, """
                [service]
                port = %d
                [internal_messaging]
                port = %d
                gateway_port = %d
                [[internal_messaging.clients]]
                identity = "handler-client"
                publish = ["events.>"]
                subscribe = ["feed.out", "_INBOX.>"]
                [[internal_messaging.clients]]
                identity = "reader"
                subscribe = ["events.>"]
                [tls]
                cert_path = "event-service.crt"
                key_path = "event-service.key"
                root_ca_path = "ca.crt"
                [handlers]
                event_feed = "nats:feed.out"
                [queue]
                data_dir = "data"
                """.formatted(ports[2], natsPort, gatewayPort));
        app = EventServiceMain.start(ConfigLoader.forApp(App.EVENT_SERVICE).patch(toml).load());
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    private Connection client(String identity, ErrorListener errors) throws Exception {
        Options.Builder o = new Options.Builder().server("tls://localhost:" + natsPort)
                .sslContext(JdkSslContexts.client(dir.resolve("ca.crt"), dir.resolve(identity + ".crt"), dir.resolve(identity + ".key")))
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0);
        if (errors != null) o.errorListener(errors);
        return Nats.connect(o.build());
    }

    @Test
    void anAgentCertificateFromCertsInitIsRefusedOnTheInternalBus() {
        // before the split, agent.crt came from the one CA and got every right here (SUB > read every event)
        assertThatThrownBy(() -> client("agent", null).close()).isInstanceOf(Exception.class);
    }

    @Test
    void anInternalCertificateWhoseIdentityIsNotAClientIsRefused() {
        CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> client("intruder", new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        }).close()).isInstanceOf(Exception.class);
        assertThat(errors).anyMatch(e -> e.contains("Authorization Violation"));
        // event-gateway's certificate is no internal-bus client either: it links over the gateway port only
        assertThatThrownBy(() -> client("event-gateway", null).close()).isInstanceOf(Exception.class);
    }

    @Test
    void aConfiguredClientGetsExactlyItsGrant() throws Exception {
        CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
        try (Connection c = client("handler-client", new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        })) {
            var feed = c.subscribe("feed.out");
            Message ack = c.request("events.scanJobCreated", Events.event("t-1", "scanJobCreated"), Duration.ofSeconds(10));
            assertThat(ack).isNotNull();
            assertThat(new String(ack.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"accepted\":true,\"event_id\":\"t-1\",\"event_seq\":1}");
            assertThat(new String(feed.nextMessage(WAIT).getData(), StandardCharsets.UTF_8)).contains("\"t-1\"");

            c.subscribe(">");
            c.publish("jobs.run", "x".getBytes(StandardCharsets.UTF_8));
            c.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(e -> e.contains("Permissions Violation for Subscription to \">\""))
                    && errors.stream().anyMatch(e -> e.contains("Permissions Violation for Publish to \"jobs.run\"")));
        }
    }

    @Test
    void aClientAllowedToReadEventsCannotJoinTheIntakeQueueGroup() throws Exception {
        CopyOnWriteArrayList<String> errors = new CopyOnWriteArrayList<>();
        try (Connection c = client("reader", new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        })) {
            c.subscribe("events.*", "event-service");
            c.flush(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> errors.stream().anyMatch(e -> e.contains("Permissions Violation for Subscription to \"events.*\"")));
        }
    }

    @Test
    void anAgentCertificateIsRefusedOnTheGatewayPort() {
        assertThatThrownBy(() -> GatewayPeer.firstLine(dir, "agent", gatewayPort, null)).isInstanceOf(IOException.class);
    }

    @Test
    void anInternalCertificateThatIsNotAGatewayPeerIsRefused() throws Exception {
        // before: any certificate of the one CA could register as a gateway and inject events without a token
        assertThat(GatewayPeer.firstLine(dir, "intruder", gatewayPort, null)).isEqualTo("-ERR 'Authorization Violation'");
        assertThat(GatewayPeer.firstLine(dir, "handler-client", gatewayPort, null)).isEqualTo("-ERR 'Authorization Violation'");
    }

    @Test
    void thePeerIdentityWithAnUnknownGatewayNameIsRejected() throws Exception {
        // event-gateway's own certificate, but a gateway name event-service is not configured for
        assertThat(GatewayPeer.firstLine(dir, "event-gateway", gatewayPort, "evil"))
                .isEqualTo("-ERR 'Connection to gateway \"event-service\" rejected'");
        assertThat(GatewayPeer.firstLine(dir, "event-gateway", gatewayPort, null)).startsWith("INFO {").contains("\"gateway\":\"event-service\"");
    }

    /** A raw gateway-protocol peer over mutual TLS with one of certs init's certificates. */
    static final class GatewayPeer {
        /**
         * The first line the gateway port sends after the TLS handshake, or, with {@code gatewayName}, the first line
         * after we send a CONNECT under that name.
         */
        static String firstLine(Path pki, String identity, int port, String gatewayName) throws IOException {
            var ctx = JdkSslContexts.client(pki.resolve("ca.crt"), pki.resolve(identity + ".crt"), pki.resolve(identity + ".key"));
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                String first = in.readLine();
                if (first == null) throw new IOException("closed without a word");
                if (gatewayName == null || !first.startsWith("INFO ")) return first;
                OutputStream out = s.getOutputStream();
                out.write(("CONNECT {\"echo\":false,\"verbose\":false,\"pedantic\":false,\"tls_required\":true,\"gateway\":\""
                        + gatewayName + "\"}\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String next = in.readLine();
                if (next == null) throw new IOException("closed after CONNECT without a word");
                return next;
            }
        }
    }
}
