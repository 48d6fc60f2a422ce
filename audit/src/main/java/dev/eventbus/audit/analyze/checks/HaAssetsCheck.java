package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** CLUSTER_003: a server hosts very many replicated JetStream assets. */
public final class HaAssetsCheck extends Check {
    public HaAssetsCheck() {
        super("CLUSTER_003", "cluster", "Cluster High HA Assets", "No server hosts too many HA JetStream assets",
                new ConfigItem("assets", "HA assets above which a server warns", 1000, "uint"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> jsz = archive.present(ArtifactType.JETSTREAM_INFO);
        if (jsz.isEmpty()) return ex.skip("no jetstream_info artifacts (no server has JetStream enabled)");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : jsz) {
            long assets = d.first().path("ha_assets").asLong(0);
            if (assets > threshold("assets")) {
                ex.add("%s: %d HA assets", d.ref(), assets);
                o = Outcome.WARN;
            }
        }
        return o;
    }
}
