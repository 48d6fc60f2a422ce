package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** SERVER_005: JetStream memory and storage use near the server's configured maximum. */
public final class JetStreamResourcesCheck extends Check {
    public JetStreamResourcesCheck() {
        super("SERVER_005", "server", "Server Resources Limits", "JetStream memory and storage use is below the limits",
                new ConfigItem("memory", "memory use, of max_memory, above which a server warns", 90, "%"),
                new ConfigItem("store", "storage use, of max_storage, above which a server warns", 90, "%"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> jsz = archive.present(ArtifactType.JETSTREAM_INFO);
        if (jsz.isEmpty()) return ex.skip("no jetstream_info artifacts (no server has JetStream enabled)");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : jsz) {
            JsonNode js = d.first();
            if (js.path("disabled").asBoolean(false)) continue;
            o = o.worst(usage(ex, d, "memory", js.path("memory").asDouble(0), js.path("config").path("max_memory").asDouble(0)));
            o = o.worst(usage(ex, d, "store", js.path("storage").asDouble(0), js.path("config").path("max_storage").asDouble(0)));
        }
        return o;
    }

    private Outcome usage(Examples ex, ArchiveView.ServerData d, String key, double used, double max) {
        if (max <= 0) return Outcome.PASS;
        double pct = used * 100 / max;
        if (pct <= threshold(key)) return Outcome.PASS;
        ex.add("%s: JetStream %s %.0f%% of the limit (%.0f of %.0f bytes)", d.ref(), key.equals("store") ? "storage" : key,
                pct, used, max);
        return Outcome.WARN;
    }
}
