package dev.eventbus.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code eventbus config patch BASE PATCH}: merges a patch file into the saved overrides file, as
 * {@code chef-automate config patch} does. Both files are checked strictly first, then the merged result on top of
 * the bundled defaults; only a valid result is written. Tables deep-merge, scalars and arrays are replaced, and keys
 * the patch does not mention keep BASE's value. Relative paths from PATCH are rewritten against BASE's folder so they
 * keep pointing at the same files.
 *
 * <p>Compare-and-swap: BASE's SHA-256 is taken when it is read. The result goes to a temporary file in BASE's folder,
 * then, holding an advisory lock on BASE (which concurrent {@code config patch} runs also take), BASE is hashed again
 * and the temporary file is renamed over it atomically only if the hash is unchanged. Otherwise nothing is written
 * and {@link ConfigChangedException} is thrown. Comments in BASE are not kept.
 */
public final class ConfigPatcher {
    static final String HEADER = "# Saved overrides, written by 'eventbus config patch' (comments are not kept).";

    private final App app;
    private Runnable beforeCommit = () -> {};

    public ConfigPatcher(App app) {
        this.app = Objects.requireNonNull(app, "app");
    }

    /**
     * Test seam: runs after the new content is ready and before BASE is hashed again, e.g. to change BASE the way
     * a concurrent editor would.
     */
    public ConfigPatcher beforeCommit(Runnable hook) {
        this.beforeCommit = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** One key whose saved value changed; {@code before} is {@code null} if BASE did not set it. */
    public record Change(String key, String before, String after) {
        @Override
        public String toString() {
            return key + ": " + (before == null ? "(not set)" : before) + " -> " + after;
        }
    }

    /**
     * @param changes the keys PATCH changed, in schema order
     * @param written false when the merged result equals BASE (nothing to do)
     */
    public record Result(Path base, List<Change> changes, boolean written) {}

    /**
     * Merges {@code patch} into {@code base} and writes {@code base}. A missing BASE counts as empty (and is created).
     *
     * @throws ConfigException if either file, or the merged result, is invalid (nothing written)
     * @throws ConfigChangedException if BASE changed after it was read (nothing written)
     * @throws IOException if BASE cannot be written
     */
    public Result patch(Path base, Path patch) throws ConfigException, ConfigChangedException, IOException {
        Schema schema = app.schema();
        List<ConfigError> errors = new ArrayList<>();
        byte[] baseBytes = readIfPresent(base, errors);
        String baseText = baseBytes == null ? "" : decode(baseBytes, base, errors);
        String patchText = ConfigLoader.read(patch, patch.toString(), errors);

        Path baseDir = ConfigLoader.folderOf(base);
        Layer defaultsLayer = new Layer(Layer.Kind.DEFAULTS, app.defaultsName(), null);
        Layer baseLayer = new Layer(Layer.Kind.OVERRIDES, base.toString(), base);
        Layer patchLayer = new Layer(Layer.Kind.PATCH, patch.toString(), patch);
        Map<String, Value> defaults = ConfigLoader.check(schema, defaultsLayer, app.defaultsToml(), null, errors);
        Map<String, Value> baseValues = baseText == null ? Map.of()
                : ConfigLoader.check(schema, baseLayer, baseText, baseDir, errors);
        Map<String, Value> patchValues = patchText == null ? Map.of()
                : ConfigLoader.check(schema, patchLayer, patchText, ConfigLoader.folderOf(patch), errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
        ConfigLoader.assemble(app, schema, List.of(defaultsLayer, baseLayer, patchLayer),
                List.of(defaults, baseValues, patchValues));

        Map<String, Value> merged = new LinkedHashMap<>(baseValues);
        merged.putAll(patchValues);
        List<Change> changes = new ArrayList<>();
        for (Key k : schema.keys()) {
            Value after = merged.get(k.path());
            if (after == null) continue;
            String afterText = TomlWriter.sparseValue(k, after, baseDir);
            Value before = baseValues.get(k.path());
            String beforeText = before == null ? null : TomlWriter.sparseValue(k, before, baseDir);
            boolean same = before != null && before.value().equals(after.value()) && beforeText.equals(afterText);
            if (!same) changes.add(new Change(k.path(), beforeText, afterText));
        }
        String newText = TomlWriter.render(schema, merged, TomlWriter.Mode.SPARSE, baseDir, HEADER);
        if (baseBytes != null && newText.equals(baseText)) return new Result(base, List.copyOf(changes), false);
        commit(base, baseBytes, newText.getBytes(StandardCharsets.UTF_8));
        return new Result(base, List.copyOf(changes), true);
    }

    private void commit(Path base, byte[] expected, byte[] content) throws IOException, ConfigChangedException {
        // write through a symlink rather than replacing it
        Path target = expected != null && Files.isSymbolicLink(base) ? base.toRealPath() : base;
        Path dir = ConfigLoader.folderOf(target);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            if (expected != null) copyPermissions(target, tmp);
            try (FileChannel lockChannel = openForLock(target);
                 FileLock lock = lockChannel == null ? null : lockChannel.lock()) {
                beforeCommit.run();
                byte[] now = readIfPresent(target, new ArrayList<>());
                if (!sha256(now).equals(sha256(expected))) throw new ConfigChangedException(base);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (OverlappingFileLockException e) {
                // another patch of the same file is committing in this JVM: BASE is about to change
                throw new ConfigChangedException(base);
            }
            syncFolder(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A channel to lock BASE with, or {@code null} when BASE is absent or not writable (then only the hash guards it). */
    private static FileChannel openForLock(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void copyPermissions(Path from, Path to) {
        try {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        } catch (IOException | UnsupportedOperationException e) {
            // keep the temporary file's 0600
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not every platform can sync a folder; the rename itself is already atomic
        }
    }

    /** SHA-256 of the content, or "absent". */
    static String sha256(byte[] content) {
        if (content == null) return "absent";
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readIfPresent(Path file, List<ConfigError> errors) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            errors.add(new ConfigError(file.toString(), 0, 0, null, ConfigLoader.cannotRead(file, e)));
            return null;
        }
    }

    private static String decode(byte[] bytes, Path file, List<ConfigError> errors) {
        try {
            return ConfigLoader.decode(bytes);
        } catch (CharacterCodingException e) {
            errors.add(new ConfigError(file.toString(), 0, 0, null, "cannot read: not UTF-8 text"));
            return null;
        }
    }
}
