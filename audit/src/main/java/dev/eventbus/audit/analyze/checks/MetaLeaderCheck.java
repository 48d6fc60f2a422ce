package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** META_002: the JetStream meta cluster has no leader, or servers of a cluster disagree on it. */
public final class MetaLeaderCheck extends Check {
    public MetaLeaderCheck() {
        super("META_002", "meta", "Meta cluster leader", "The JetStream meta cluster has one agreed leader");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        Map<String, TreeSet<String>> leaders = new TreeMap<>();
        Outcome o = Outcome.PASS;
        int seen = 0;
        for (ArchiveView.ServerData d : archive.present(ArtifactType.JETSTREAM_INFO)) {
            if (d.first().path("disabled").asBoolean(false) || !d.first().has("meta_cluster")) continue;
            seen++;
            String leader = d.first().path("meta_cluster").path("leader").asText("");
            if (leader.isEmpty()) {
                ex.add("%s: no meta leader", d.ref());
                o = Outcome.FAIL;
            } else {
                leaders.computeIfAbsent(d.ref().cluster(), k -> new TreeSet<>()).add(leader);
            }
        }
        if (seen == 0) return ex.skip("no server reports a JetStream meta cluster");
        for (Map.Entry<String, TreeSet<String>> e : leaders.entrySet()) {
            if (e.getValue().size() > 1) {
                ex.add("cluster %s: servers disagree on the meta leader: %s", e.getKey(), String.join(", ", e.getValue()));
                o = Outcome.FAIL;
            }
        }
        return o;
    }
}
