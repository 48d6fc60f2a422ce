package dev.eventbus.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file whose parsed content is re-read when it changes. {@link #get()} looks at the file at most once per
 * interval (a stat; the content is read and hashed only when size, mtime or inode moved, or when the last read was so
 * close to the mtime that a same-tick rewrite could hide); the caller that wins the check does it, the others keep
 * using the current value. A file that disappears or no longer parses keeps the previous value and logs one error
 * per distinct problem.
 */
final class WatchedFile<T> {
    private static final Logger log = LoggerFactory.getLogger(WatchedFile.class);
    /** Coarse file systems have 1 s (or 2 s, FAT) mtimes: a file modified this recently may change again unseen. */
    private static final long RACY_NANOS = Duration.ofSeconds(2).toNanos();

    interface Parser<T> {
        /** @throws IllegalArgumentException with a one-line message when the content is unusable */
        T parse(byte[] content);
    }

    private final String what;
    private final Path path;
    private final Parser<T> parser;
    private final AuthMetrics metrics;
    private final long intervalNanos;
    private final AtomicLong nextCheck;

    private volatile T value;
    // guarded by this
    private Stat stat;
    private byte[] hash;
    private long lastReadWallNanos;
    private String lastError;

    private record Stat(long mtimeNanos, long size, Object fileKey) {}

    /** Loads the file now. @throws IllegalArgumentException when it is missing or does not parse */
    WatchedFile(String what, Path path, Parser<T> parser, Duration interval, AuthMetrics metrics) {
        this.what = what;
        this.path = Objects.requireNonNull(path, what);
        this.parser = parser;
        this.metrics = metrics;
        this.intervalNanos = interval.toNanos();
        try {
            Stat s = stat();
            this.lastReadWallNanos = wallNanos();
            byte[] content = Files.readAllBytes(path);
            this.value = parser.parse(content);
            this.stat = s;
            this.hash = sha256(content);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + path + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + path + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + path + ": " + e.getMessage(), e);
        }
        this.nextCheck = new AtomicLong(System.nanoTime() + intervalNanos);
    }

    Path path() { return path; }

    /** The current value, after a check of the file if the interval has passed. */
    T get() {
        long now = System.nanoTime();
        long next = nextCheck.get();
        if (now - next >= 0 && nextCheck.compareAndSet(next, now + intervalNanos)) check();
        return value;
    }

    /** Looks at the file now, whatever the interval. @return true when a new value was loaded */
    synchronized boolean check() {
        try {
            Stat s = stat();
            if (s.equals(stat) && !racy(s)) return false;
            lastReadWallNanos = wallNanos();
            byte[] content = Files.readAllBytes(path);
            byte[] h = sha256(content);
            stat = s;
            if (Arrays.equals(h, hash)) {
                lastError = null;
                return false;
            }
            T parsed = parser.parse(content);
            value = parsed;
            hash = h;
            lastError = null;
            log.info("{} {} reloaded", what, path);
            metrics.reloaded(path);
            return true;
        } catch (NoSuchFileException e) {
            failed("no such file; keeping the previous contents");
        } catch (IOException e) {
            failed("cannot read (" + e.getMessage() + "); keeping the previous contents");
        } catch (RuntimeException e) {
            // the new content is broken: remember its stat so that it is not re-parsed every second, but not its
            // hash, so that restoring the previous content counts as a change back
            failed(e.getMessage() + "; keeping the previous contents");
        }
        return false;
    }

    /** The last read came so soon after the mtime that a rewrite within the same mtime tick may have followed it. */
    private boolean racy(Stat s) {
        return lastReadWallNanos - s.mtimeNanos < RACY_NANOS;
    }

    private static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void failed(String error) {
        String msg = what + " " + path + ": " + error;
        if (!msg.equals(lastError)) { // once per distinct problem, not once per second
            log.error(msg);
            lastError = msg;
            metrics.reloadFailed(path, msg);
        }
    }

    private Stat stat() throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        long mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        return new Stat(mtime, a.size(), a.fileKey());
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
