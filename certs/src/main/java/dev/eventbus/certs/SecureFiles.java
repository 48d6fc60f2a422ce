package dev.eventbus.certs;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Reads and writes small files with clear one-line errors; writes are atomic (temp file, then rename). */
final class SecureFiles {
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    /** No PEM file of ours comes near this; it bounds what a mistaken path (a disk image...) can cost. */
    static final long MAX_SIZE = 1 << 20;

    private SecureFiles() {}

    static byte[] read(Path file, String what) {
        try {
            if (Files.isDirectory(file)) throw new CertsException(file + ": is a directory, not a " + what + " file");
            long size = Files.size(file);
            if (size > MAX_SIZE) throw new CertsException(file + ": " + size + " bytes is too large for a " + what + " file");
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CertsException(file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CertsException(file + ": permission denied");
        } catch (IOException e) {
            throw new CertsException(file + ": cannot read: " + reason(e), e);
        }
    }

    /**
     * Writes {@code content} to {@code file} through a temporary file in the same directory and an atomic rename, so a
     * reader (a reloading TLS context, say) sees the old file or the new one, never half of one. The mode is set before
     * the content is written, so a private key is never readable by others, not even for a moment.
     */
    static void writeAtomically(Path file, byte[] content, boolean privateFile) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        Path tmp = null;
        try {
            tmp = posix
                    ? Files.createTempFile(dir, "." + abs.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(PRIVATE))
                    : Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            Files.write(tmp, content);
            if (posix && !privateFile) Files.setPosixFilePermissions(tmp, PUBLIC);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (NoSuchFileException e) {
            throw new CertsException(file + ": cannot write: directory " + dir + " does not exist");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CertsException(file + ": cannot write: permission denied");
        } catch (IOException e) {
            throw new CertsException(file + ": cannot write: " + reason(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    static String reason(Exception e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) return fse.getReason();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
