package dev.eventbus.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.zip.X5455_ExtendedTimestamp;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes every artifact kind and reads it back: content, paths, manifest and the ZIP container rules. */
class ArchiveRoundTripTest {
    private static final Instant START = Instant.parse("2026-03-04T05:06:07.891Z");
    private static final List<String> SERVER_TYPES = List.of(ArtifactType.HEALTH, ArtifactType.VARIABLES,
            ArtifactType.EXP_VARIABLES, ArtifactType.CONNECTIONS, ArtifactType.ROUTES, ArtifactType.GATEWAYS, ArtifactType.LEAFS,
            ArtifactType.SUBS, ArtifactType.JETSTREAM_INFO, ArtifactType.ACCOUNTS, ArtifactType.CLOSED_CONNECTIONS,
            ArtifactType.EVENTBUS_HANDLERS, ArtifactType.EVENTBUS_AUTHZ);
    private static final List<String> ACCOUNT_TYPES = List.of(ArtifactType.ACCOUNT_CONNECTIONS, ArtifactType.ACCOUNT_LEAFS,
            ArtifactType.ACCOUNT_SUBS, ArtifactType.ACCOUNT_JETSTREAM_INFO, ArtifactType.ACCOUNT_INFO, ArtifactType.ACCOUNT_RAFTZ,
            ArtifactType.ACCOUNT_IPQUEUES);

    @TempDir
    Path dir;

    private static byte[] envelope(String server, String type) {
        return ("{\"server\":{\"name\":\"" + server + "\",\"id\":\"ID" + server + "\"},\"data\":{\"kind\":\"" + type + "\",\"n\":1}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyArtifactKindRoundTrips() throws IOException {
        Path file = dir.resolve("all.zip");
        byte[] profile = new byte[4096];
        new Random(7).nextBytes(profile);
        List<String> written = new ArrayList<>();
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            w.setTime(START);
            for (String t : SERVER_TYPES) {
                written.add(w.addIndentedJson(envelope("n1", t), List.of(Tag.server("n1"), Tag.artifactType(t), Tag.cluster("C1"))));
            }
            for (String t : ACCOUNT_TYPES) {
                written.add(w.addIndentedJson(envelope("n1", t),
                        List.of(Tag.account("ACC"), Tag.server("n1"), Tag.cluster("C1"), Tag.artifactType(t))));
            }
            written.add(w.add(GoJson.parse("{\"name\":\"ORDERS\",\"state\":{\"last_seq\":5}}".getBytes(StandardCharsets.UTF_8)),
                    Tag.account("ACC"), Tag.server("n1"), Tag.cluster("C1"), Tag.stream("ORDERS"), Tag.artifactType(ArtifactType.STREAM_INFO)));
            written.add(w.addRaw(profile, "prof", Tag.server("n1"), Tag.artifactType(ArtifactType.PROFILE),
                    Tag.profileName("goroutine_1"), Tag.cluster("C1")));
            written.add(w.add(new AuditMetadata("2026-03-04T05:07:00Z", "n1", "2.9.10", "http://h:8222", "me (Me)", "eventbus audit x",
                    null, "2026-03-04T05:06:07.891Z", null), Tag.special(ArtifactType.SPECIAL_METADATA)));
            written.add(w.addRaw("line one\nline two\n".getBytes(StandardCharsets.UTF_8), "log", Tag.special(ArtifactType.SPECIAL_LOG)));
        }

        try (ArchiveReader r = ArchiveReader.open(file)) {
            assertThat(r.warnings()).isEmpty();
            assertThat(r.generation()).isEqualTo(Generation.PAGED);
            for (String t : SERVER_TYPES) {
                JsonNode page = r.load(Tag.server("n1"), Tag.cluster("C1"), Tag.artifactType(t));
                assertThat(page.path("data").path("kind").asText()).isEqualTo(t);
                assertThat(r.findOne(List.of(Tag.server("n1"), Tag.artifactType(t))))
                        .isEqualTo("capture/clusters/C1/n1/" + t + "/0001.json");
            }
            for (String t : ACCOUNT_TYPES) {
                List<Artifact> pages = r.pages(List.of(Tag.account("ACC"), Tag.artifactType(t)));
                assertThat(pages).hasSize(1);
                assertThat(pages.get(0).path()).isEqualTo("capture/accounts/ACC/servers/C1__n1/" + t + "/0001.json");
                assertThat(pages.get(0).data().path("kind").asText()).isEqualTo(t);
                assertThat(pages.get(0).server().path("name").asText()).isEqualTo("n1");
            }
            Artifact stream = r.pages(List.of(Tag.stream("ORDERS"))).get(0);
            assertThat(stream.path()).isEqualTo("capture/accounts/ACC/streams/ORDERS/replicas/C1__n1/stream_info/0001.json");
            assertThat(stream.data().path("state").path("last_seq").asLong()).isEqualTo(5); // bare, no envelope
            assertThat(r.loadBytes(Tag.profileName("goroutine_1"))).isEqualTo(profile);
            assertThat(r.find(List.of(Tag.artifactType(ArtifactType.PROFILE)))).containsExactly("capture/profiles/C1/n1__goroutine_1.prof");
            AuditMetadata m = r.metadata().orElseThrow();
            assertThat(m.connectedServerName()).isEqualTo("n1");
            assertThat(m.toolVersion()).isEqualTo("eventbus audit x");
            assertThat(m.captureStartTimestamp()).isEqualTo("2026-03-04T05:06:07.891Z");
            assertThat(r.captureLog()).isEqualTo("line one\nline two\n");

            assertThat(r.clusterNames()).containsExactly("C1");
            assertThat(r.clusterServerNames("C1")).containsExactly("n1");
            assertThat(r.accountNames()).containsExactly("ACC");
            assertThat(r.accountStreamNames("ACC")).containsExactly("ORDERS");
            assertThat(r.streamServerNames("ACC", "ORDERS")).containsExactly("n1");
            assertThat(r.clusterServerNames("nope")).isEmpty();
            assertThat(r.manifest().names()).containsExactlyInAnyOrderElementsOf(written);
        }
        assertContainerRules(file, written.size());
    }

    /** Deflate everywhere, no directory entries, no comment, manifest last, entry times = capture start in UTC. */
    private static void assertContainerRules(Path file, int artifacts) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
            assertThat(entries).hasSize(artifacts + 1);
            assertThat(entries.get(entries.size() - 1).getName()).isEqualTo(ArtifactPaths.MANIFEST_PATH);
            LocalDateTime utc = LocalDateTime.ofInstant(START, ZoneOffset.UTC).withNano(0);
            for (ZipArchiveEntry e : entries) {
                assertThat(e.getMethod()).as(e.getName()).isEqualTo(ZipArchiveEntry.DEFLATED);
                assertThat(e.isDirectory()).isFalse();
                assertThat(e.getName()).startsWith("capture/").doesNotContain("\\").doesNotContain("//");
                assertThat(dosTime(raw, (int) e.getLocalHeaderOffset())).as("DOS time of %s", e.getName())
                        .isEqualTo(utc.withSecond(utc.getSecond() / 2 * 2));
                X5455_ExtendedTimestamp ts = (X5455_ExtendedTimestamp) e.getExtraField(X5455_ExtendedTimestamp.HEADER_ID);
                assertThat(ts).as("0x5455 field of %s", e.getName()).isNotNull();
                assertThat(ts.getModifyTime().getValue()).isEqualTo(START.getEpochSecond());
            }
        }
        try (java.util.zip.ZipFile jdk = new java.util.zip.ZipFile(file.toFile())) {
            assertThat(jdk.getComment()).isNull(); // no archive comment
            assertThat(jdk.size()).isEqualTo(artifacts + 1); // the JDK reads it too
        }
    }

    /** The MS-DOS date and time fields of the local header at {@code offset}, as written (no zone applied). */
    private static LocalDateTime dosTime(byte[] zip, int offset) {
        int t = (zip[offset + 10] & 0xff) | (zip[offset + 11] & 0xff) << 8;
        int d = (zip[offset + 12] & 0xff) | (zip[offset + 13] & 0xff) << 8;
        return LocalDateTime.of((d >> 9) + 1980, (d >> 5) & 0xf, d & 0x1f, t >> 11, (t >> 5) & 0x3f, (t & 0x1f) * 2);
    }

    @Test
    void addingTheSameTagsTwiceMakesTwoPagesThatLoadRefusesAndPagesReadsInOrder() throws IOException {
        Path file = dir.resolve("pages.zip");
        List<Tag> tags = List.of(Tag.server("S"), Tag.artifactType(ArtifactType.CONNECTIONS), Tag.cluster("C"));
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            for (int i = 1; i <= 12; i++) w.addIndentedJson(("{\"page\":" + i + "}").getBytes(StandardCharsets.UTF_8), tags);
        }
        try (ArchiveReader r = ArchiveReader.open(file)) {
            List<Artifact> pages = r.pages(tags);
            assertThat(pages).extracting(a -> a.content().path("page").asInt()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
            assertThat(pages.get(11).path()).isEqualTo("capture/clusters/C/S/connections/0012.json");
            assertThatThrownBy(() -> r.load(tags.toArray(Tag[]::new))).isInstanceOf(MultipleMatchException.class)
                    .hasMessageStartingWith("multiple files matched the given query");
        }
    }

    @Test
    void queriesAcrossClustersAndServersWithClearErrors() throws IOException {
        Path file = dir.resolve("clusters.zip");
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            for (String c : List.of("C1", "C2")) {
                for (String s : List.of("A", "B", "C", "D")) {
                    if (c.equals("C1") && s.equals("A")) continue;
                    w.addIndentedJson(envelope(s, "health"), List.of(Tag.server(s), Tag.artifactType(ArtifactType.HEALTH), Tag.cluster(c)));
                }
            }
            w.addIndentedJson(envelope("s1", "v"), List.of(Tag.server("s1"), Tag.artifactType(ArtifactType.VARIABLES), Tag.cluster("C1")));
            w.addIndentedJson(envelope("s1", "v2"), List.of(Tag.server("s1"), Tag.artifactType(ArtifactType.VARIABLES), Tag.cluster("C2")));
            w.addRaw("hello".getBytes(StandardCharsets.UTF_8), "txt", Tag.special("message"));
        }
        try (ArchiveReader r = ArchiveReader.open(file)) {
            assertThat(r.clusterNames()).containsExactly("C1", "C2");
            assertThat(r.clusterServerNames("C1")).containsExactly("B", "C", "D", "s1");
            assertThat(r.clusterServerNames("C2")).containsExactly("A", "B", "C", "D", "s1");
            assertThatThrownBy(() -> r.load(Tag.cluster("C1"), Tag.server("A"))).isInstanceOf(NoMatchException.class)
                    .hasMessage("no file matched the given query (cluster:C1 server:A)");
            assertThatThrownBy(() -> r.load(Tag.artifactType(ArtifactType.HEALTH))).isInstanceOf(MultipleMatchException.class);
            assertThatThrownBy(() -> r.pages(List.of(Tag.server("nobody")))).isInstanceOf(NoMatchException.class);
            // the same server name in two clusters: each loadable
            assertThat(r.load(Tag.server("s1"), Tag.cluster("C1")).path("data").path("kind").asText()).isEqualTo("v");
            assertThat(r.load(Tag.server("s1"), Tag.cluster("C2")).path("data").path("kind").asText()).isEqualTo("v2");
            assertThat(new String(r.loadBytes(Tag.special("message")), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(r.find(List.of(Tag.special("message")))).containsExactly("capture/misc/message.txt");
        }
    }

    @Test
    void rawEntriesRoundTripByteForByte() throws IOException {
        Path file = dir.resolve("raw.zip");
        Random rnd = new Random(42);
        byte[] small = new byte[2048];
        byte[] big = new byte[2 * 1024 * 1024];
        rnd.nextBytes(small);
        rnd.nextBytes(big);
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            w.addRaw(new byte[0], "bin", Tag.special("empty"));
            w.addRaw(small, "bin", Tag.special("small"));
            w.addRaw(big, "bin", Tag.special("big"));
            assertThat(w.entryCount()).isEqualTo(3);
        }
        try (ArchiveReader r = ArchiveReader.open(file)) {
            assertThat(r.entryNames()).hasSize(4);
            assertThat(r.loadBytes(Tag.special("empty"))).isEmpty();
            assertThat(r.loadBytes(Tag.special("small"))).isEqualTo(small);
            assertThat(r.loadBytes(Tag.special("big"))).isEqualTo(big);
        }
    }

    @Test
    void writerRules() throws IOException {
        Path file = dir.resolve("rules.zip");
        Files.writeString(file, "an older, larger file that must disappear entirely ".repeat(1000));
        ArchiveWriter w = ArchiveWriter.create(file);
        w.addRaw("x".getBytes(StandardCharsets.UTF_8), "log", Tag.special("a"));
        assertThatThrownBy(() -> w.addRaw("y".getBytes(StandardCharsets.UTF_8), "log", Tag.special("a")))
                .isInstanceOf(ArchiveException.class).hasMessage("artifact capture/misc/a.log already present");
        assertThatThrownBy(() -> w.addRaw("{}".getBytes(StandardCharsets.UTF_8), "txt",
                Tag.server("s"), Tag.artifactType("variables"), Tag.cluster("c"))).hasMessageContaining("must be json");
        assertThatThrownBy(() -> w.addRaw(new byte[0], "json", Tag.special("manifest"))).hasMessageContaining("already present");
        assertThatThrownBy(() -> w.addIndentedJson("not json".getBytes(StandardCharsets.UTF_8),
                List.of(Tag.server("s"), Tag.artifactType("variables"), Tag.cluster("c")))).hasMessageStartingWith("invalid JSON");
        w.close();
        w.close(); // idempotent
        assertThatThrownBy(() -> w.addRaw(new byte[0], "log", Tag.special("b")))
                .isInstanceOf(ArchiveException.class).hasMessage("attempting to write into a closed writer");
        try (ArchiveReader r = ArchiveReader.open(file)) {
            assertThat(r.manifest().names()).containsExactly("capture/misc/a.log");
        }
        assertThatThrownBy(() -> ArchiveWriter.create(dir.resolve("missing/dir/x.zip"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void pageTenThousandIsRefused() throws IOException {
        Path file = dir.resolve("many.zip");
        List<Tag> tags = List.of(Tag.server("s"), Tag.artifactType(ArtifactType.SUBS), Tag.cluster("c"));
        byte[] page = "{}".getBytes(StandardCharsets.UTF_8);
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            for (int i = 0; i < ArchiveWriter.MAX_PAGES; i++) w.addRaw(page, "json", tags);
            assertThatThrownBy(() -> w.addRaw(page, "json", tags)).isInstanceOf(ArchiveException.class)
                    .hasMessage("too many pages in capture/clusters/c/s/subs (at most 9999)");
        }
        try (ArchiveReader r = ArchiveReader.open(file)) {
            assertThat(r.find(tags)).hasSize(9999).last().isEqualTo("capture/clusters/c/s/subs/9999.json");
        }
    }
}
