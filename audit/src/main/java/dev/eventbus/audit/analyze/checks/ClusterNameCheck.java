package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;

/** CLUSTER_004: a cluster name contains whitespace. */
public final class ClusterNameCheck extends Check {
    public ClusterNameCheck() {
        super("CLUSTER_004", "cluster", "Whitespace in cluster name", "Cluster names contain no whitespace");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        Outcome o = Outcome.PASS;
        for (String c : archive.reader().clusterNames()) {
            if (Whitespace.contains(c)) {
                ex.add("cluster '%s'", c);
                o = Outcome.FAIL;
            }
        }
        return o;
    }
}
