package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/**
 * EVENTBUS_001 (eventbus): event handlers of eventbus apps with a backlog. Reads the {@code eventbus_handlers}
 * artifact ({@code /handlerz}): {@code {"handlers":[{"name","pending","pending_limit"?}, …]}}. A handler with a limit
 * fails at the limit and warns above the percentage; one without a limit warns above the absolute backlog. Skipped
 * when no captured server offers /handlerz.
 */
public final class HandlerBacklogCheck extends Check {
    public HandlerBacklogCheck() {
        super("EVENTBUS_001", "eventbus", "Handler Backlog", "eventbus event handlers keep up with their events",
                new ConfigItem("pending", "pending events, of pending_limit, above which a handler warns", 90, "%"),
                new ConfigItem("backlog", "pending events above which a handler without a limit warns", 1000, "uint"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> handlerz = archive.present(ArtifactType.EVENTBUS_HANDLERS);
        if (handlerz.isEmpty()) return ex.skip("no eventbus_handlers artifacts (no captured server offers /handlerz)");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : handlerz) {
            for (JsonNode h : d.first().path("handlers")) {
                String name = h.path("name").asText("?");
                long pending = h.path("pending").asLong(0);
                long limit = h.path("pending_limit").asLong(0);
                if (limit > 0 && pending >= limit) {
                    ex.add("%s: handler %s has %d pending events, at its limit %d", d.ref(), name, pending, limit);
                    o = Outcome.FAIL;
                } else if (limit > 0 && pending * 100.0 / limit > threshold("pending")) {
                    ex.add("%s: handler %s has %d pending events, %.0f%% of its limit %d", d.ref(), name, pending,
                            pending * 100.0 / limit, limit);
                    o = o.worst(Outcome.WARN);
                } else if (limit <= 0 && pending > threshold("backlog")) {
                    ex.add("%s: handler %s has %d pending events", d.ref(), name, pending);
                    o = o.worst(Outcome.WARN);
                }
            }
        }
        return o;
    }
}
