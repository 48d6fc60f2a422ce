package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** SERVER_001: a server's /healthz status is neither {@code ok} nor empty. */
public final class ServerHealthCheck extends Check {
    public ServerHealthCheck() {
        super("SERVER_001", "server", "Server Health", "Each server's /healthz status is ok");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> health = archive.present(ArtifactType.HEALTH);
        if (health.isEmpty()) return ex.skip("no health artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : health) {
            String status = d.first().path("status").asText("");
            if (!status.isEmpty() && !status.equals("ok")) {
                String err = d.first().path("error").asText("");
                ex.add("%s: status %s%s", d.ref(), status, err.isEmpty() ? "" : " (" + err + ")");
                o = Outcome.WARN;
            }
        }
        return o;
    }
}
