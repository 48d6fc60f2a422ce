package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** SERVER_004: servers that have had slow consumers (clients dropped for not reading fast enough). */
public final class SlowConsumersCheck extends Check {
    public SlowConsumersCheck() {
        super("SERVER_004", "server", "Server Slow Consumers", "No server has had slow consumers");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> varz = archive.present(ArtifactType.VARIABLES);
        if (varz.isEmpty()) return ex.skip("no variables (/varz) artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : varz) {
            long slow = d.first().path("slow_consumers").asLong(0);
            if (slow > 0) {
                ex.add("%s: %d slow consumer%s", d.ref(), slow, slow == 1 ? "" : "s");
                o = Outcome.WARN;
            }
        }
        return o;
    }
}
