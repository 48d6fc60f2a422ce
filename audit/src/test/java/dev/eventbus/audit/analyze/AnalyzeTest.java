package dev.eventbus.audit.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.ArchiveWriter;
import dev.eventbus.audit.archive.ArtifactPaths;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.AuditMetadata;
import dev.eventbus.audit.archive.GoJson;
import dev.eventbus.audit.archive.Manifest;
import dev.eventbus.audit.archive.Tag;
import dev.eventbus.audit.testing.Seed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks over seeded archives: each problem planted is flagged, with its explanation. */
class AnalyzeTest {
    @TempDir
    Path dir;

    /** Three nats-servers of C1 and an eventbus server, with a problem of every kind planted. */
    private Path troubled() throws IOException {
        Path file = dir.resolve("troubled.zip");
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            Seed.server(w, "C1", "n1", ArtifactType.VARIABLES, Seed.varz("n1", "2.9.10",
                    "\"slow_consumers\":3,\"max_subscriptions\":10,\"gateway\":{\"name\":\"C1\",\"gateways\":[{\"name\":\"C1\"},{\"name\":\"C2\"}]}"));
            Seed.server(w, "C1", "n2", ArtifactType.VARIABLES, Seed.varz("n2", "2.9.10", "\"mem\":10500000"));
            Seed.server(w, "C1", "n3", ArtifactType.VARIABLES, Seed.varz("n3", "2.10.1",
                    "\"cpu\":190,\"connections\":60,\"max_connections\":64,\"mem\":30000000"));
            Seed.server(w, "C1", "n1", ArtifactType.ROUTES, "{\"routes\":[{\"rid\":1,\"remote_id\":\"ID_n2\",\"pending_size\":0}]}");
            Seed.server(w, "C1", "n2", ArtifactType.ROUTES, "{\"routes\":[{\"remote_id\":\"ID_n1\"},{\"remote_id\":\"ID_n3\"}]}");
            Seed.server(w, "C1", "n3", ArtifactType.ROUTES, "{\"routes\":[{\"remote_id\":\"ID_n1\"},{\"remote_id\":\"ID_n2\",\"pending_size\":5000000}]}");
            Seed.server(w, "C1", "n1", ArtifactType.GATEWAYS, "{\"outbound_gateways\":{\"C2\":{\"configured\":true}},\"inbound_gateways\":{}}");
            Seed.server(w, "C1", "n1", ArtifactType.CONNECTIONS,
                    "{\"connections\":[{\"cid\":7,\"name\":\"orders-app\",\"subscriptions\":10},{\"cid\":8,\"subscriptions\":1}]}");
            Seed.server(w, "C1", "n2", ArtifactType.HEALTH, "{\"status\":\"unavailable\",\"error\":\"JetStream is not current\"}");
            Seed.server(w, "C1", "n1", ArtifactType.HEALTH, "{\"status\":\"ok\"}");
            Seed.server(w, "C1", "n2", ArtifactType.CLOSED_CONNECTIONS,
                    "{\"connections\":[{\"cid\":3,\"ip\":\"10.1.2.3\",\"reason\":\"Authentication Failure\"},{\"cid\":4,\"reason\":\"Client Closed\"}]}");
            Seed.server(w, Tag.NO_CLUSTER, "eb1", ArtifactType.VARIABLES, Seed.varz("eb1", "2.9.10", "\"go\":\"java17\""));
            Seed.server(w, Tag.NO_CLUSTER, "eb1", ArtifactType.EVENTBUS_HANDLERS,
                    "{\"handlers\":[{\"name\":\"audit-sink\",\"pending\":95,\"pending_limit\":100},{\"name\":\"ok\",\"pending\":1,\"pending_limit\":100}]}");
            w.add(new AuditMetadata("2026-01-02T03:05:00Z", "n1", "2.9.10", "http://n1:8222", "me (Me)", "eventbus audit t", null,
                    null, null), Tag.special(ArtifactType.SPECIAL_METADATA));
        }
        return file;
    }

    private static CheckResult result(Analysis a, String code) {
        return a.results().stream().filter(r -> r.check().code().equals(code)).findFirst().orElseThrow();
    }

    @Test
    void flagsEveryPlantedProblemWithAnExplanation() throws IOException {
        try (ArchiveReader r = ArchiveReader.open(troubled())) {
            Analysis a = new Analyzer(5, Set.of()).analyze(r, "troubled.zip");

            CheckResult versions = result(a, "SERVER_002");
            assertThat(versions.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(versions.examples().lines()).containsExactly("n1 - 2.9.10", "n2 - 2.9.10", "n3 - 2.10.1", "eb1 - 2.9.10");

            CheckResult slow = result(a, "SERVER_004");
            assertThat(slow.outcome()).isEqualTo(Outcome.WARN);
            assertThat(slow.examples().lines()).containsExactly("C1/n1: 3 slow consumers");

            assertThat(result(a, "SERVER_003").outcome()).isEqualTo(Outcome.FAIL);
            assertThat(result(a, "SERVER_003").examples().lines()).containsExactly("C1/n3: 190.0% CPU on 2 cores (95.0% per core)");
            assertThat(result(a, "SERVER_901").outcome()).isEqualTo(Outcome.WARN);
            assertThat(result(a, "SERVER_901").examples().lines()).containsExactly("C1/n3: 60 connections, 94% of the limit 64");
            assertThat(result(a, "SERVER_902").outcome()).isEqualTo(Outcome.FAIL);
            assertThat(result(a, "SERVER_902").examples().lines())
                    .containsExactly("C1/n1: cid 7 (orders-app) has 10 subscriptions, the limit is 10");
            assertThat(result(a, "SERVER_903").outcome()).isEqualTo(Outcome.WARN);
            assertThat(result(a, "SERVER_903").examples().lines()).containsExactly(
                    "C1/n2: 1 of the last 2 closed connections failed authentication (latest: Authentication Failure from 10.1.2.3)");
            assertThat(result(a, "SERVER_001").outcome()).isEqualTo(Outcome.WARN);
            assertThat(result(a, "SERVER_001").examples().lines()).containsExactly("C1/n2: status unavailable (JetStream is not current)");

            CheckResult routes = result(a, "CLUSTER_901");
            assertThat(routes.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(routes.examples().lines()).containsExactly("C1/n1: no route to n3", "C1/n3: route to n2 has 4.8 MiB pending");
            CheckResult gateways = result(a, "CLUSTER_902");
            assertThat(gateways.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(gateways.examples().lines()).containsExactly("C1/n1: gateway C2 is not connected");
            assertThat(result(a, "CLUSTER_001").outcome()).isEqualTo(Outcome.WARN);
            assertThat(result(a, "CLUSTER_001").examples().lines()).singleElement().asString().startsWith("C1/n3: memory 28.6 MiB");

            CheckResult handlers = result(a, "EVENTBUS_001");
            assertThat(handlers.outcome()).isEqualTo(Outcome.WARN);
            assertThat(handlers.examples().lines()).containsExactly("unclustered/eb1: handler audit-sink has 95 pending events, 95% of its limit 100");

            CheckResult js = result(a, "META_001");
            assertThat(js.outcome()).isEqualTo(Outcome.SKIP);
            assertThat(js.examples().error()).isEqualTo("no jetstream_info artifacts (no server has JetStream enabled)");
            assertThat(result(a, "SERVER_007").outcome()).isEqualTo(Outcome.PASS);
        }
    }

    @Test
    void aHealthyArchivePassesAndTheHandlerCheckSkipsWithoutHandlerz() throws IOException {
        Path file = dir.resolve("healthy.zip");
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            Seed.server(w, "C1", "n1", ArtifactType.VARIABLES, Seed.varz("n1", "2.9.10", ""));
            Seed.server(w, "C1", "n2", ArtifactType.VARIABLES, Seed.varz("n2", "2.9.10", ""));
            Seed.server(w, "C1", "n1", ArtifactType.ROUTES, "{\"routes\":[{\"remote_id\":\"ID_n2\"}]}");
            Seed.server(w, "C1", "n2", ArtifactType.ROUTES, "{\"routes\":[{\"remote_id\":\"ID_n1\"}]}");
        }
        try (ArchiveReader r = ArchiveReader.open(file)) {
            Analysis a = new Analyzer(5, Set.of()).analyze(r, "healthy.zip");
            for (String code : List.of("SERVER_002", "SERVER_003", "SERVER_004", "SERVER_007", "SERVER_901", "CLUSTER_001", "CLUSTER_901")) {
                assertThat(result(a, code).outcome()).as(code).isEqualTo(Outcome.PASS);
            }
            assertThat(result(a, "EVENTBUS_001").outcome()).isEqualTo(Outcome.SKIP);
            assertThat(result(a, "EVENTBUS_001").examples().error()).contains("/handlerz");
            assertThat(a.outcomes().get(Outcome.FAIL)).isZero();
        }
    }

    @Test
    void theJsonReportHasTheAnalysisShapeAndHonoursSkipAndMaxExamples() throws IOException {
        try (ArchiveReader r = ArchiveReader.open(troubled())) {
            Analysis a = new Analyzer(2, Set.of("server_004")).analyze(r, "troubled.zip");
            JsonNode json = GoJson.parse(GoJson.encode(a.toJson(), "   "));
            assertThat(json.path("type").asText()).isEqualTo("io.nats.audit.v1.analysis");
            assertThat(json.path("time").asText()).endsWith("Z");
            assertThat(json.path("metadata").path("connect_url").asText()).isEqualTo("http://n1:8222");
            assertThat(json.path("skipped_checks")).hasSize(1);
            assertThat(json.path("skipped_checks").get(0).asText()).isEqualTo("SERVER_004");
            JsonNode checks = json.path("checks");
            assertThat(checks).hasSize(Checks.all().size());
            String previousSuite = "";
            int total = 0;
            for (JsonNode c : checks) {
                String suite = c.path("check").path("suite").asText();
                assertThat(suite).isGreaterThanOrEqualTo(previousSuite);
                previousSuite = suite;
                assertThat(c.path("outcome").asInt()).isBetween(0, 3);
                assertThat(c.path("outcome_string").asText()).isIn("PASS", "WARN", "FAIL", "SKIP");
                total++;
            }
            JsonNode versions = checks.findParents("code").stream().filter(n -> n.path("code").asText().equals("SERVER_002"))
                    .findFirst().orElseThrow();
            assertThat(versions.path("name").asText()).isEqualTo("Server Version");
            JsonNode versionResult = null;
            for (JsonNode c : checks) if (c.path("check").path("code").asText().equals("SERVER_002")) versionResult = c;
            assertThat(versionResult.path("outcome").asInt()).isEqualTo(2);
            assertThat(versionResult.path("examples").path("examples")).hasSize(2); // capped
            JsonNode cpu = null;
            for (JsonNode c : checks) if (c.path("check").path("code").asText().equals("SERVER_003")) cpu = c;
            assertThat(cpu.path("check").path("configuration").path("cpu").path("default").asDouble()).isEqualTo(90);
            assertThat(cpu.path("check").path("configuration").path("cpu").path("unit").asText()).isEqualTo("%");
            int sum = 0;
            for (String o : List.of("PASS", "WARN", "FAIL", "SKIP")) sum += json.path("outcomes").path(o).asInt();
            assertThat(sum).isEqualTo(total);

            ByteArrayOutputStream text = new ByteArrayOutputStream();
            ReportPrinter.print(a, new PrintStream(text, true, StandardCharsets.UTF_8));
            assertThat(text.toString(StandardCharsets.UTF_8))
                    .startsWith("NATS Audit Report \"troubled.zip\" captured at 2026-01-02T03:05:00Z")
                    .contains("[FAIL] [SERVER_002] All servers run the same version\n   - n1 - 2.9.10\n   - n2 - 2.9.10\n   - ... and 2 more ...")
                    .contains("[SKIP] [SERVER_004]")
                    .contains("   Error: no jetstream_info artifacts")
                    .contains("Creator:           eventbus audit t");
        }
    }

    @Test
    void flagsVersionDriftInADataOnlyArchiveOfNatscli01() throws IOException {
        Path file = dir.resolve("v01.zip");
        Manifest m = new Manifest();
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (String[] s : new String[][] {{"n1", "2.10.0"}, {"n2", "2.10.2"}}) {
                String name = "capture/clusters/C1/" + s[0] + "/variables.json";
                z.putNextEntry(new ZipEntry(name));
                z.write(("{\"server_id\":\"" + s[0] + "\",\"version\":\"" + s[1] + "\",\"slow_consumers\":1}").getBytes(StandardCharsets.UTF_8));
                m.put(name, List.of(Tag.server(s[0]), Tag.artifactType("variables"), Tag.cluster("C1")));
            }
            z.putNextEntry(new ZipEntry(ArtifactPaths.MANIFEST_PATH));
            z.write(m.toJson());
        }
        try (ArchiveReader r = ArchiveReader.open(file)) {
            Analysis a = new Analyzer(5, Set.of()).analyze(r, "v01.zip");
            assertThat(result(a, "SERVER_002").outcome()).isEqualTo(Outcome.FAIL);
            assertThat(result(a, "SERVER_002").examples().lines()).containsExactly("n1 - 2.10.0", "n2 - 2.10.2");
            assertThat(result(a, "SERVER_004").examples().lines()).containsExactly("C1/n1: 1 slow consumer", "C1/n2: 1 slow consumer");
        }
    }
}
