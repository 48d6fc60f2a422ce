package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;
import java.util.Set;

/** SERVER_903 (eventbus): recently closed connections that closed because authentication failed. */
public final class AuthFailuresCheck extends Check {
    private static final Set<String> REASONS =
            Set.of("Authentication Failure", "Authentication Timeout", "Authentication Expired", "Authorization Violation");

    public AuthFailuresCheck() {
        super("SERVER_903", "server", "Authentication Failures", "No recent connection closed on an authentication failure");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> closed = archive.present(ArtifactType.CLOSED_CONNECTIONS);
        if (closed.isEmpty()) return ex.skip("no closed_connections artifacts (captured by eventbus audit only)");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : closed) {
            int failures = 0;
            int total = 0;
            String last = "";
            for (JsonNode page : d.pages()) {
                for (JsonNode c : page.path("connections")) {
                    total++;
                    String reason = c.path("reason").asText("");
                    if (REASONS.contains(reason)) {
                        failures++;
                        last = reason + " from " + c.path("ip").asText("?");
                    }
                }
            }
            if (failures > 0) {
                ex.add("%s: %d of the last %d closed connections failed authentication (latest: %s)", d.ref(), failures, total, last);
                o = Outcome.WARN;
            }
        }
        return o;
    }
}
