package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** SERVER_006: a JetStream domain name contains whitespace. */
public final class JetStreamDomainCheck extends Check {
    public JetStreamDomainCheck() {
        super("SERVER_006", "server", "Whitespace in JetStream domains", "JetStream domain names contain no whitespace");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> jsz = archive.present(ArtifactType.JETSTREAM_INFO);
        if (jsz.isEmpty()) return ex.skip("no jetstream_info artifacts (no server has JetStream enabled)");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : jsz) {
            String domain = d.first().path("config").path("domain").asText("");
            if (Whitespace.contains(domain)) {
                ex.add("%s: domain '%s'", d.ref(), domain);
                o = Outcome.WARN;
            }
        }
        return o;
    }
}
