package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** SERVER_007: servers that accept clients without authentication. */
public final class AuthRequiredCheck extends Check {
    public AuthRequiredCheck() {
        super("SERVER_007", "server", "Authentication required", "Every server requires clients to authenticate");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> varz = archive.present(ArtifactType.VARIABLES);
        if (varz.isEmpty()) return ex.skip("no variables (/varz) artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : varz) {
            if (!d.first().path("auth_required").asBoolean(false)) {
                ex.add("%s: clients connect without authentication", d.ref());
                o = Outcome.WARN;
            }
        }
        return o;
    }
}
