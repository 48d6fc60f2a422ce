package dev.eventbus.audit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.ArchiveWriter;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.GoJson;
import dev.eventbus.audit.archive.Tag;
import dev.eventbus.audit.testing.Ports;
import dev.eventbus.audit.testing.Seed;
import dev.eventbus.audit.testing.SilentServer;
import dev.eventbus.broker.Broker;
import dev.eventbus.broker.BrokerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: each command end to end, and one-line errors (never a stack trace) for user mistakes. */
class AuditMainTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AuditMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path seeded() throws IOException {
        Path file = dir.resolve("seeded.zip");
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            Seed.server(w, "C1", "n1", ArtifactType.VARIABLES, Seed.varz("n1", "2.9.10", "\"slow_consumers\":2"));
            Seed.server(w, "C1", "n2", ArtifactType.VARIABLES, Seed.varz("n2", "2.10.1", ""));
            Seed.server(w, "C1", "n1", ArtifactType.CONNECTIONS, "{\"connections\":[{\"cid\":1}]}");
            Seed.server(w, "C1", "n1", ArtifactType.CONNECTIONS, "{\"connections\":[{\"cid\":2}]}");
            w.addRaw("line 1\nline 2\n".getBytes(StandardCharsets.UTF_8), "log", Tag.special(ArtifactType.SPECIAL_LOG));
        }
        return file;
    }

    private static void assertOneLineError(Run r, int code, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).startsWith("eventbus audit: " + message).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().lines().count()).isLessThanOrEqualTo(2);
    }

    @Test
    void captureWithOneServerDownAndOneHangingStillCompletesAndSaysSo() throws Exception {
        Broker broker = new Broker(BrokerOptions.builder().serverName("eb1").host("127.0.0.1").port(0).httpHost("127.0.0.1")
                .httpPort(0).build()).start();
        int closed = Ports.closed();
        Path out = dir.resolve("partial.zip");
        try (SilentServer silent = new SilentServer()) {
            Run r = run("capture", "--server", "http://127.0.0.1:" + broker.httpPort(),
                    "--server", "127.0.0.1:" + closed + ",127.0.0.1:" + silent.port(),
                    "--timeout", "1500ms", "--no-progress", "-q", "-o", out.toString());
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("Archive created at " + out)
                    .containsPattern("Captured \\d+ endpoint responses from 1 of 3 servers")
                    .contains("http://127.0.0.1:" + closed + " (argument): unreachable - connection refused")
                    .contains("http://127.0.0.1:" + silent.port() + " (argument): timed out - no answer within 1500ms")
                    .contains("2 problems; see the capture log");
            assertThat(r.err()).isEmpty();
        } finally {
            broker.shutdown();
        }
        try (ArchiveReader reader = ArchiveReader.open(out)) {
            assertThat(reader.clusterServerNames(Tag.NO_CLUSTER)).containsExactly("eb1");
            assertThat(reader.captureLog())
                    .contains("Server at http://127.0.0.1:" + closed + " is unreachable (connection refused) - skipping it")
                    .contains("is too slow (no answer within 1500ms) - skipping it");
            JsonNode servers = reader.metadata().orElseThrow().servers();
            assertThat(servers).extracting(s -> s.path("status").asText()).containsExactly("captured", "unreachable", "timed out");
        }
        Run show = run("show", out.toString(), "--tag", "special:audit_gather_log");
        assertThat(show.out()).contains("connection refused").contains("Captured ");
    }

    @Test
    void captureWithEveryServerDownStillWritesTheArchiveButFails() throws Exception {
        Path out = dir.resolve("none.zip");
        Run r = run("capture", "-s", "127.0.0.1:" + Ports.closed(), "-o", out.toString(), "-q", "--no-progress");
        assertOneLineError(r, 1, "no server could be captured");
        assertThat(r.out()).contains("from 0 of 1 servers");
        try (ArchiveReader reader = ArchiveReader.open(out)) {
            assertThat(reader.captureLog()).contains("connection refused");
            assertThat(reader.metadata()).isPresent();
        }
    }

    @Test
    void userErrorsAreOneLine() throws IOException {
        Path archive = seeded();
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        assertThat(run().code()).isEqualTo(2);
        assertOneLineError(run("frob"), 2, "unknown command 'frob'");
        assertOneLineError(run("capture"), 2, "at least one --server URL is required");
        assertOneLineError(run("capture", "--server"), 2, "flag --server needs a value");
        assertOneLineError(run("capture", "--server", "x:1", "--timeout", "soon"), 2, "flag --timeout needs a duration");
        assertOneLineError(run("capture", "--server", "ftp://h:1", "-o", dir.resolve("a.zip").toString()), 1, "invalid server URL 'ftp://h:1'");
        assertOneLineError(run("capture", "--server", "h:1", "-o", dir.resolve("no/such/dir/a.zip").toString()), 1,
                dir.resolve("no/such/dir/a.zip") + ": directory");
        assertOneLineError(run("ls", dir.resolve("missing.zip").toString()), 1, dir.resolve("missing.zip") + ": no such file");
        assertOneLineError(run("ls", text.toString()), 1, text + " is not a ZIP archive");
        assertOneLineError(run("ls", archive.toString(), "--bogus"), 2, "unknown flag --bogus for 'audit ls'");
        assertOneLineError(run("ls", archive.toString(), "--tag", "colour:red"), 2, "unknown tag label 'colour'");
        assertOneLineError(run("show", archive.toString(), "--tag", "server:nobody"), 1,
                "no file matched the given query (server:nobody)");
        assertOneLineError(run("show", archive.toString(), "--tag", "server:n1"), 1, "2 artifacts match server:n1; add tags to pick one");
        assertOneLineError(run("show", archive.toString()), 2, "show needs --tag");
        assertOneLineError(run("analyze"), 2, "analyze needs exactly one archive file");
        assertOneLineError(run("analyze", archive.toString(), "--skip", "NOPE_1"), 2, "unknown check 'NOPE_1'");
        assertOneLineError(run("diff", archive.toString()), 2, "diff needs two archive files");
    }

    @Test
    void lsShowAnalyzeChecksAndVersion() throws IOException {
        String archive = seeded().toString();
        Run ls = run("ls", archive, "--tag", "server:n1");
        assertThat(ls.code()).isZero();
        assertThat(ls.out().lines()).hasSize(3).allMatch(l -> l.startsWith("capture/clusters/C1/n1/"));
        assertThat(ls.out()).contains("capture/clusters/C1/n1/connections/0002.json  server:n1 artifact_type:connections cluster:C1");
        assertThat(run("ls", archive, "--values", "server").out()).isEqualTo("n1\nn2\n");
        assertThat(run("ls", archive).out().lines()).hasSize(5);

        Run show = run("show", archive, "-t", "server:n1", "-t", "artifact_type:connections");
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("\"cid\": 1").contains("\"cid\": 2").contains("\"server\": {");
        Run page = run("show", archive, "-t", "server:n1", "-t", "artifact_type:connections", "--page", "2", "--data");
        assertThat(page.out()).contains("\"cid\": 2").doesNotContain("\"cid\": 1").doesNotContain("\"server\"");
        Run entry = run("show", archive, "capture/misc/audit_gather_log.log");
        assertThat(entry.out()).isEqualTo("line 1\nline 2\n");

        Run text = run("analyze", archive);
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("[FAIL] [SERVER_002]").contains("   - C1/n1: 2 slow consumers");
        Run json = run("analyze", archive, "--json");
        assertThat(json.code()).isZero();
        JsonNode report = GoJson.parse(json.out().getBytes(StandardCharsets.UTF_8));
        assertThat(report.path("type").asText()).isEqualTo("io.nats.audit.v1.analysis");
        assertThat(json.out()).startsWith("{\n   \"type\"");

        assertThat(run("checks").out()).contains("SERVER_004").contains("EVENTBUS_001").contains("cpu=90%");
        assertThat(GoJson.parse(run("checks", "--json").out().getBytes(StandardCharsets.UTF_8)).size()).isGreaterThan(20);
        assertThat(run("--version").out()).startsWith("eventbus audit ");
        assertThat(run("capture", "-h").out()).contains("--server URL");
    }

    @Test
    void diffShowsWhatChangedBetweenTwoCaptures() throws IOException {
        Path a = dir.resolve("a.zip");
        Path b = dir.resolve("b.zip");
        try (ArchiveWriter w = ArchiveWriter.create(a)) {
            Seed.server(w, "C1", "n1", ArtifactType.VARIABLES, Seed.varz("n1", "2.9.10", ""));
            Seed.server(w, "C1", "n2", ArtifactType.VARIABLES, Seed.varz("n2", "2.9.10", ""));
            Seed.server(w, "C1", "n1", ArtifactType.CONNECTIONS, "{\"connections\":[{\"cid\":1,\"name\":\"a\"},{\"cid\":2,\"name\":\"b\"}]}");
        }
        try (ArchiveWriter w = ArchiveWriter.create(b)) {
            Seed.server(w, "C1", "n1", ArtifactType.VARIABLES,
                    Seed.varz("n1", "2.9.10", "\"connections\":5").replace("2026-01-02T03:04:05Z", "2026-01-02T04:00:00Z"));
            Seed.server(w, "C1", "n3", ArtifactType.VARIABLES, Seed.varz("n3", "2.9.10", ""));
            Seed.server(w, "C1", "n1", ArtifactType.CONNECTIONS, "{\"connections\":[{\"cid\":2,\"name\":\"b\"},{\"cid\":3,\"name\":\"c\"}]}");
            Seed.server(w, "C1", "n1", ArtifactType.ROUTES, "{\"routes\":[]}");
        }
        Run r = run("diff", a.toString(), b.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("servers:\n  - C1/n2\n  + C1/n3\n")
                .contains("+ clusters/C1/n1/routes\n")
                .contains("- clusters/C1/n2/variables\n")
                .contains("~ clusters/C1/n1/variables\n    connections: 1 -> 5 (+4)\n")
                .contains("    connections[cid=1].cid: 1 -> (none)")
                .contains("    connections[cid=3].name: (none) -> c")
                .doesNotContain("connections[cid=2]")
                .doesNotContain("now:");
        assertThat(run("diff", a.toString(), b.toString(), "--all").out()).contains("now: 2026-01-02T03:04:05Z -> 2026-01-02T04:00:00Z");
        assertThat(run("diff", a.toString(), a.toString()).out()).endsWith("no differences\n");
    }
}
