package dev.eventbus.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.certs.TlsTestSupport.EchoClient;
import dev.eventbus.certs.TlsTestSupport.EchoServer;
import dev.eventbus.certs.TlsTestSupport.ServerHandshake;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real handshakes over loopback sockets with the files {@code certs init} writes. */
class TlsHandshakeTest {
    @TempDir
    static Path tmp;
    static Path pki;
    static Path otherPki;
    static EventLoopGroup group;
    static EchoServer server;

    @BeforeAll
    static void start() throws Exception {
        pki = tmp.resolve("pki");
        otherPki = tmp.resolve("other");
        DevPki.init(pki, DevPki.Options.defaults());
        DevPki.init(otherPki, DevPki.Options.defaults());
        group = TlsTestSupport.group();
        SslContext serverCtx = TlsContexts.serverMutual(pki.resolve("event-service.crt"), pki.resolve("event-service.key"),
                pki.resolve("ca.crt"));
        server = new EchoServer(group, ch -> serverCtx.newHandler(ch.alloc()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    @org.junit.jupiter.api.BeforeEach
    void forgetEarlierConnections() {
        server.handshakes.clear();
    }

    static SslContext client(Path dir, String name, Path ca) {
        return TlsContexts.clientMutual(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), ca);
    }

    @Test
    void mutualTlsBetweenTheServicesSucceeds() throws Exception {
        try (EchoClient c = new EchoClient(group, server.port(), client(pki, "event-gateway", pki.resolve("ca.crt")), "localhost")) {
            assertThat(c.handshake()).as("client handshake: %s", c.handshakeCause()).isTrue();
            assertThat(c.echo("PING\r\n")).isEqualTo("PING\r\n");
            assertThat(c.protocol()).isEqualTo("TLSv1.3");
            assertThat(c.peerCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=event-service,O=eventbus dev");
            ServerHandshake s = server.nextHandshake();
            assertThat(s.success()).isTrue();
            assertThat(s.peerSubject()).isEqualTo("CN=event-gateway,O=eventbus dev");
        }
    }

    @Test
    void anAgentCertificateIsRefusedWhereOnlyTheInternalCaIsTrusted() throws Exception {
        // certs init makes agents their own CA: an agent's certificate opens no internal door
        try (EchoClient c = new EchoClient(group, server.port(), client(pki, "agent", pki.resolve("ca.crt")), "127.0.0.1")) {
            ServerHandshake s = server.nextHandshake();
            assertThat(s.success()).isFalse();
            assertThat(c.echo("should not come back")).isNull();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void theAgentCertificateIsAcceptedWhereTheAgentCaIsTrusted() throws Exception {
        // event-gateway's agent port: its own certificate from the internal CA, agents verified against agent-ca.crt
        SslContext agentPort = TlsContexts.serverMutual(pki.resolve("event-gateway.crt"), pki.resolve("event-gateway.key"),
                pki.resolve("agent-ca.crt"));
        try (EchoServer s = new EchoServer(group, ch -> agentPort.newHandler(ch.alloc()));
             EchoClient c = new EchoClient(group, s.port(), client(pki, "agent", pki.resolve("ca.crt")), "localhost")) {
            assertThat(c.handshake()).as("client handshake: %s", c.handshakeCause()).isTrue();
            assertThat(c.echo("hello")).isEqualTo("hello");
            assertThat(s.nextHandshake().peerSubject()).isEqualTo("CN=agent,O=eventbus dev");
        }
        // and a service certificate is no agent there
        try (EchoServer s = new EchoServer(group, ch -> agentPort.newHandler(ch.alloc()));
             EchoClient c = new EchoClient(group, s.port(), client(pki, "event-service", pki.resolve("ca.crt")), "localhost")) {
            assertThat(s.nextHandshake().success()).isFalse();
            assertThat(c.echo("should not come back")).isNull();
        }
    }

    @Test
    void aClientCertificateFromAnotherCaIsRejected() throws Exception {
        // the client trusts our CA (so it accepts the server), but its own certificate comes from another CA
        try (EchoClient c = new EchoClient(group, server.port(), client(otherPki, "event-gateway", pki.resolve("ca.crt")), "localhost")) {
            ServerHandshake s = server.nextHandshake();
            assertThat(s.success()).isFalse();
            assertThat(s.cause()).isNotNull();
            assertThat(c.echo("should not come back")).isNull();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void noClientCertificateIsRejected() throws Exception {
        try (EchoClient c = new EchoClient(group, server.port(), TlsContexts.client(pki.resolve("ca.crt")), "localhost")) {
            ServerHandshake s = server.nextHandshake();
            assertThat(s.success()).isFalse();
            assertThat(c.echo("should not come back")).isNull();
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void theClientRejectsAServerFromAnotherCa() throws Exception {
        try (EchoClient c = new EchoClient(group, server.port(), client(pki, "event-gateway", otherPki.resolve("ca.crt")), "localhost")) {
            assertThat(c.handshake()).isFalse();
            assertThat(c.handshakeCause()).isNotNull();
            assertThat(server.nextHandshake().success()).isFalse();
        }
    }

    @Test
    void theClientChecksTheServerHostName() throws Exception {
        // a name that is not in the server certificate's SANs
        try (EchoClient c = new EchoClient(group, server.port(), client(pki, "event-gateway", pki.resolve("ca.crt")), "elsewhere.example")) {
            assertThat(c.handshake()).isFalse();
            assertThat(c.handshakeCause()).hasStackTraceContaining("elsewhere.example");
            server.nextHandshake();
        }
    }

    @Test
    void theAgentCertificateCannotServe() throws Exception {
        // agent.crt is clientAuth only: a client refuses it as a server certificate
        SslContext agentAsServer = TlsContexts.server(pki.resolve("agent.crt"), pki.resolve("agent.key"));
        try (EchoServer s = new EchoServer(group, ch -> agentAsServer.newHandler(ch.alloc()));
             EchoClient c = new EchoClient(group, s.port(), TlsContexts.client(pki.resolve("agent-ca.crt")), "agent")) {
            assertThat(c.handshake()).isFalse();
            assertThat(c.handshakeCause()).hasStackTraceContaining("usage");
        }
    }

    @Test
    void tls12IsAcceptedAndNothingOlderIsEnabled() throws Exception {
        SslContext tls12 = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.2")
                .trustManager(Pem.readCertificates(pki.resolve("ca.crt")))
                .keyManager(Pem.readPrivateKey(pki.resolve("event-gateway.key"), null), Pem.readCertificates(pki.resolve("event-gateway.crt")))
                .build();
        try (EchoClient c = new EchoClient(group, server.port(), tls12, "localhost")) {
            assertThat(c.handshake()).as("client handshake: %s", c.handshakeCause()).isTrue();
            assertThat(c.protocol()).isEqualTo("TLSv1.2");
            assertThat(c.echo("x")).isEqualTo("x");
            assertThat(server.nextHandshake().success()).isTrue();
        }
        SslContext ctx = TlsContexts.serverMutual(pki.resolve("event-service.crt"), pki.resolve("event-service.key"), pki.resolve("ca.crt"));
        SSLEngine engine = ctx.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getNeedClientAuth()).isTrue();
        assertThat(ctx.isServer()).isTrue();
    }

    @Test
    void mismatchedKeyAndCertificateAreRefusedUpFront() {
        assertThatThrownBy(() -> TlsContexts.serverMutual(pki.resolve("event-service.crt"), pki.resolve("event-gateway.key"),
                pki.resolve("ca.crt")))
                .isInstanceOf(CertsException.class)
                .hasMessage(pki.resolve("event-gateway.key") + ": the private key does not belong to the certificate in "
                        + pki.resolve("event-service.crt"));
        assertThatThrownBy(() -> TlsContexts.server(Pem.readCertificates(pki.resolve("agent.crt")),
                Pem.readPrivateKey(pki.resolve("ca.key"), null)))
                .isInstanceOf(CertsException.class).hasMessageContaining("does not belong");
        assertThatThrownBy(() -> TlsContexts.client(List.of())).isInstanceOf(CertsException.class);
    }
}
