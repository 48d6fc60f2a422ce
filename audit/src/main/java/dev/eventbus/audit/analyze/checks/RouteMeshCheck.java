package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.Tag;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * CLUSTER_901 (eventbus): route health. Every captured server of a cluster has a route to every other captured
 * server of that cluster (a full mesh), and no route has a large backlog of unsent data.
 */
public final class RouteMeshCheck extends Check {
    public RouteMeshCheck() {
        super("CLUSTER_901", "cluster", "Cluster Route Health", "Cluster servers are fully meshed and their routes are not backed up",
                new ConfigItem("pending", "bytes pending on a route above which it warns", 1024 * 1024, "uint"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        Outcome o = Outcome.PASS;
        int seen = 0;
        for (String cluster : archive.reader().clusterNames()) {
            if (cluster.equals(Tag.NO_CLUSTER)) continue;
            Map<String, ArchiveView.ServerRef> byId = new LinkedHashMap<>();
            for (ArchiveView.ServerRef r : archive.servers(cluster)) {
                ArchiveView.ServerData v = archive.data(r, ArtifactType.VARIABLES);
                if (v.present()) byId.put(v.first().path("server_id").asText(r.server()), r);
            }
            for (Map.Entry<String, ArchiveView.ServerRef> me : byId.entrySet()) {
                ArchiveView.ServerData routez = archive.data(me.getValue(), ArtifactType.ROUTES);
                if (!routez.present()) continue;
                seen++;
                Set<String> remotes = new HashSet<>();
                for (JsonNode route : routez.first().path("routes")) {
                    remotes.add(route.path("remote_id").asText(""));
                    long pending = route.path("pending_size").asLong(0);
                    if (pending > threshold("pending")) {
                        ex.add("%s: route to %s has %s pending", me.getValue(), name(byId, route.path("remote_id").asText("?")),
                                Bytes.human(pending));
                        o = o.worst(Outcome.WARN);
                    }
                }
                for (Map.Entry<String, ArchiveView.ServerRef> other : byId.entrySet()) {
                    if (other.getKey().equals(me.getKey()) || remotes.contains(other.getKey())) continue;
                    ex.add("%s: no route to %s", me.getValue(), other.getValue().server());
                    o = Outcome.FAIL;
                }
            }
        }
        if (seen == 0) return ex.skip("no clustered server with routes (/routez) data in the archive");
        return o;
    }

    private static String name(Map<String, ArchiveView.ServerRef> byId, String id) {
        ArchiveView.ServerRef r = byId.get(id);
        return r == null ? id : r.server();
    }
}
