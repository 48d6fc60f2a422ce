package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** CLUSTER_002: every server of a cluster has the same configured gateways. */
public final class UniformGatewaysCheck extends Check {
    public UniformGatewaysCheck() {
        super("CLUSTER_002", "cluster", "Cluster Uniform Gateways", "All servers of a cluster configure the same gateways");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        Outcome o = Outcome.PASS;
        int seen = 0;
        for (String cluster : archive.reader().clusterNames()) {
            Map<String, List<ArchiveView.ServerRef>> byGateways = new LinkedHashMap<>();
            for (ArchiveView.ServerRef r : archive.servers(cluster)) {
                ArchiveView.ServerData d = archive.data(r, ArtifactType.GATEWAYS);
                if (!d.present()) continue;
                seen++;
                byGateways.computeIfAbsent(configured(d.first()).toString(), k -> new ArrayList<>()).add(r);
            }
            if (byGateways.size() > 1) {
                o = Outcome.FAIL;
                for (Map.Entry<String, List<ArchiveView.ServerRef>> e : byGateways.entrySet()) {
                    for (ArchiveView.ServerRef r : e.getValue()) ex.add("%s: configured gateways %s", r, e.getKey());
                }
            }
        }
        if (seen == 0) return ex.skip("no gateways (/gatewayz) artifacts in the archive");
        return o;
    }

    /** The names of configured gateways, outbound and inbound, sorted. */
    static TreeSet<String> configured(JsonNode gatewayz) {
        TreeSet<String> names = new TreeSet<>();
        for (Map.Entry<String, JsonNode> g : gatewayz.path("outbound_gateways").properties()) {
            if (g.getValue().path("configured").asBoolean(false)) names.add(g.getKey());
        }
        for (Map.Entry<String, JsonNode> g : gatewayz.path("inbound_gateways").properties()) {
            for (JsonNode conn : g.getValue()) {
                if (conn.path("configured").asBoolean(false)) names.add(g.getKey());
            }
        }
        return names;
    }
}
