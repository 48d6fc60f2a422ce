package dev.eventbus.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerEventListener;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.TlsOptions;
import dev.eventbus.broker.testing.TestPki;
import dev.eventbus.certs.CertUsage;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal bus authenticating clients by certificate identity (issue 9 item 2): the real jnats client over
 * mutual TLS. Without an authenticator every certificate the CA signed, an agent's included, got in with full rights.
 */
class CertificateAuthenticatorTest {
    @TempDir Path dir;
    private Broker broker;
    private TestPki pki;
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        pki = TestPki.create(dir, "internal CA");
        TestPki.Leaf server = pki.issue("event-service", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1");
        Authenticator auth = CertificateAuthenticator.builder()
                .identity("event-gateway", Permissions.ALLOW_ALL)
                .identity("reader", Permissions.builder().publishAllow("public.>").subscribeAllow("public.>").build())
                .build();
        broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).httpHost("127.0.0.1").httpPort(0)
                .tls(TlsOptions.builder(pki.serverMutual(server)).verify(true).build())
                .authenticator(auth)
                .listener(new BrokerEventListener() {
                    @Override
                    public void authenticationFailed(String remoteAddress, String reason) { refusals.add(reason); }
                })
                .build()).start();
    }

    @AfterEach
    void stop() {
        if (broker != null) broker.shutdown();
    }

    private Connection connect(SSLContext ssl, ErrorListener errors) throws Exception {
        Options.Builder o = new Options.Builder().server("tls://localhost:" + broker.port()).sslContext(ssl)
                .connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0);
        if (errors != null) o.errorListener(errors);
        return Nats.connect(o.build());
    }

    @Test
    void anAgentCertificateFromTheSameCaIsRefused() throws Exception {
        TestPki.Leaf agent = pki.issue("agent", CertUsage.CLIENT, "localhost", "127.0.0.1");
        assertThatThrownBy(() -> connect(pki.jdkContext(agent), null).close())
                .hasStackTraceContaining("Authorization Violation");
        assertThat(refusals).containsExactly("certificate identity [localhost, 127.0.0.1, agent] is not allowed");
    }

    @Test
    void aServiceIsAdmittedUnderItsIdentityWithFullRights() throws Exception {
        TestPki.Leaf gateway = pki.issue("event-gateway", CertUsage.SERVER_AND_CLIENT, "localhost", "127.0.0.1");
        try (Connection c = connect(pki.jdkContext(gateway), null)) {
            Subscription all = c.subscribe(">");
            c.publish("events.agent7", "e".getBytes(StandardCharsets.UTF_8));
            Message m = all.nextMessage(Duration.ofSeconds(5));
            assertThat(m.getSubject()).isEqualTo("events.agent7");
            String connz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + broker.httpPort() + "/connz?auth=1")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(connz).contains("\"authorized_user\": \"event-gateway\"");
        }
    }

    @Test
    void aRestrictedIdentityGetsItsOwnPermissionsOnly() throws Exception {
        TestPki.Leaf reader = pki.issue("reader", CertUsage.CLIENT); // no SANs: the subject CN is the identity
        List<String> errors = new CopyOnWriteArrayList<>();
        ErrorListener listener = new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) { errors.add(error); }
        };
        try (Connection c = connect(pki.jdkContext(reader), listener)) {
            c.subscribe(">");
            c.flush(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
            assertThat(errors).contains("Permissions Violation for Subscription to \">\"");
        }
    }
}
