package dev.eventbus.config;

import static dev.eventbus.config.TestFiles.read;
import static dev.eventbus.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPatcherTest {
    @TempDir
    Path dir;

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void thePatchIsMergedIntoBaseAndWritten() throws Exception {
        Path base = write(dir, "base.toml", """
                # my comment
                [service]
                port = "5000"
                event_limit = 500
                [log]
                level = "debug"
                """);
        Path patch = write(dir, "patch.toml", """
                service.port = 6000
                service.event_limit = 0
                handlers.feed = "10.1.1.1:10121"
                """);
        ConfigPatcher.Result r = new ConfigPatcher(App.EVENT_SERVICE).patch(base, patch);

        assertThat(r.written()).isTrue();
        assertThat(r.changes()).extracting(ConfigPatcher.Change::toString).containsExactly(
                "service.port: 5000 -> 6000",
                "service.event_limit: 500 -> 0",
                "handlers.feed: (not set) -> \"10.1.1.1:10121\"");
        assertThat(read(base)).isEqualTo("""
                # Saved overrides, written by 'eventbus config patch' (comments are not kept).

                [service]
                port = 6000
                event_limit = 0

                [log]
                level = "debug"

                [handlers]
                feed = "10.1.1.1:10121"
                """);
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE).overrides(base).load();
        assertThat(cfg.getInt("service.port")).isEqualTo(6000);
        assertThat(cfg.getLong("service.event_limit")).isZero();
        assertThat(cfg.getString("log.level")).isEqualTo("debug");
        assertThat(filesIn(dir)).containsExactly("base.toml", "patch.toml");
    }

    @Test
    void arraysAreReplacedWholeAndRelativePathsKeepPointingAtTheSameFiles() throws Exception {
        Path base = write(dir, "etc/gw.toml", """
                [tls]
                cert_path = "certs/svc.crt"
                [[frontend_tls]]
                server_name = "a"
                cert_path = "a.crt"
                key_path = "a.key"
                [[frontend_tls]]
                server_name = "b"
                cert_path = "b.crt"
                key_path = "b.key"
                """);
        Path patch = write(dir, "patches/new-cert.toml", """
                [[frontend_tls]]
                server_name = "c"
                cert_path = "certs/c.crt"
                key_path = "/secure/c.key"
                """);
        ConfigPatcher.Result r = new ConfigPatcher(App.EVENT_GATEWAY).patch(base, patch);
        assertThat(r.changes()).extracting(ConfigPatcher.Change::toString)
                .containsExactly("frontend_tls: 2 entries -> 1 entry");
        assertThat(read(base)).isEqualTo("""
                # Saved overrides, written by 'eventbus config patch' (comments are not kept).

                [[frontend_tls]]
                server_name = "c"
                cert_path = "../patches/certs/c.crt"
                key_path = "/secure/c.key"

                [tls]
                cert_path = "certs/svc.crt"
                """);
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_GATEWAY).overrides(base).load();
        assertThat(cfg.getTables("frontend_tls").get(0).getPath("cert_path")).isEqualTo(dir.resolve("patches/certs/c.crt"));
        assertThat(cfg.getPath("tls.cert_path")).isEqualTo(dir.resolve("etc/certs/svc.crt"));
    }

    @Test
    void anInvalidPatchWritesNothing() throws Exception {
        String original = "[service]\nport = 5000\n";
        Path base = write(dir, "base.toml", original);
        Path patch = write(dir, "patch.toml", "[service]\nport = \"abc\"\nprot = 1\n");
        ConfigException e = catchThrowableOfType(() -> new ConfigPatcher(App.EVENT_SERVICE).patch(base, patch),
                ConfigException.class);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                patch + ":2:1: service.port: expected an integer 1..65535, got \"abc\"",
                patch + ":3:1: service.prot: unknown key (did you mean service.port?)");
        assertThat(read(base)).isEqualTo(original);
        assertThat(filesIn(dir)).containsExactly("base.toml", "patch.toml");
    }

    @Test
    void anInvalidBaseIsReportedToo() throws Exception {
        Path base = write(dir, "base.toml", "[service]\nport = 0\n");
        Path patch = write(dir, "patch.toml", "[log]\nlevel = \"debug\"\n");
        ConfigException e = catchThrowableOfType(() -> new ConfigPatcher(App.EVENT_SERVICE).patch(base, patch),
                ConfigException.class);
        assertThat(e.getMessage()).isEqualTo(base + ":2:1: service.port: expected an integer 1..65535, got 0");
    }

    @Test
    void aMissingBaseIsCreatedAndAMissingPatchIsAnError() throws Exception {
        Path base = dir.resolve("new.toml");
        Path patch = write(dir, "patch.toml", "[log]\nformat = \"json\"\n");
        assertThat(new ConfigPatcher(App.EVENT_SERVICE).patch(base, patch).written()).isTrue();
        assertThat(read(base)).endsWith("[log]\nformat = \"json\"\n");

        Path missing = dir.resolve("nope.toml");
        ConfigException e = catchThrowableOfType(() -> new ConfigPatcher(App.EVENT_SERVICE).patch(base, missing),
                ConfigException.class);
        assertThat(e.getMessage()).isEqualTo(missing + ": cannot read: no such file");
    }

    @Test
    void patchingWithWhatBaseAlreadySaysWritesNothing() throws Exception {
        Path base = write(dir, "base.toml", "x");
        Path patch = write(dir, "patch.toml", "[service]\nport = 5000\n");
        Files.writeString(base, ConfigPatcher.HEADER + "\n\n[service]\nport = 5000\n");
        ConfigPatcher.Result r = new ConfigPatcher(App.EVENT_SERVICE).patch(base, patch);
        assertThat(r.written()).isFalse();
        assertThat(r.changes()).isEmpty();
    }

    @Test
    void refusesWhenBaseChangesBetweenReadAndWrite() throws Exception {
        Path base = write(dir, "base.toml", "[service]\nport = 5000\n");
        Path patch = write(dir, "patch.toml", "[log]\nlevel = \"debug\"\n");
        String concurrentEdit = "[service]\nport = 5001\n";
        ConfigPatcher patcher = new ConfigPatcher(App.EVENT_SERVICE).beforeCommit(() -> write(dir, "base.toml", concurrentEdit));

        ConfigChangedException e = catchThrowableOfType(() -> patcher.patch(base, patch), ConfigChangedException.class);

        assertThat(e.getMessage()).isEqualTo(base + " changed since it was read; nothing was written. Run the command again.");
        assertThat(e.file()).isEqualTo(base);
        assertThat(read(base)).isEqualTo(concurrentEdit);
        assertThat(filesIn(dir)).containsExactly("base.toml", "patch.toml");

        // run again: reads the new BASE and succeeds
        new ConfigPatcher(App.EVENT_SERVICE).patch(base, patch);
        EffectiveConfig cfg = ConfigLoader.forApp(App.EVENT_SERVICE).overrides(base).load();
        assertThat(cfg.getInt("service.port")).isEqualTo(5001);
        assertThat(cfg.getString("log.level")).isEqualTo("debug");
    }

    @Test
    void refusesWhenBaseIsCreatedBetweenReadAndWrite() throws Exception {
        Path base = dir.resolve("base.toml");
        Path patch = write(dir, "patch.toml", "[log]\nlevel = \"debug\"\n");
        ConfigPatcher patcher = new ConfigPatcher(App.EVENT_SERVICE).beforeCommit(() -> write(dir, "base.toml", "# mine\n"));
        catchThrowableOfType(() -> patcher.patch(base, patch), ConfigChangedException.class);
        assertThat(read(base)).isEqualTo("# mine\n");
    }

    @Test
    void rewritingTheSameBytesIsNotAChange() throws Exception {
        String original = "[service]\nport = 5000\n";
        Path base = write(dir, "base.toml", original);
        Path patch = write(dir, "patch.toml", "[log]\nlevel = \"debug\"\n");
        AtomicInteger calls = new AtomicInteger();
        new ConfigPatcher(App.EVENT_SERVICE).beforeCommit(() -> {
            calls.incrementAndGet();
            write(dir, "base.toml", original);
        }).patch(base, patch);
        assertThat(calls).hasValue(1);
        assertThat(read(base)).contains("level = \"debug\"");
    }

    @Test
    void aSecondPatchWhileTheFirstIsCommittingIsRefused() throws Exception {
        Path base = write(dir, "base.toml", "[service]\nport = 5000\n");
        Path first = write(dir, "first.toml", "[log]\nlevel = \"debug\"\n");
        Path second = write(dir, "second.toml", "[log]\nlevel = \"error\"\n");
        ConfigPatcher patcher = new ConfigPatcher(App.EVENT_SERVICE).beforeCommit(() -> {
            // first holds BASE's lock here: a second patch of BASE cannot get in between the check and the rename
            assertThat(catchThrowableOfType(() -> new ConfigPatcher(App.EVENT_SERVICE).patch(base, second),
                    ConfigChangedException.class)).isNotNull();
        });
        patcher.patch(base, first);
        assertThat(read(base)).contains("level = \"debug\"").doesNotContain("error");
    }

    @Test
    void permissionsAndSymlinksAreKept() throws Exception {
        Path real = write(dir, "real/base.toml", "[service]\nport = 5000\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("base.toml"), real);
        Path patch = write(dir, "patch.toml", "[log]\nlevel = \"debug\"\n");
        new ConfigPatcher(App.EVENT_SERVICE).patch(link, patch);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(read(real)).contains("level = \"debug\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-r-----");
        assertThat(filesIn(dir.resolve("real"))).containsExactly("base.toml");
    }

    @Test
    void hashesAreSha256OfTheContent() {
        assertThat(ConfigPatcher.sha256("abc".getBytes()))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ConfigPatcher.sha256(null)).isEqualTo("absent");
    }
}
