package dev.eventbus.audit.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.Analysis;
import dev.eventbus.audit.analyze.Analyzer;
import dev.eventbus.audit.analyze.CheckResult;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.Artifact;
import dev.eventbus.audit.archive.ArtifactPaths;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.AuditMetadata;
import dev.eventbus.audit.archive.Tag;
import dev.eventbus.audit.testing.Http;
import dev.eventbus.audit.testing.Ports;
import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.GatewayOptions;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.X5455_ExtendedTimestamp;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture against a running eventbus stack: two in-process brokers linked by a gateway, on two loopback addresses
 * with the same monitoring port, so that the second is found through the first's /gatewayz.
 */
class CaptureEventbusTest {
    private static final String EAST_HOST = "127.0.0.2";
    private static final String WEST_HOST = "127.0.0.3";

    @TempDir
    Path dir;

    private Broker east;
    private Broker west;
    private final List<Connection> clients = new ArrayList<>();
    private int httpPort;

    private static Broker start(String name, String host, int httpPort, String remoteName, String remoteUrl) throws Exception {
        GatewayOptions.Builder g = GatewayOptions.builder(name).host(host).port(Ports.freeOnAll(host))
                .reconnectDelay(Duration.ofMillis(100)).maxReconnectDelay(Duration.ofMillis(500));
        if (remoteName != null) g.remote(remoteName, remoteUrl);
        return new Broker(BrokerOptions.builder().serverName(name).host(host).port(0).httpHost(host).httpPort(httpPort)
                .gateway(g.build()).build()).start();
    }

    @BeforeEach
    void startStack() throws Exception {
        httpPort = Ports.freeOnAll(EAST_HOST, WEST_HOST);
        east = start("east", EAST_HOST, httpPort, null, null);
        west = start("west", WEST_HOST, httpPort, "east", "nats://" + EAST_HOST + ":" + east.gatewayPort());
        for (int i = 0; i < 5; i++) {
            Connection c = Nats.connect("nats://" + WEST_HOST + ":" + west.port());
            c.subscribe("orders." + i);
            c.flush(Duration.ofSeconds(2));
            clients.add(c);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode w = Http.json(WEST_HOST, httpPort, "/gatewayz");
            JsonNode e = Http.json(EAST_HOST, httpPort, "/gatewayz");
            assertThat(w.path("outbound_gateways").path("east").path("connection").isObject()).isTrue();
            assertThat(e.path("outbound_gateways").path("west").path("connection").isObject()).isTrue();
            assertThat(Http.json(WEST_HOST, httpPort, "/varz").path("connections").asInt()).isEqualTo(5);
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Connection c : clients) c.close();
        if (west != null) west.shutdown();
        if (east != null) east.shutdown();
    }

    @Test
    void capturesTheStackAndFindsThePeerThroughGatewayz() throws Exception {
        Path out = dir.resolve("stack.zip");
        CaptureLog log = new CaptureLog(line -> { });
        CaptureOptions options = CaptureOptions.of(List.of("http://" + WEST_HOST + ":" + httpPort), out)
                .withPageSize(2).withToolVersion("eventbus audit test");
        Instant before = Instant.now();
        CaptureResult result = Capture.run(options, log, Progress.NONE);

        assertThat(result.problems()).as(log.text()).isZero();
        assertThat(result.servers()).extracting(CapturedServer::status).containsExactly("captured", "captured");
        assertThat(result.servers()).extracting(CapturedServer::via).containsExactly("argument", "gatewayz of west");
        assertThat(log.lines()).contains("Server west does not offer /routez - skipping it",
                "Server west does not offer /handlerz - skipping it");
        assertThat(log.text()).contains("Discovered peer " + EAST_HOST + " at http://" + EAST_HOST + ":" + httpPort + " through gatewayz of west");

        try (ArchiveReader r = ArchiveReader.open(out)) {
            assertThat(r.warnings()).isEmpty();
            assertThat(r.clusterNames()).containsExactly(Tag.NO_CLUSTER);
            assertThat(r.clusterServerNames(Tag.NO_CLUSTER)).containsExactly("east", "west");

            // /connz paged at 2: 5 client connections on west make three pages
            List<Artifact> connz = r.pages(List.of(Tag.server("west"), Tag.artifactType(ArtifactType.CONNECTIONS)));
            assertThat(connz).extracting(a -> a.data().path("connections").size()).containsExactly(2, 2, 1);
            assertThat(connz).extracting(a -> a.data().path("offset").asInt()).containsExactly(0, 2, 4);
            assertThat(connz.get(2).path()).isEqualTo("capture/clusters/unclustered/west/connections/0003.json");

            // the envelope a $SYS reply would carry
            JsonNode varz = r.load(Tag.server("west"), Tag.artifactType(ArtifactType.VARIABLES));
            JsonNode server = varz.path("server");
            assertThat(server.path("name").asText()).isEqualTo("west");
            assertThat(server.path("id").asText()).isEqualTo(west.serverId());
            assertThat(server.path("ver").asText()).isEqualTo("2.9.10");
            assertThat(server.path("jetstream").asBoolean(true)).isFalse();
            assertThat(server.path("time").asText()).endsWith("Z");
            assertThat(server.has("cluster")).isFalse();
            assertThat(varz.path("data").path("server_id").asText()).isEqualTo(west.serverId());
            assertThat(new String(r.read(r.findOne(List.of(Tag.server("west"), Tag.artifactType(ArtifactType.VARIABLES))))))
                    .startsWith("{\n  \"server\": {\n    \"name\": \"west\",").doesNotEndWith("\n");

            for (String type : List.of(ArtifactType.SUBS, ArtifactType.GATEWAYS, ArtifactType.HEALTH, ArtifactType.CLOSED_CONNECTIONS)) {
                assertThat(r.find(List.of(Tag.server("east"), Tag.artifactType(type)))).as(type).hasSize(1);
            }
            assertThat(r.find(List.of(Tag.artifactType(ArtifactType.ROUTES)))).isEmpty();
            assertThat(r.load(Tag.server("west"), Tag.artifactType(ArtifactType.HEALTH)).path("data").path("status").asText()).isEqualTo("ok");

            AuditMetadata m = r.metadata().orElseThrow();
            assertThat(m.version()).isEqualTo("eventbus audit test");
            assertThat(m.connectedServerName()).isEqualTo("west");
            assertThat(m.connectUrl()).isEqualTo("http://" + WEST_HOST + ":" + httpPort);
            assertThat(m.userName()).isNotBlank();
            Instant start = Instant.parse(m.captureStartTimestamp());
            Instant end = Instant.parse(m.captureTimestamp());
            assertThat(start).isAfterOrEqualTo(before).isBeforeOrEqualTo(end);
            assertThat(m.servers()).hasSize(2);
            assertThat(m.servers().get(1).path("kind").asText()).isEqualTo("eventbus");
            assertThat(r.captureLog()).contains("Captured ").contains("endpoint responses from 2 servers");

            Analysis analysis = new Analyzer(5, Set.of()).analyze(r, out.toString());
            assertThat(outcome(analysis, "CLUSTER_902")).isEqualTo(Outcome.PASS);
            assertThat(outcome(analysis, "SERVER_002")).isEqualTo(Outcome.PASS);
            assertThat(outcome(analysis, "SERVER_004")).isEqualTo(Outcome.PASS);
            assertThat(outcome(analysis, "EVENTBUS_001")).isEqualTo(Outcome.SKIP);
        }

        // every entry carries the capture start (UTC), the manifest is last
        try (ZipFile zip = ZipFile.builder().setPath(out).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
            assertThat(entries.get(entries.size() - 1).getName()).isEqualTo(ArtifactPaths.MANIFEST_PATH);
            long startSeconds;
            try (ArchiveReader r = ArchiveReader.open(out)) {
                startSeconds = Instant.parse(r.metadata().orElseThrow().captureStartTimestamp()).getEpochSecond();
            }
            for (ZipArchiveEntry e : entries) {
                X5455_ExtendedTimestamp ts = (X5455_ExtendedTimestamp) e.getExtraField(X5455_ExtendedTimestamp.HEADER_ID);
                assertThat(ts.getModifyTime().getValue()).as(e.getName()).isEqualTo(startSeconds);
                assertThat(e.getMethod()).isEqualTo(ZipArchiveEntry.DEFLATED);
            }
        }
    }

    static Outcome outcome(Analysis a, String code) {
        return a.results().stream().filter(r -> r.check().code().equals(code)).map(CheckResult::outcome).findFirst().orElseThrow();
    }
}
