package dev.eventbus.audit.archive;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads an audit archive written by eventbus or by any generation of the Go tools (spec §1.8, §1.9, §2.2).
 *
 * <p>Opening checks what Go's {@code NewReader} checks: the manifest exists and parses, and every entry it names is in
 * the ZIP (else it refuses the archive); entries the manifest does not list only produce {@link #warnings()}. It then
 * indexes the tags so that queries are subset matches: {@link #find} returns every entry carrying all the given tags.
 *
 * <p>Paged artifacts are read page by page with {@link #pages}; single-file artifacts of the older generations are
 * treated as one page, so the same queries work on every generation.
 */
public final class ArchiveReader implements Closeable {
    /** Refuse to inflate a single entry beyond this (a ZIP bomb, or not an audit archive). */
    private static final long MAX_ENTRY_BYTES = 1L << 30;

    private final Path path;
    private final ZipFile zip;
    private final Manifest manifest;
    private final Map<String, ZipArchiveEntry> entries;
    private final Map<Tag, Set<String>> index = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Generation generation;

    private ArchiveReader(Path path, ZipFile zip, Manifest manifest, Map<String, ZipArchiveEntry> entries) {
        this.path = path;
        this.zip = zip;
        this.manifest = manifest;
        this.entries = entries;
        for (Map.Entry<String, List<Tag>> e : manifest.asMap().entrySet()) {
            for (Tag t : e.getValue()) index.computeIfAbsent(t, k -> new HashSet<>()).add(e.getKey());
        }
        for (String name : entries.keySet()) {
            if (!name.equals(ArtifactPaths.MANIFEST_PATH) && !manifest.contains(name)) {
                warnings.add("file " + name + " is in archive, but not in manifest");
            }
        }
        this.generation = detectGeneration();
    }

    /**
     * Opens and checks an archive.
     *
     * @throws IOException      when the file cannot be read or is not a ZIP file
     * @throws ArchiveException when it is a ZIP file but not a valid audit archive
     */
    public static ArchiveReader open(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such file");
        if (Files.isDirectory(path)) throw new IOException(path + " is a directory, not an archive");
        ZipFile zip;
        try {
            zip = ZipFile.builder().setPath(path).get();
        } catch (IOException e) {
            throw new IOException(path + " is not a ZIP archive (" + e.getMessage() + ")", e);
        }
        try {
            Map<String, ZipArchiveEntry> entries = new LinkedHashMap<>();
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                entries.put(e.getName(), e); // a duplicate name: the last one wins, as in Go's reader
            }
            ZipArchiveEntry manifestEntry = entries.get(ArtifactPaths.MANIFEST_PATH);
            if (manifestEntry == null) throw new ArchiveException("manifest file not found in archive");
            Manifest manifest = Manifest.parse(readEntry(zip, manifestEntry));
            for (String name : manifest.names()) {
                if (!entries.containsKey(name)) {
                    throw new ArchiveException("file " + name + " is in manifest, but not present in archive");
                }
            }
            return new ArchiveReader(path, zip, manifest, entries);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    public Path path() { return path; }

    public Manifest manifest() { return manifest; }

    /** Non-fatal problems found on opening (e.g. entries the manifest does not list). */
    public List<String> warnings() { return List.copyOf(warnings); }

    public Generation generation() { return generation; }

    /** Every entry name in the ZIP file, in file order (the manifest included). */
    public List<String> entryNames() { return List.copyOf(entries.keySet()); }

    // ---- listings -------------------------------------------------------------------------------------------

    /** Every distinct {@code cluster} value, sorted ({@code unclustered} included). */
    public List<String> clusterNames() { return values(Tag.CLUSTER, List.of()); }

    /** The servers of entries tagged with this cluster (server, account, stream and profile entries alike). */
    public List<String> clusterServerNames(String cluster) { return values(Tag.SERVER, List.of(Tag.cluster(cluster))); }

    public List<String> accountNames() { return values(Tag.ACCOUNT, List.of()); }

    public List<String> accountStreamNames(String account) { return values(Tag.STREAM, List.of(Tag.account(account))); }

    public List<String> streamServerNames(String account, String stream) {
        return values(Tag.SERVER, List.of(Tag.account(account), Tag.stream(stream)));
    }

    /** Every distinct {@code artifact_type}, sorted. */
    public List<String> artifactTypes() { return values(Tag.ARTIFACT_TYPE, List.of()); }

    /** The sorted distinct values of {@code label} among entries that carry all of {@code with}. */
    public List<String> values(String label, List<Tag> with) {
        TreeSet<String> out = new TreeSet<>();
        for (String p : with.isEmpty() ? manifest.names() : find(with)) {
            for (Tag t : manifest.tags(p)) if (t.name().equals(label)) out.add(t.value());
        }
        return List.copyOf(out);
    }

    // ---- queries --------------------------------------------------------------------------------------------

    /** Every entry carrying all of {@code query}, sorted by name; empty for an empty query or unknown tags. */
    public List<String> find(List<Tag> query) {
        if (query.isEmpty()) return List.of();
        Set<String> result = null;
        for (Tag t : query) {
            Set<String> paths = index.get(t);
            if (paths == null) return List.of();
            if (result == null) {
                result = new HashSet<>(paths);
            } else {
                result.retainAll(paths);
            }
        }
        List<String> sorted = new ArrayList<>(result);
        Collections.sort(sorted);
        return sorted;
    }

    /**
     * The one entry matching {@code query}.
     *
     * @throws NoMatchException       when nothing matches
     * @throws MultipleMatchException when more than one entry matches (e.g. a paged artifact with two pages)
     */
    public String findOne(List<Tag> query) {
        List<String> found = find(query);
        if (found.isEmpty()) throw new NoMatchException(describe(query));
        if (found.size() > 1) throw new MultipleMatchException(describe(query), found);
        return found.get(0);
    }

    /** The bytes of the one entry matching {@code query} (Go's {@code Load}, undecoded). */
    public byte[] loadBytes(Tag... query) { return read(findOne(List.of(query))); }

    /** The first JSON value of the one entry matching {@code query} (Go's {@code Load}). */
    public JsonNode load(Tag... query) {
        String name = findOne(List.of(query));
        return decode(name, read(name));
    }

    /** {@link #load} into a Java type, decoded leniently (unknown keys ignored, keys case-insensitive). */
    public <T> T load(Class<T> type, Tag... query) {
        JsonNode node = load(query);
        try {
            return GoJson.MAPPER.treeToValue(node, type);
        } catch (IOException e) {
            throw new ArchiveException("decode " + findOne(List.of(query)) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The pages matching {@code query}, in name order, each decoded (Go's {@code ForEachTaggedArtifact}). Only
     * {@code NNNN.json} pages count, except in the single-file generations, where {@code <type>.json} files do.
     *
     * @throws NoMatchException when no page matches
     */
    public List<Artifact> pages(List<Tag> query) {
        List<Artifact> out = new ArrayList<>();
        for (String name : find(query)) {
            if (!isPage(name)) continue;
            out.add(new Artifact(name, manifest.tags(name), decode(name, read(name)), generation == Generation.DATA_ONLY));
        }
        if (out.isEmpty()) throw new NoMatchException(describe(query));
        return out;
    }

    /** {@link #pages}, or an empty list instead of {@link NoMatchException}. */
    public List<Artifact> pagesOrEmpty(List<Tag> query) {
        try {
            return pages(query);
        } catch (NoMatchException e) {
            return List.of();
        }
    }

    /** The capture metadata, absent when the capture aborted (or in archives that have none). */
    public Optional<AuditMetadata> metadata() {
        List<String> found = find(List.of(Tag.special(ArtifactType.SPECIAL_METADATA)));
        if (found.isEmpty()) return Optional.empty();
        try {
            return Optional.of(GoJson.MAPPER.treeToValue(decode(found.get(0), read(found.get(0))), AuditMetadata.class));
        } catch (IOException | ArchiveException e) {
            warnings.add("metadata unreadable: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The capture log's text, or empty. */
    public String captureLog() {
        List<String> found = find(List.of(Tag.special(ArtifactType.SPECIAL_LOG)));
        return found.isEmpty() ? "" : new String(read(found.get(0)), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The raw bytes of an entry. */
    public byte[] read(String name) {
        ZipArchiveEntry e = entries.get(name);
        if (e == null) throw new ArchiveException("no entry " + name + " in " + path);
        try {
            return readEntry(zip, e);
        } catch (IOException ex) {
            throw new ArchiveException("open " + name + ": " + ex.getMessage(), ex);
        }
    }

    /** The ZIP entry of that name (its time is the capture start in archives written by gather), or null. */
    public ZipArchiveEntry entry(String name) { return entries.get(name); }

    /** True when {@code name} is one page of a (paged or, in old generations, single-file) artifact. */
    public boolean isPage(String name) {
        if (ArtifactPaths.isPageName(name)) return true;
        if (generation == Generation.PAGED) return false;
        List<Tag> tags = manifest.tags(name);
        if (tags == null || ArtifactPaths.isNonPaged(tags)) return false;
        String base = ArtifactPaths.baseName(name);
        for (Tag t : tags) {
            if (t.name().equals(Tag.ARTIFACT_TYPE)) return base.equals(t.value() + ".json");
        }
        return false;
    }

    /** {@code label:value …}, the form users type. */
    public static String describe(List<Tag> query) {
        return query.stream().map(Tag::toQuery).collect(Collectors.joining(" "));
    }

    private Generation detectGeneration() {
        String legacySample = null;
        for (String name : manifest.names()) {
            List<Tag> tags = manifest.tags(name);
            if (ArtifactPaths.isNonPaged(tags)) continue;
            if (ArtifactPaths.isPageName(name)) return Generation.PAGED;
            boolean bare = tags.contains(Tag.artifactType(ArtifactType.STREAM_INFO));
            if (legacySample == null && !bare) legacySample = name;
        }
        if (legacySample == null) {
            boolean any = manifest.names().stream().anyMatch(n -> !ArtifactPaths.isNonPaged(manifest.tags(n)));
            return any ? Generation.SINGLE_FILE : Generation.EMPTY;
        }
        try {
            JsonNode sample = decode(legacySample, read(legacySample));
            if (sample.isObject() && sample.has("server") && sample.has("data")) return Generation.SINGLE_FILE;
        } catch (ArchiveException e) {
            warnings.add(e.getMessage());
        }
        return Generation.DATA_ONLY;
    }

    private static JsonNode decode(String name, byte[] bytes) {
        try {
            return GoJson.parseFirst(bytes);
        } catch (ArchiveException e) {
            throw new ArchiveException("decode " + name + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readEntry(ZipFile zip, ZipArchiveEntry e) throws IOException {
        if (e.getSize() > MAX_ENTRY_BYTES) throw new IOException(e.getName() + " is too large (" + e.getSize() + " bytes)");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] data = in.readNBytes((int) MAX_ENTRY_BYTES + 1);
            if (data.length > MAX_ENTRY_BYTES) throw new IOException(e.getName() + " is too large");
            return data;
        }
    }

    @Override
    public void close() throws IOException { zip.close(); }
}
