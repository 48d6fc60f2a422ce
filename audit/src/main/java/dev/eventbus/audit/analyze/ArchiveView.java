package dev.eventbus.audit.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.Artifact;
import dev.eventbus.audit.archive.Tag;
import java.util.ArrayList;
import java.util.List;

/**
 * What the checks read: the archive's servers (every cluster/server pair, as Go's {@code EachClusterServer*}) and
 * their artifacts' {@code data}, whatever generation the archive is.
 */
public final class ArchiveView {
    /** One server of one cluster. {@link #toString()} is {@code cluster/server}, as check examples print it. */
    public record ServerRef(String cluster, String server) {
        @Override public String toString() { return cluster + "/" + server; }
    }

    /** A server with the data of each page of one artifact type (empty when it has none). */
    public record ServerData(ServerRef ref, List<JsonNode> pages) {
        public boolean present() { return !pages.isEmpty(); }
        /** The first page's data (for unpaged endpoints the only one). */
        public JsonNode first() { return pages.get(0); }
    }

    private final ArchiveReader reader;

    public ArchiveView(ArchiveReader reader) { this.reader = reader; }

    public ArchiveReader reader() { return reader; }

    /** Every cluster/server pair, sorted by cluster then server. */
    public List<ServerRef> servers() {
        List<ServerRef> out = new ArrayList<>();
        for (String c : reader.clusterNames()) {
            for (String s : reader.clusterServerNames(c)) out.add(new ServerRef(c, s));
        }
        return out;
    }

    /** The servers of one cluster. */
    public List<ServerRef> servers(String cluster) {
        List<ServerRef> out = new ArrayList<>();
        for (String s : reader.clusterServerNames(cluster)) out.add(new ServerRef(cluster, s));
        return out;
    }

    /** For each server, the data of its pages of {@code artifactType}. */
    public List<ServerData> each(String artifactType) {
        List<ServerData> out = new ArrayList<>();
        for (ServerRef r : servers()) out.add(data(r, artifactType));
        return out;
    }

    /** Only the servers that have {@code artifactType}. */
    public List<ServerData> present(String artifactType) {
        return each(artifactType).stream().filter(ServerData::present).toList();
    }

    public ServerData data(ServerRef r, String artifactType) {
        List<JsonNode> pages = new ArrayList<>();
        for (Artifact a : reader.pagesOrEmpty(List.of(Tag.cluster(r.cluster()), Tag.server(r.server()),
                Tag.artifactType(artifactType)))) {
            if (a.tag(Tag.ACCOUNT) != null) continue; // account-level artifacts of the same server
            pages.add(a.data());
        }
        return new ServerData(r, pages);
    }

    /** Every page of {@code artifactType}, whoever it belongs to (e.g. every stream_info). */
    public List<Artifact> all(String artifactType) {
        return reader.pagesOrEmpty(List.of(Tag.artifactType(artifactType)));
    }
}
