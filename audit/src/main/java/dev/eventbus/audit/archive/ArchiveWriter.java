package dev.eventbus.audit.archive;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.UnrecognizedExtraField;
import org.apache.commons.compress.archivers.zip.X5455_ExtendedTimestamp;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes an audit archive the way jsm.go's {@code archive.Writer} does (spec §1, §2.1): every entry Deflated, entry
 * names derived from tags ({@link ArtifactPaths}), paged artifacts as {@code <dir>/0001.json}, {@code 0002.json}, …,
 * no directory entries, no comment, entry times set to {@link #setTime} in UTC (plus the {@code 0x5455} extended
 * timestamp Go adds), and the manifest as the last entry, written by {@link #close()}.
 *
 * <p>Unlike Go, a second non-paged artifact with the same tags is refused instead of silently duplicated, and page
 * 10 000 of a directory is refused because readers ignore it. Thread-safe.
 */
public final class ArchiveWriter implements Closeable {
    /** Readers accept only four-digit page names. */
    public static final int MAX_PAGES = 9_999;

    private final Path path;
    private final ZipArchiveOutputStream zip;
    private final Manifest manifest = new Manifest();
    private final Map<String, Integer> pageCounters = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private Instant time;
    private boolean closed;

    private ArchiveWriter(Path path, ZipArchiveOutputStream zip) {
        this.path = path;
        this.zip = zip;
    }

    /**
     * Creates (or truncates) the archive file. The parent directory must exist.
     *
     * @throws IOException with a message naming the file when it cannot be created
     */
    public static ArchiveWriter create(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new NoSuchFileException(path.toString(), null, "directory " + parent + " does not exist");
        }
        ZipArchiveOutputStream zip = new ZipArchiveOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        zip.setMethod(ZipArchiveOutputStream.DEFLATED);
        zip.setLevel(Deflater.DEFAULT_COMPRESSION); // Go's flate default, level 6
        zip.setEncoding("UTF-8");
        return new ArchiveWriter(path, zip);
    }

    public Path path() { return path; }

    /** The modification time of every entry written from now on (Go's {@code SetTime}); without it, now. */
    public synchronized void setTime(Instant t) { this.time = t; }

    /** Encodes {@code artifact} as Go's {@code Writer.Add} does (indented, HTML-safe, trailing newline) and stores it. */
    public String add(Object artifact, Tag... tags) { return add(artifact, List.of(tags)); }

    public synchronized String add(Object artifact, List<Tag> tags) {
        return addRaw(GoJson.encodeValue(artifact), "json", tags);
    }

    /**
     * Stores a raw JSON reply re-indented with Go's {@code json.Indent} (keys, order and numbers kept, no trailing
     * newline): how gather stores server and account endpoint replies.
     *
     * @throws ArchiveException when {@code rawJson} is not one valid JSON value
     */
    public String addIndentedJson(byte[] rawJson, List<Tag> tags) {
        return addRaw(GoJson.indent(rawJson), "json", tags);
    }

    public String addRaw(byte[] bytes, String ext, Tag... tags) { return addRaw(bytes, ext, List.of(tags)); }

    /**
     * Stores bytes as they are: a new page for paged artifacts (the extension is then always {@code json}), the named
     * file for specials and profiles. Returns the entry name.
     *
     * @throws ArchiveException for invalid tags, a duplicate non-paged artifact, too many pages, or a closed writer
     */
    public synchronized String addRaw(byte[] bytes, String ext, List<Tag> tags) {
        if (closed) throw new ArchiveException("attempting to write into a closed writer");
        String dir = ArtifactPaths.directory(tags); // tag errors surface first, also for specials (as in Go)
        String name;
        if (ArtifactPaths.isNonPaged(tags)) {
            name = ArtifactPaths.fileName(ext, tags);
            if (names.contains(name) || name.equals(ArtifactPaths.MANIFEST_PATH)) {
                throw new ArchiveException("artifact " + name + " already present");
            }
        } else {
            if (!"json".equals(ext)) {
                throw new ArchiveException("paged artifacts must be json, not '" + ext + "'");
            }
            int page = pageCounters.getOrDefault(dir, 0) + 1;
            if (page > MAX_PAGES) throw new ArchiveException("too many pages in " + dir + " (at most " + MAX_PAGES + ")");
            pageCounters.put(dir, page);
            name = ArtifactPaths.pageName(dir, page);
        }
        writeEntry(name, bytes);
        manifest.put(name, tags);
        return name;
    }

    /** Entries written so far (the manifest counts once {@link #close()} wrote it). */
    public synchronized int entryCount() { return names.size(); }

    private void writeEntry(String name, byte[] bytes) {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setMethod(ZipArchiveEntry.DEFLATED);
        Instant t = time != null ? time : Instant.now();
        e.setTime(dosMillis(t));
        e.addExtraField(extendedTimestamp(t));
        try {
            zip.putArchiveEntry(e);
            zip.write(bytes);
            zip.closeArchiveEntry();
        } catch (IOException ex) {
            throw new ArchiveException("cannot write " + name + " to " + path + ": " + ex.getMessage(), ex);
        }
        names.add(name);
    }

    /**
     * Go's extended timestamp extra field ({@code 0x5455}, flags 1, unix mtime), the same in the local and central
     * headers. Added as raw bytes: commons-compress's own {@code X5455_ExtendedTimestamp} would reset the entry's DOS
     * time to the local-zone time.
     */
    private static UnrecognizedExtraField extendedTimestamp(Instant t) {
        byte[] data = new byte[5];
        data[0] = 1; // modification time present
        long secs = t.getEpochSecond();
        for (int i = 0; i < 4; i++) data[1 + i] = (byte) (secs >>> (8 * i));
        UnrecognizedExtraField f = new UnrecognizedExtraField();
        f.setHeaderId(X5455_ExtendedTimestamp.HEADER_ID);
        f.setLocalFileDataData(data);
        f.setCentralDirectoryData(data);
        return f;
    }

    /**
     * The Java time whose local-zone MS-DOS fields equal the UTC wall clock of {@code t}: Go writes the DOS date and
     * time of the UTC time, and commons-compress converts through the default zone.
     */
    static long dosMillis(Instant t) {
        LocalDateTime utc = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        return utc.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    /** Writes the manifest as the last entry and closes the file. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        IOException failure = null;
        try {
            writeEntry(ArtifactPaths.MANIFEST_PATH, manifest.toJson());
        } catch (ArchiveException e) {
            failure = new IOException(e.getMessage(), e);
        }
        closed = true;
        try {
            zip.close();
        } catch (IOException e) {
            if (failure == null) failure = e;
        }
        if (failure != null) throw failure;
    }
}
