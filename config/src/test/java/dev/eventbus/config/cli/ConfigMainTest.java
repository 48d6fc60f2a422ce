package dev.eventbus.config.cli;

import static dev.eventbus.config.TestFiles.read;
import static dev.eventbus.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.config.ConfigPatcher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigMainTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        return run(UnaryOperator.identity(), args);
    }

    private int run(UnaryOperator<ConfigPatcher> setup, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status;
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            status = ConfigMain.run(args, po, pe, setup);
        }
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        assertThat(err).as("never a stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        return status;
    }

    @Test
    void validatePrintsOkForAValidFile() {
        Path f = write(dir, "ok.toml", "[service]\nport = \"4222\"\n");
        assertThat(run("validate", f.toString())).isZero();
        assertThat(out).isEqualTo("ok\n");
        assertThat(err).isEmpty();
    }

    @Test
    void validatePrintsEveryErrorAndExitsOne() {
        Path f = write(dir, "patch.toml", "[service]\nport = \"abc\"\n\n[log]\nformat = \"xml\"\nlevle = \"info\"\n");
        assertThat(run("validate", f.toString())).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).isEqualTo(f + ":2:1: service.port: expected an integer 1..65535, got \"abc\"\n"
                + f + ":5:1: log.format: expected one of \"text\", \"json\", got \"xml\"\n"
                + f + ":6:1: log.levle: unknown key (did you mean log.level?)\n");
    }

    @Test
    void validateChecksAgainstTheChosenApp() {
        Path f = write(dir, "gw.toml", "[service]\ndisable_frontend_tls = true\n");
        assertThat(run("validate", f.toString(), "--app", "event-gateway")).isZero();
        assertThat(run("validate", "--app=event-service", f.toString())).isEqualTo(1);
        assertThat(err).isEqualTo(f + ":2:1: service.disable_frontend_tls: unknown key\n");
    }

    @Test
    void validateReportsSyntaxErrorsAndMissingFilesInOneLine() {
        Path f = write(dir, "bad.toml", "[service\n");
        assertThat(run("validate", f.toString())).isEqualTo(1);
        assertThat(err).isEqualTo(f + ":1:9: invalid TOML: unexpected end of line, expected ]\n");
        Path missing = dir.resolve("missing.toml");
        assertThat(run("validate", missing.toString())).isEqualTo(1);
        assertThat(err).isEqualTo(missing + ": cannot read: no such file\n");
    }

    @Test
    void showPrintsTheEffectiveTomlWithEachValuesLayer() {
        Path config = write(dir, "event-service.toml", "[service]\nport = 5000\n");
        Path patch = write(dir, "patch.toml", "log.level = \"debug\"\n");
        assertThat(run("show", "--config", config.toString(), "--patch", patch.toString())).isZero();
        assertThat(out).startsWith("# Effective event-service configuration. Layers, lowest first:\n"
                + "#   default: event-service-defaults.toml\n"
                + "#   override: " + config + "\n"
                + "#   patch: " + patch + "\n");
        assertThat(out).contains("port = 5000                  # override: " + config + ":2\n");
        assertThat(out).contains("level = \"debug\"  # patch: " + patch + ":1\n");
        assertThat(out).contains("host = \"127.0.0.1\"           # default: event-service-defaults.toml:9\n");
        assertThat(err).isEmpty();
    }

    @Test
    void showWithoutAConfigShowsTheDefaults() {
        assertThat(run("show", "--app=event-gateway")).isZero();
        assertThat(out).startsWith("# Effective event-gateway configuration.");
        assertThat(out).containsPattern("\nport = 4222 +# default: event-gateway-defaults.toml:10\n");
    }

    @Test
    void showRefusesABadConfig() {
        Path config = write(dir, "c.toml", "[service]\nport = 0\n");
        assertThat(run("show", "--config", config.toString())).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).isEqualTo(config + ":2:1: service.port: expected an integer 1..65535, got 0\n");
    }

    @Test
    void patchWritesBaseAndListsTheChanges() {
        Path base = write(dir, "base.toml", "[service]\nport = 5000\n");
        Path patch = write(dir, "patch.toml", "service.port = 6000\nlog.format = \"json\"\n");
        assertThat(run("patch", base.toString(), patch.toString())).isZero();
        assertThat(out).isEqualTo("  service.port: 5000 -> 6000\n"
                + "  log.format: (not set) -> \"json\"\n"
                + "ok: wrote " + base + "\n");
        assertThat(read(base)).contains("port = 6000").contains("format = \"json\"");
        assertThat(run("patch", base.toString(), patch.toString())).isZero();
        assertThat(out).isEqualTo("ok: " + base + " already says that; nothing written\n");
    }

    @Test
    void patchRefusesWhenBaseChangedSinceItWasRead() {
        Path base = write(dir, "base.toml", "[service]\nport = 5000\n");
        Path patch = write(dir, "patch.toml", "[service]\nport = 6000\n");
        int status = run(p -> p.beforeCommit(() -> write(dir, "base.toml", "[service]\nport = 5001\n")),
                "patch", base.toString(), patch.toString());
        assertThat(status).isEqualTo(1);
        assertThat(err).isEqualTo("eventbus config patch: " + base
                + " changed since it was read; nothing was written. Run the command again.\n");
        assertThat(read(base)).isEqualTo("[service]\nport = 5001\n");
    }

    @Test
    void patchRefusesAnInvalidPatch() {
        Path base = write(dir, "base.toml", "[service]\nport = 5000\n");
        Path patch = write(dir, "patch.toml", "[service]\nport = 70000\n");
        assertThat(run("patch", base.toString(), patch.toString())).isEqualTo(1);
        assertThat(err).isEqualTo(patch + ":2:1: service.port: expected an integer 1..65535, got 70000\n"
                + "eventbus config patch: nothing written\n");
        assertThat(read(base)).isEqualTo("[service]\nport = 5000\n");
    }

    @Test
    void patchSaysWhyItCannotWrite() {
        Path base = dir.resolve("no/such/folder/base.toml");
        Path patch = write(dir, "patch.toml", "[service]\nport = 6000\n");
        assertThat(run("patch", base.toString(), patch.toString())).isEqualTo(1);
        assertThat(err).isEqualTo("eventbus config patch: cannot write " + base + ": no such folder\n");
    }

    @Test
    void badUsageExitsTwoWithOneLine() {
        assertThat(run()).isEqualTo(2);
        assertThat(err).isEqualTo("eventbus config: missing command (show, validate, patch or keys)\n"
                + "Run 'eventbus config -h' for usage.\n");
        assertThat(run("frob")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config: unknown command \"frob\" (expected show, validate, patch or keys)\n");
        assertThat(run("validate")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config validate: expected FILE\n");
        assertThat(run("validate", "a.toml", "b.toml")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config validate: expected FILE, got more\n");
        assertThat(run("patch", "base.toml")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config patch: expected BASE and PATCH\n");
        assertThat(run("show", "--frob")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config show: unknown flag --frob\n");
        assertThat(run("validate", "x.toml", "--config", "y.toml")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config validate: unknown flag --config\n");
        assertThat(run("show", "--app")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config show: --app needs a value\n");
        assertThat(run("show", "--app", "automate")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config show: unknown app \"automate\" (expected event-service or event-gateway)\n");
        assertThat(run("show", "--config", "a", "--config", "b")).isEqualTo(2);
        assertThat(err).startsWith("eventbus config show: --config given twice (use --patch for more layers)\n");
        assertThat(out).isEmpty();
    }

    @Test
    void helpGoesToStdout() {
        assertThat(run("-h")).isZero();
        assertThat(out).startsWith("Usage: eventbus config <command> [flags]\n");
        assertThat(run("patch", "--help")).isZero();
        assertThat(out).contains("patch BASE PATCH [--app APP]");
        assertThat(err).isEmpty();
    }

    @Test
    void keysListsTheSchema() {
        assertThat(run("keys", "--app", "event-gateway")).isZero();
        assertThat(out).startsWith("# event-gateway configuration keys\n");
        assertThat(out).contains("frontend_tls[].server_name  a non-empty server name; required\n");
        assertThat(out).contains("service.port  an integer 1..65535; default 4222\n    External NATS client port\n");
    }
}
