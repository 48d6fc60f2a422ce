package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** LEAF_001: a leafnode connection's server name contains whitespace. */
public final class LeafNameCheck extends Check {
    public LeafNameCheck() {
        super("LEAF_001", "leaf", "Whitespace in leafnode server names", "Leafnode server names contain no whitespace");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> leafz = archive.present(ArtifactType.LEAFS);
        if (leafz.isEmpty()) return ex.skip("no leafs (/leafz) artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : leafz) {
            for (JsonNode leaf : d.first().path("leafs")) {
                String name = leaf.path("name").asText("");
                if (Whitespace.contains(name)) {
                    ex.add("%s: leafnode '%s'", d.ref(), name);
                    o = Outcome.FAIL;
                }
            }
        }
        return o;
    }
}
