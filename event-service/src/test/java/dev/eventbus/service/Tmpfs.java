package dev.eventbus.service;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real, small tmpfs: a file system that fills up. Mounting needs root (CI runs as root); elsewhere tests skip. */
final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) { this.dir = dir; }

    /** Mounts a tmpfs of {@code size} (mount's syntax: "4m") on {@code dir}, creating it; skips the test unless root. */
    static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
        assumeTrue("0".equals(run("id", "-u").strip()),
                "mounting a tmpfs needs root; the full-disk tests run as root in CI and are skipped here");
        Files.createDirectories(dir);
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Tmpfs t = new Tmpfs(dir);
        if (!Files.getFileStore(dir).type().equals("tmpfs")) throw new IOException("mount of a tmpfs on " + dir + " failed: " + out);
        return t;
    }

    Path dir() { return dir; }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", dir.toString());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        return out;
    }
}
