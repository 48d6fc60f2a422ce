package dev.eventbus.audit.browse;

import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.ArtifactPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entries grouped into artifacts: the pages of one directory form one artifact, every other file is its own.
 * The key is the directory (pages) or the file name, relative to {@code capture/}.
 */
public final class ArtifactGroups {
    private ArtifactGroups() {}

    public static Map<String, List<String>> of(ArchiveReader reader, List<String> names) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (String n : names) groups.computeIfAbsent(key(reader, n), k -> new ArrayList<>()).add(n);
        for (List<String> pages : groups.values()) pages.sort(null);
        return groups;
    }

    public static String key(ArchiveReader reader, String name) {
        String k = ArtifactPaths.isPageName(name) ? ArtifactPaths.parent(name) : name;
        if (!ArtifactPaths.isPageName(name) && reader.isPage(name) && k.endsWith(".json")) {
            k = k.substring(0, k.length() - ".json".length()); // a single-file artifact of an older generation
        }
        String prefix = ArtifactPaths.ROOT + "/";
        return k.startsWith(prefix) ? k.substring(prefix.length()) : k;
    }
}
