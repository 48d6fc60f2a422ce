package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** META_001: the JetStream meta cluster has offline replicas. */
public final class MetaOfflineCheck extends Check {
    public MetaOfflineCheck() {
        super("META_001", "meta", "Meta cluster offline replicas", "All JetStream meta cluster replicas are online");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> jsz = archive.present(ArtifactType.JETSTREAM_INFO);
        if (jsz.isEmpty()) return ex.skip("no jetstream_info artifacts (no server has JetStream enabled)");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : jsz) {
            if (d.first().path("disabled").asBoolean(false)) continue;
            for (JsonNode r : d.first().path("meta_cluster").path("replicas")) {
                if (r.path("offline").asBoolean(false)) {
                    ex.add("%s: meta replica %s is offline", d.ref(), r.path("name").asText("?"));
                    o = Outcome.FAIL;
                }
            }
        }
        return o;
    }
}
