package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https targets use the configured client SSLContext; without it the self-signed target is not trusted. */
class HttpsTargetTest {
    @TempDir Path dir;

    @Test
    void httpsDeliveryUsesTheConfiguredSslContext() throws Exception {
        Path ks = dir.resolve("target.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "target", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=event-feed-service", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        try (TestTarget target = TestTarget.create(server)) {
            ServiceOptions.Builder b = ServiceOptions.builder().dataDir(dir.resolve("data"))
                    .handlerTarget("feed", target.url("/feed"))
                    .handlerTarget("cfgingest", target.url("/cfgingest"))
                    .handlerTarget("event_feed", target.url("/event_feed"))
                    .retryBaseDelay(Duration.ofMillis(10)).retryMaxDelay(Duration.ofMillis(50))
                    .unhealthyAfter(Duration.ofMillis(100));
            assertThat(target.url("/feed")).startsWith("https://");

            // without the context: the JDK default trust store refuses the self-signed certificate
            try (EventService svc = EventService.start(b.build())) {
                assertThat(svc.accept(Events.event("t1", "scanJobCreated")).isAccepted()).isTrue();
                await().until(() -> !svc.health().isHealthy());
                assertThat(svc.health().status().handlers().get("event_feed").lastError()).containsIgnoringCase("SSL");
                assertThat(target.requests()).isEmpty();
            }
            // with it: delivered (the event waited on disk across the restart)
            try (EventService svc = EventService.start(b.httpsContext(client).build())) {
                await().until(() -> target.deliveredIds("/event_feed").contains("t1"));
                await().until(() -> svc.pending() == 0);
            }
        }
    }
}
