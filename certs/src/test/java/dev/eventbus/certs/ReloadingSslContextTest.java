package dev.eventbus.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventbus.certs.TlsTestSupport.EchoClient;
import dev.eventbus.certs.TlsTestSupport.EchoServer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingSslContextTest {
    static EventLoopGroup group;

    @TempDir
    Path pki;
    Path crt;
    Path key;
    Path caCrt;
    CertificateAuthority ca;
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startGroup() {
        group = TlsTestSupport.group();
    }

    @AfterAll
    static void stopGroup() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @BeforeEach
    void init() {
        DevPki.init(pki, DevPki.Options.defaults());
        crt = pki.resolve("event-service.crt");
        key = pki.resolve("event-service.key");
        caCrt = pki.resolve("ca.crt");
        ca = CertificateAuthority.load(caCrt, pki.resolve("ca.key"), null);
    }

    final ReloadingSslContext.Listener recorder = new ReloadingSslContext.Listener() {
        @Override
        public void onReload(SslContext next, SslContext previous) {
            events.add("reload");
        }

        @Override
        public void onReloadFailed(Exception error, SslContext kept) {
            events.add("failed: " + error.getMessage());
        }
    };

    /** A new certificate for the same service, from the same CA, written atomically over the old files. */
    IssuedCertificate replaceServerCertificate() {
        IssuedCertificate next = ca.issue(new LeafSpec("event-service", DevPki.sans("event-service", List.of()),
                CertUsage.SERVER_AND_CLIENT, KeyAlgorithm.ecP256(), Duration.ofDays(30)));
        next.write(crt, key);
        return next;
    }

    SslContext gatewayClient() {
        return TlsContexts.clientMutual(pki.resolve("event-gateway.crt"), pki.resolve("event-gateway.key"), caCrt);
    }

    BigInteger serialSeenBy(EchoClient c) throws Exception {
        assertThat(c.handshake()).as("client handshake: %s", c.handshakeCause()).isTrue();
        return c.peerCertificate().getSerialNumber();
    }

    @Test
    void aNewConnectionSeesTheNewCertificateWhileAnOpenOneStaysUp() throws Exception {
        BigInteger original = Pem.readCertificate(crt).getSerialNumber();
        try (ReloadingSslContext reloading = ReloadingSslContext.forServerMutual(crt, key, caCrt)
                .minCheckInterval(Duration.ZERO).listener(recorder).build();
             EchoServer server = new EchoServer(group, ch -> reloading.newHandler(ch.alloc()));
             EchoClient first = new EchoClient(group, server.port(), gatewayClient(), "localhost")) {
            assertThat(serialSeenBy(first)).isEqualTo(original);
            assertThat(first.echo("before")).isEqualTo("before");

            IssuedCertificate next = replaceServerCertificate();

            try (EchoClient second = new EchoClient(group, server.port(), gatewayClient(), "localhost")) {
                assertThat(serialSeenBy(second)).isEqualTo(next.certificate().getSerialNumber()).isNotEqualTo(original);
                assertThat(second.echo("new")).isEqualTo("new");
            }
            // the connection opened before the reload is untouched: same session, same certificate, still echoing
            assertThat(first.channel.isActive()).isTrue();
            assertThat(first.echo("still here")).isEqualTo("still here");
            assertThat(first.peerCertificate().getSerialNumber()).isEqualTo(original);
            assertThat(reloading.reloadCount()).isEqualTo(1);
            assertThat(events).containsExactly("reload");
        }
    }

    @Test
    void aBadFileKeepsTheOldContextAndIsReportedOnce() throws Exception {
        try (ReloadingSslContext reloading = ReloadingSslContext.forServerMutual(crt, key, caCrt)
                .minCheckInterval(Duration.ZERO).listener(recorder).build()) {
            SslContext good = reloading.current();
            String goodCert = Files.readString(crt);
            Files.writeString(crt, "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n");
            for (int i = 0; i < 5; i++) assertThat(reloading.current()).isSameAs(good);
            assertThat(events).hasSize(1);
            assertThat(events.get(0)).startsWith("failed: " + crt + ": certificate 1 is damaged");

            // garbage that is not PEM at all: another change, another (single) report
            Files.writeString(crt, "oops");
            assertThat(reloading.reloadIfChanged()).isFalse();
            assertThat(reloading.reloadIfChanged()).isFalse();
            assertThat(events).hasSize(2);
            assertThat(events.get(1)).contains("not a PEM certificate file");

            // back to what is loaded: nothing to do
            Files.writeString(crt, goodCert);
            assertThat(reloading.reloadIfChanged()).isFalse();
            assertThat(reloading.current()).isSameAs(good);

            // a deleted file is a failure too, not an exception in the caller
            Files.delete(key);
            assertThat(reloading.current()).isSameAs(good);
            assertThat(events).hasSize(3);
            assertThat(events.get(2)).contains(key + ": no such file");

            // fixed: reloaded
            replaceServerCertificate();
            assertThat(reloading.current()).isNotSameAs(good);
            assertThat(events).hasSize(4).last().isEqualTo("reload");
        }
    }

    @Test
    void aCertificateWithTheWrongKeyIsRejectedUntilTheKeyArrives() throws Exception {
        try (ReloadingSslContext reloading = ReloadingSslContext.forServerMutual(crt, key, caCrt)
                .minCheckInterval(Duration.ZERO).listener(recorder).build();
             EchoServer server = new EchoServer(group, ch -> reloading.newHandler(ch.alloc()))) {
            BigInteger original = Pem.readCertificate(crt).getSerialNumber();
            IssuedCertificate next = ca.issue(LeafSpec.of("event-service", CertUsage.SERVER_AND_CLIENT, "localhost"));
            Pem.writeCertificates(crt, next.chain()); // the certificate first, the key not yet
            try (EchoClient c = new EchoClient(group, server.port(), gatewayClient(), "localhost")) {
                assertThat(serialSeenBy(c)).isEqualTo(original);
            }
            assertThat(events).singleElement().asString().contains("does not belong");
            Pem.writePrivateKey(key, next.privateKey(), Pem.KeyFormat.SEC1); // any key format works
            try (EchoClient c = new EchoClient(group, server.port(), gatewayClient(), "localhost")) {
                assertThat(serialSeenBy(c)).isEqualTo(next.certificate().getSerialNumber());
            }
            assertThat(events).last().isEqualTo("reload");
        }
    }

    @Test
    void checksAreThrottledAndTouchAloneReloadsNothing() throws Exception {
        try (ReloadingSslContext reloading = ReloadingSslContext.forServerMutual(crt, key, caCrt)
                .minCheckInterval(Duration.ofHours(1)).listener(recorder).build()) {
            SslContext first = reloading.current();
            Files.setLastModifiedTime(crt, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            assertThat(reloading.reloadIfChanged()).isFalse(); // same content
            replaceServerCertificate();
            assertThat(reloading.current()).isSameAs(first); // not due for an hour
            assertThat(reloading.reloadIfChanged()).isTrue(); // an explicit check sees it
            assertThat(reloading.current()).isNotSameAs(first);
            assertThat(reloading.reloadIfChanged()).isFalse();
            assertThat(events).containsExactly("reload");
        }
    }

    @Test
    void theDefaultIntervalPicksUpAChangeWithinAboutASecond() throws Exception {
        try (ReloadingSslContext reloading = ReloadingSslContext.forServerMutual(crt, key, caCrt).build()) {
            SslContext first = reloading.current();
            replaceServerCertificate();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> reloading.current() != first);
        }
    }

    @Test
    void scheduledPollingReloadsWithoutAnyConnection() throws Exception {
        try (ReloadingSslContext reloading = ReloadingSslContext.forServerMutual(crt, key, caCrt)
                .minCheckInterval(Duration.ofHours(1)).pollEvery(Duration.ofMillis(50)).listener(recorder).build()) {
            SslContext first = reloading.peek();
            replaceServerCertificate();
            await().atMost(Duration.ofSeconds(5)).until(() -> reloading.peek() != first);
            assertThat(events).contains("reload");
        }
    }

    @Test
    void encryptedKeysAndCustomLoaders() throws Exception {
        IssuedCertificate leaf = ca.issue(LeafSpec.of("event-service", CertUsage.SERVER_AND_CLIENT, "localhost"));
        Path encKey = pki.resolve("enc.key");
        Pem.writeEncryptedPrivateKey(encKey, leaf.privateKey(), "pw".toCharArray());
        Pem.writeCertificates(crt, leaf.chain());
        try (ReloadingSslContext r = ReloadingSslContext.forServer(crt, encKey).keyPassword("pw".toCharArray()).build()) {
            assertThat(r.current().isServer()).isTrue();
            assertThat(r.watchedFiles()).containsExactly(crt, encKey);
        }
        int[] loads = {0};
        try (ReloadingSslContext r = ReloadingSslContext.custom(() -> {
            loads[0]++;
            return TlsContexts.client(Pem.readCertificates(caCrt));
        }, List.of(caCrt)).minCheckInterval(Duration.ZERO).build()) {
            assertThat(r.get().isClient()).isTrue();
            Pem.writeCertificates(caCrt, CertificateAuthority.create("new CA", KeyAlgorithm.ecP256(), Duration.ofDays(1)).certificate());
            r.get();
            assertThat(loads[0]).isEqualTo(2);
        }
    }

    @Test
    void badFilesAtStartFailFast() throws Exception {
        Files.writeString(crt, "garbage");
        assertThatThrownBy(() -> ReloadingSslContext.forServerMutual(crt, key, caCrt).build())
                .isInstanceOf(CertsException.class).hasMessageContaining(crt + ": not a PEM certificate file");
        assertThatThrownBy(() -> ReloadingSslContext.forServer(pki.resolve("agent.crt"), key).build())
                .isInstanceOf(CertsException.class).hasMessageContaining("does not belong");
    }
}
