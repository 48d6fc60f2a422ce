package dev.eventbus.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/eventbus demo} writes the HMAC secret that signs agent tokens: owner-only, never 0644. */
class DemoSecretTest {
    private static final Path LAUNCHER = Path.of("..", "bin", "eventbus").toAbsolutePath().normalize();

    @TempDir Path dir;

    /** Runs the launcher's own demo_secret function (the demo's first step with the secret) under umask 022. */
    private void demoSecret(Path file) throws Exception {
        String script = "umask 022; source <(sed -n '/^demo_secret() {/,/^}/p' \"$1\"); demo_secret \"$2\"";
        Process p = new ProcessBuilder("bash", "-c", script, "bash", LAUNCHER.toString(), file.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void theDemoSecretIsOwnerOnly() throws Exception {
        Path secret = dir.resolve("hs256.key");
        demoSecret(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(Files.readString(secret).strip()).hasSize(64); // 48 random bytes, base64

        // a secret an older demo left world-readable is tightened, and kept (tokens signed with it stay valid)
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        String before = Files.readString(secret);
        demoSecret(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(Files.readString(secret)).isEqualTo(before);
    }
}
