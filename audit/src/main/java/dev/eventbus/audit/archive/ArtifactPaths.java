package dev.eventbus.audit.archive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where an artifact goes in the archive, derived from its tags exactly as jsm.go's {@code createFilenameFromTags}
 * and {@code dirNameFromTags} do (spec §1.4), with the same precedence (stream, then account, then profile, then
 * server) and the same error texts. The one deliberate difference: {@code "."} is rejected as a value.
 */
public final class ArtifactPaths {
    public static final String ROOT = "capture";
    public static final String SPECIAL_DIR = "misc";
    public static final String SEPARATOR = "__";
    public static final String MANIFEST_PATH = ROOT + "/" + SPECIAL_DIR + "/" + ArtifactType.SPECIAL_MANIFEST + ".json";

    /** A page file name: four (or more) digits then {@code .json}; readers accept exactly 9 characters. */
    private static final Pattern PAGE_NAME = Pattern.compile("\\d{4}\\.json");

    private static final Set<String> DIMENSIONS =
            Set.of(Tag.SERVER, Tag.CLUSTER, Tag.ACCOUNT, Tag.STREAM, Tag.ARTIFACT_TYPE, Tag.PROFILE_NAME);

    private ArtifactPaths() {}

    /**
     * The file name for an artifact with these tags and extension, e.g. {@code capture/clusters/C1/n1/variables.json}.
     * For a paged artifact this is the basis of {@link #directory}; the pages themselves are {@code <dir>/NNNN.json}.
     *
     * @throws ArchiveException with Go's message when the tags cannot form a path
     */
    public static String fileName(String ext, List<Tag> tags) {
        if (tags.isEmpty()) throw new ArchiveException("at least one tag is required");
        validatePathComponent("extension", ext);

        if (tags.size() == 1 && Tag.SPECIAL.equals(tags.get(0).name())) {
            String special = tags.get(0).value();
            validatePathComponent(Tag.SPECIAL, special);
            return ROOT + "/" + SPECIAL_DIR + "/" + special + "." + ext;
        }

        Map<String, String> dims = new LinkedHashMap<>();
        List<String> custom = new ArrayList<>();
        for (Tag t : tags) {
            if (Tag.SPECIAL.equals(t.name())) {
                throw new ArchiveException("special tag '" + t.value() + "' should not be combined with other tags");
            }
            if (DIMENSIONS.contains(t.name())) {
                if (dims.putIfAbsent(t.name(), t.value()) != null) {
                    throw new ArchiveException("multiple values not allowed for tag '" + t.name() + "'");
                }
            } else {
                custom.add(t.name());
            }
        }
        if (!custom.isEmpty()) throw new ArchiveException("unhandled custom tags: " + String.join(", ", custom));

        String type = dims.get(Tag.ARTIFACT_TYPE);
        String cluster = dims.get(Tag.CLUSTER);
        String server = dims.get(Tag.SERVER);
        if (type == null) throw new ArchiveException("missing required tag: artifact type");
        if (cluster == null) throw new ArchiveException("missing required tag: source cluster");
        if (server == null) throw new ArchiveException("missing required tag: source server");
        for (Map.Entry<String, String> e : dims.entrySet()) validatePathComponent(e.getKey(), e.getValue());

        String account = dims.get(Tag.ACCOUNT);
        String stream = dims.get(Tag.STREAM);
        String source = cluster + SEPARATOR + server;
        if (stream != null) {
            if (account == null) throw new ArchiveException("stream artifact is missing cluster or account tags");
            return ROOT + "/accounts/" + account + "/streams/" + stream + "/replicas/" + source + "/" + type + "." + ext;
        }
        if (account != null) {
            return ROOT + "/accounts/" + account + "/servers/" + source + "/" + type + "." + ext;
        }
        if (ArtifactType.PROFILE.equals(type)) {
            String profile = dims.get(Tag.PROFILE_NAME);
            if (profile == null) throw new ArchiveException("missing required tag: profile name");
            return ROOT + "/profiles/" + cluster + "/" + server + SEPARATOR + profile + "." + ext;
        }
        return ROOT + "/clusters/" + cluster + "/" + server + "/" + type + "." + ext;
    }

    /** The directory that holds the pages of a paged artifact: {@code fileName("json", tags)} without {@code .json}. */
    public static String directory(List<Tag> tags) {
        String name = fileName("json", tags);
        return name.substring(0, name.length() - ".json".length());
    }

    /** The entry name of page {@code page} (1-based) of the artifact in {@code dir}. */
    public static String pageName(String dir, int page) {
        return dir + "/" + String.format("%04d", page) + ".json";
    }

    /** True for specials and profiles, which are single files; everything else is paged. */
    public static boolean isNonPaged(List<Tag> tags) {
        for (Tag t : tags) {
            if (Tag.SPECIAL.equals(t.name())) return true;
            if (Tag.ARTIFACT_TYPE.equals(t.name()) && ArtifactType.PROFILE.equals(t.value())) return true;
        }
        return false;
    }

    /** True when the last path element is a page name the Go reader accepts ({@code NNNN.json}, 9 characters). */
    public static boolean isPageName(String path) {
        return PAGE_NAME.matcher(baseName(path)).matches();
    }

    /** The last element of a path, splitting on {@code /} and (for archives made on Windows) {@code \}. */
    public static String baseName(String path) {
        int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(i + 1);
    }

    /** The path without its last element ({@code ""} for a bare name). */
    public static String parent(String path) {
        int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return i < 0 ? "" : path.substring(0, i);
    }

    /**
     * Go's {@code validatePathComponent}: the value must be a local path ({@code filepath.IsLocal}: not empty, not
     * absolute, no {@code ..}) and contain no separator. {@code "."} is rejected too, because path cleaning would
     * remove it and two tag sets would share a path.
     */
    public static void validatePathComponent(String label, String value) {
        String problem = null;
        if (value.isEmpty()) problem = "it is empty";
        else if (value.equals(".") || value.equals("..")) problem = "it is a relative path element";
        else if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) problem = "it contains a path separator";
        else if (value.indexOf('\0') >= 0) problem = "it contains a NUL character";
        if (problem != null) {
            throw new ArchiveException("invalid value '" + value + "' for tag '" + label + "': " + problem);
        }
    }
}
