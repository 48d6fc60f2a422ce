package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.ArrayList;
import java.util.List;

/** CLUSTER_001: a server uses much more memory than the mean of its cluster. */
public final class MemoryOutliersCheck extends Check {
    public MemoryOutliersCheck() {
        super("CLUSTER_001", "cluster", "Cluster Memory Usage Outliers", "No server uses far more memory than its cluster's mean",
                new ConfigItem("memory", "factor over the cluster's mean memory above which a server warns", 1.5, ""));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        Outcome o = Outcome.PASS;
        int clusters = 0;
        for (String cluster : archive.reader().clusterNames()) {
            List<ArchiveView.ServerData> varz = new ArrayList<>();
            for (ArchiveView.ServerRef r : archive.servers(cluster)) {
                ArchiveView.ServerData d = archive.data(r, ArtifactType.VARIABLES);
                if (d.present()) varz.add(d);
            }
            if (varz.size() < 2) continue;
            clusters++;
            double mean = varz.stream().mapToDouble(d -> d.first().path("mem").asDouble(0)).average().orElse(0);
            for (ArchiveView.ServerData d : varz) {
                double mem = d.first().path("mem").asDouble(0);
                if (mean > 0 && mem > mean * threshold("memory")) {
                    ex.add("%s: memory %s is %.1fx the cluster mean %s", d.ref(), Bytes.human(mem), mem / mean, Bytes.human(mean));
                    o = Outcome.WARN;
                }
            }
        }
        if (clusters == 0) return ex.skip("no cluster with two or more servers that have /varz data");
        return o;
    }
}
