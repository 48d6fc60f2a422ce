package dev.eventbus.audit.capture;

import static dev.eventbus.audit.capture.CaptureEventbusTest.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.Analysis;
import dev.eventbus.audit.analyze.Analyzer;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.Artifact;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.Tag;
import dev.eventbus.audit.testing.Http;
import dev.eventbus.audit.testing.NatsServerProcess;
import dev.eventbus.audit.testing.Ports;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture against real nats-servers (skipped when none is installed): cluster C1 of srvA (127.0.0.1) and srvB
 * (127.0.0.2), srvC (127.0.0.3) in gateway C2, and a standalone JetStream server srvD (127.0.0.4) with a stream.
 * Only srvB and srvD are given: srvA is found through srvB's /routez and srvC through srvA's /gatewayz.
 */
class CaptureNatsServerTest {
    @TempDir
    Path dir;

    private NatsServerProcess a;
    private NatsServerProcess b;
    private NatsServerProcess c;
    private NatsServerProcess d;
    private int http;

    @BeforeEach
    void startServers() throws Exception {
        Assumptions.assumeTrue(NatsServerProcess.isInstalled(), "nats-server is not installed");
        http = Ports.freeOnAll("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");
        a = NatsServerProcess.start("""
                server_name: srvA
                listen: 127.0.0.1:-1
                http: 127.0.0.1:%d
                cluster { name: C1, listen: 127.0.0.1:-1 }
                gateway { name: C1, listen: 127.0.0.1:-1 }
                """.formatted(http));
        b = NatsServerProcess.start("""
                server_name: srvB
                listen: 127.0.0.2:-1
                http: 127.0.0.2:%d
                cluster { name: C1, listen: 127.0.0.2:-1, routes: [nats://127.0.0.1:%d] }
                gateway { name: C1, listen: 127.0.0.2:-1 }
                """.formatted(http, a.routePort()));
        c = NatsServerProcess.start("""
                server_name: srvC
                listen: 127.0.0.3:-1
                http: 127.0.0.3:%d
                gateway { name: C2, listen: 127.0.0.3:-1, gateways: [{name: C1, url: "nats://127.0.0.1:%d"}] }
                """.formatted(http, a.gatewayPort()));
        d = NatsServerProcess.start("""
                server_name: srvD
                listen: 127.0.0.4:-1
                http: 127.0.0.4:%d
                jetstream { store_dir: "%s" }
                """.formatted(http, dir.resolve("js").toString().replace("\\", "/")));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(Http.json("127.0.0.2", http, "/routez").path("num_routes").asInt()).isEqualTo(1);
            JsonNode gw = Http.json("127.0.0.1", http, "/gatewayz");
            assertThat(gw.path("outbound_gateways").path("C2").path("connection").isObject()).isTrue();
        });
        try (Connection nc = Nats.connect("nats://127.0.0.4:" + d.port())) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>").build());
            for (int i = 0; i < 3; i++) nc.jetStream().publish("orders.new", ("o" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void stop() {
        for (NatsServerProcess p : new NatsServerProcess[] {d, c, b, a}) {
            if (p != null) p.close();
        }
    }

    @Test
    void capturesAClusterAndAGatewayFromOneSeed() throws Exception {
        Path out = dir.resolve("nats.zip");
        CaptureLog log = new CaptureLog(line -> { });
        CaptureResult result = Capture.run(CaptureOptions.of(List.of("127.0.0.2:" + http, "127.0.0.4:" + http), out), log, Progress.NONE);

        assertThat(result.problems()).as(log.text()).isZero();
        assertThat(result.servers()).extracting(s -> s.info().name()).containsExactly("srvB", "srvD", "srvA", "srvC");
        assertThat(result.servers()).extracting(CapturedServer::via).startsWith("argument", "argument", "routez of srvB");
        assertThat(result.servers().get(3).via()).isIn("gatewayz of srvA", "gatewayz of srvB"); // whichever dialled C2 first
        assertThat(log.text()).contains("Server srvA does not have jetstream enabled - skipping JSZ endpoint");

        try (ArchiveReader r = ArchiveReader.open(out)) {
            assertThat(r.warnings()).isEmpty();
            assertThat(r.clusterNames()).contains("C1");
            assertThat(r.clusterServerNames("C1")).containsExactly("srvA", "srvB");
            for (String type : List.of(ArtifactType.VARIABLES, ArtifactType.CONNECTIONS, ArtifactType.ROUTES, ArtifactType.GATEWAYS,
                    ArtifactType.LEAFS, ArtifactType.SUBS, ArtifactType.ACCOUNTS, ArtifactType.HEALTH)) {
                assertThat(r.find(List.of(Tag.server("srvA"), Tag.artifactType(type)))).as(type).hasSize(1);
            }
            assertThat(r.find(List.of(Tag.server("srvA"), Tag.artifactType(ArtifactType.JETSTREAM_INFO)))).isEmpty();
            JsonNode jsz = r.pages(List.of(Tag.server("srvD"), Tag.artifactType(ArtifactType.JETSTREAM_INFO))).get(0).data();
            assertThat(jsz.path("streams").asInt()).isEqualTo(1);
            assertThat(r.load(Tag.server("srvD"), Tag.artifactType(ArtifactType.VARIABLES)).path("server").path("jetstream").asBoolean())
                    .isTrue();

            // per-account data where the server offers it
            assertThat(r.accountNames()).contains("$G", "$SYS");
            JsonNode info = r.load(Tag.account("$G"), Tag.server("srvA"), Tag.artifactType(ArtifactType.ACCOUNT_INFO));
            assertThat(info.path("data").path("account_name").asText()).isEqualTo("$G");
            assertThat(info.path("server").path("cluster").asText()).isEqualTo("C1");
            assertThat(r.find(List.of(Tag.account("$G"), Tag.server("srvD"), Tag.artifactType(ArtifactType.ACCOUNT_JETSTREAM_INFO))))
                    .hasSize(1);

            // stream_info: a bare StreamDetail per replica
            assertThat(r.accountStreamNames("$G")).containsExactly("ORDERS");
            Artifact stream = r.pages(List.of(Tag.stream("ORDERS"), Tag.artifactType(ArtifactType.STREAM_INFO))).get(0);
            assertThat(stream.tag(Tag.SERVER)).isEqualTo("srvD");
            assertThat(stream.content().has("server")).isFalse();
            assertThat(stream.data().path("state").path("messages").asInt()).isEqualTo(3);

            Analysis analysis = new Analyzer(5, Set.of()).analyze(r, out.toString());
            assertThat(outcome(analysis, "CLUSTER_901")).isEqualTo(Outcome.PASS); // srvA and srvB route to each other
            assertThat(outcome(analysis, "CLUSTER_902")).isEqualTo(Outcome.PASS);
            assertThat(outcome(analysis, "SERVER_002")).isEqualTo(Outcome.PASS);
            assertThat(outcome(analysis, "JETSTREAM_003")).isEqualTo(Outcome.PASS);
            assertThat(outcome(analysis, "SERVER_007")).isEqualTo(Outcome.WARN); // no auth configured
        }
    }
}
