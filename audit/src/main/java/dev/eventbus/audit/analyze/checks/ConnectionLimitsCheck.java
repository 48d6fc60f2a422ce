package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** SERVER_901 (eventbus): client connections near the server's {@code max_connections}. */
public final class ConnectionLimitsCheck extends Check {
    public ConnectionLimitsCheck() {
        super("SERVER_901", "server", "Server Connection Limits", "Client connections are below max_connections",
                new ConfigItem("connections", "connections, of max_connections, above which a server warns", 90, "%"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> varz = archive.present(ArtifactType.VARIABLES);
        if (varz.isEmpty()) return ex.skip("no variables (/varz) artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : varz) {
            long conns = d.first().path("connections").asLong(0);
            long max = d.first().path("max_connections").asLong(0);
            if (max <= 0) continue;
            double pct = conns * 100.0 / max;
            if (conns >= max) {
                ex.add("%s: %d connections, the limit is %d: new clients are refused", d.ref(), conns, max);
                o = Outcome.FAIL;
            } else if (pct > threshold("connections")) {
                ex.add("%s: %d connections, %.0f%% of the limit %d", d.ref(), conns, pct, max);
                o = o.worst(Outcome.WARN);
            }
        }
        return o;
    }
}
