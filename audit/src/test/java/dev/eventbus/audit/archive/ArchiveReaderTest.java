package dev.eventbus.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's integrity checks, and archives of the older Go generations (spec §1.8, §1.9). */
class ArchiveReaderTest {
    @TempDir
    Path dir;

    /** A ZIP with these entries, written by java.util.zip (a stand-in for other tools). Stored when {@code store}. */
    private Path zip(String name, Map<String, String> entries, boolean store) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                ZipEntry ze = new ZipEntry(e.getKey());
                if (store) {
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(b.length);
                    CRC32 crc = new CRC32();
                    crc.update(b);
                    ze.setCrc(crc.getValue());
                }
                z.putNextEntry(ze);
                z.write(b);
                z.closeEntry();
            }
        }
        return file;
    }

    private static String manifest(Map<String, List<Tag>> m) {
        Manifest manifest = new Manifest();
        m.forEach(manifest::put);
        return new String(manifest.toJson(), StandardCharsets.UTF_8);
    }

    @Test
    void refusesAManifestThatNamesAMissingEntry() throws IOException {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("capture/clusters/C1/n1/variables/0001.json", "{}");
        e.put(ArtifactPaths.MANIFEST_PATH, manifest(Map.of(
                "capture/clusters/C1/n1/variables/0001.json", List.of(Tag.server("n1"), Tag.artifactType("variables"), Tag.cluster("C1")),
                "capture/clusters/C1/n1/health/0001.json", List.of(Tag.server("n1"), Tag.artifactType("health"), Tag.cluster("C1")))));
        Path file = zip("missing.zip", e, false);
        assertThatThrownBy(() -> ArchiveReader.open(file)).isInstanceOf(ArchiveException.class)
                .hasMessage("file capture/clusters/C1/n1/health/0001.json is in manifest, but not present in archive");
    }

    @Test
    void refusesAnArchiveWithoutManifestOrWithABrokenOne() throws IOException {
        Path none = zip("none.zip", Map.of("capture/misc/x.log", "x"), false);
        assertThatThrownBy(() -> ArchiveReader.open(none)).isInstanceOf(ArchiveException.class)
                .hasMessage("manifest file not found in archive");
        Path broken = zip("broken.zip", Map.of(ArtifactPaths.MANIFEST_PATH, "{\"a\": "), false);
        assertThatThrownBy(() -> ArchiveReader.open(broken)).isInstanceOf(ArchiveException.class)
                .hasMessageStartingWith("invalid manifest: invalid JSON");
    }

    @Test
    void refusesFilesThatAreNotZipArchives() throws IOException {
        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "just some text");
        assertThatThrownBy(() -> ArchiveReader.open(text)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(text + " is not a ZIP archive");
        assertThatThrownBy(() -> ArchiveReader.open(dir.resolve("nope.zip"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void unlistedEntriesAndDirectoriesAreOnlyWarnings() throws IOException {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("capture/", "");
        e.put("capture/extra.txt", "x");
        e.put("capture/misc/audit_gather_log.log", "log\n");
        e.put(ArtifactPaths.MANIFEST_PATH, manifest(Map.of("capture/misc/audit_gather_log.log", List.of(Tag.special("audit_gather_log")))));
        try (ArchiveReader r = ArchiveReader.open(zip("extra.zip", e, false))) {
            assertThat(r.warnings()).containsExactly("file capture/ is in archive, but not in manifest",
                    "file capture/extra.txt is in archive, but not in manifest");
            assertThat(r.captureLog()).isEqualTo("log\n");
            assertThat(r.metadata()).isEmpty();
            assertThat(r.generation()).isEqualTo(Generation.EMPTY);
        }
    }

    @Test
    void readsSingleFileEnvelopeArchivesOfNatscli020() throws IOException {
        Map<String, String> e = new LinkedHashMap<>();
        String vars = "capture/clusters/C1/n1/variables.json";
        e.put(vars, "{\n  \"server\": {\"name\": \"n1\", \"id\": \"N1\"},\n  \"data\": {\"version\": \"2.10.1\", \"slow_consumers\": 2}\n}");
        e.put("capture/misc/audit_gather_metadata.json", "{\"capture_timestamp\":\"2025-04-01T00:00:00Z\",\"cli_version\":\"v0.2.1\"}");
        e.put(ArtifactPaths.MANIFEST_PATH, manifest(Map.of(
                vars, List.of(Tag.server("n1"), Tag.artifactType("variables"), Tag.cluster("C1")),
                "capture/misc/audit_gather_metadata.json", List.of(Tag.special("audit_gather_metadata")))));
        try (ArchiveReader r = ArchiveReader.open(zip("v020.zip", e, true))) {
            assertThat(r.generation()).isEqualTo(Generation.SINGLE_FILE);
            List<Artifact> pages = r.pages(List.of(Tag.server("n1"), Tag.artifactType("variables")));
            assertThat(pages).hasSize(1);
            assertThat(pages.get(0).data().path("version").asText()).isEqualTo("2.10.1");
            assertThat(pages.get(0).server().path("id").asText()).isEqualTo("N1");
            assertThat(r.metadata().orElseThrow().toolVersion()).isEqualTo("v0.2.1");
        }
    }

    @Test
    void readsDataOnlyArchivesOfNatscli01() throws IOException {
        Map<String, String> e = new LinkedHashMap<>();
        String vars = "capture/clusters/C1/n1/variables.json";
        e.put(vars, "{\"server_id\": \"N1\", \"version\": \"2.10.0\", \"slow_consumers\": 0}");
        e.put(ArtifactPaths.MANIFEST_PATH, manifest(Map.of(vars, List.of(Tag.server("n1"), Tag.artifactType("variables"), Tag.cluster("C1")))));
        try (ArchiveReader r = ArchiveReader.open(zip("v01.zip", e, false))) {
            assertThat(r.generation()).isEqualTo(Generation.DATA_ONLY);
            Artifact a = r.pages(List.of(Tag.artifactType("variables"))).get(0);
            assertThat(a.dataOnly()).isTrue();
            assertThat(a.data().path("version").asText()).isEqualTo("2.10.0");
            assertThat(a.server().isMissingNode()).isTrue();
        }
    }
}
