package dev.eventbus.audit.testing;

import dev.eventbus.audit.archive.ArchiveWriter;
import dev.eventbus.audit.archive.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes synthetic server replies into archives, as a capture would store them (envelope and tag order). */
public final class Seed {
    private Seed() {}

    /** Stores {@code dataJson} as a page of {@code type} for server {@code server} of {@code cluster}. */
    public static String server(ArchiveWriter w, String cluster, String server, String type, String dataJson) {
        String env = "{\"server\":{\"name\":\"" + server + "\",\"host\":\"127.0.0.1\",\"id\":\"ID_" + server + "\""
                + (cluster.equals(Tag.NO_CLUSTER) ? "" : ",\"cluster\":\"" + cluster + "\"")
                + ",\"ver\":\"2.9.10\",\"jetstream\":false,\"flags\":0,\"seq\":1,\"time\":\"2026-01-02T03:04:05Z\"},\"data\":"
                + dataJson + "}";
        return w.addIndentedJson(env.getBytes(StandardCharsets.UTF_8),
                List.of(Tag.server(server), Tag.artifactType(type), Tag.clusterOrNone(cluster)));
    }

    /** A minimal /varz body. {@code extra} is more JSON members, e.g. {@code "slow_consumers":3}, or empty. */
    public static String varz(String server, String version, String extra) {
        return "{\"server_id\":\"ID_" + server + "\",\"server_name\":\"" + server + "\",\"version\":\"" + version
                + "\",\"go\":\"go1.19.8\",\"host\":\"0.0.0.0\",\"max_connections\":65536,\"mem\":10000000,\"cores\":2,"
                + "\"cpu\":1.5,\"connections\":1,\"slow_consumers\":0,\"auth_required\":true,\"now\":\"2026-01-02T03:04:05Z\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }
}
