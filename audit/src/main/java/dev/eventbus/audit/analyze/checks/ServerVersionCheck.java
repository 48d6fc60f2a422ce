package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** SERVER_002: every server runs the same version (version drift fails). */
public final class ServerVersionCheck extends Check {
    public ServerVersionCheck() {
        super("SERVER_002", "server", "Server Version", "All servers run the same version");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> varz = archive.present(ArtifactType.VARIABLES);
        if (varz.isEmpty()) return ex.skip("no variables (/varz) artifacts in the archive");
        Map<String, Integer> versions = new TreeMap<>();
        for (ArchiveView.ServerData d : varz) versions.merge(d.first().path("version").asText("?"), 1, Integer::sum);
        if (versions.size() <= 1) return Outcome.PASS;
        for (ArchiveView.ServerData d : varz) ex.add("%s - %s", d.ref().server(), d.first().path("version").asText("?"));
        return Outcome.FAIL;
    }
}
