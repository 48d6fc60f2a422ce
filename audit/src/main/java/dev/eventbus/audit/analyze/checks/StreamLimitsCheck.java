package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.Artifact;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.Tag;
import java.util.List;

/** JETSTREAM_003: a stream's messages, bytes or consumers near its configured maximum. */
public final class StreamLimitsCheck extends Check {
    public StreamLimitsCheck() {
        super("JETSTREAM_003", "jetstream", "Stream Limits", "Streams are below their message, byte and consumer limits",
                new ConfigItem("messages", "messages, of max_msgs, above which a stream warns", 90, "%"),
                new ConfigItem("bytes", "bytes, of max_bytes, above which a stream warns", 90, "%"),
                new ConfigItem("consumers", "consumers, of max_consumers, above which a stream warns", 90, "%"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<Artifact> streams = archive.all(ArtifactType.STREAM_INFO);
        if (streams.isEmpty()) return ex.skip("no stream_info artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (Artifact a : streams) {
            JsonNode state = a.data().path("state");
            JsonNode config = a.data().path("config");
            o = o.worst(limit(ex, a, "messages", state.path("messages").asDouble(0), config.path("max_msgs").asDouble(0)));
            o = o.worst(limit(ex, a, "bytes", state.path("bytes").asDouble(0), config.path("max_bytes").asDouble(0)));
            o = o.worst(limit(ex, a, "consumers", state.path("consumer_count").asDouble(0), config.path("max_consumers").asDouble(0)));
        }
        return o;
    }

    private Outcome limit(Examples ex, Artifact a, String key, double value, double max) {
        if (max <= 0) return Outcome.PASS;
        double pct = value * 100 / max;
        if (pct <= threshold(key)) return Outcome.PASS;
        ex.add("%s/%s on %s: %s at %.0f%% of the limit (%.0f of %.0f)", a.tag(Tag.ACCOUNT), a.tag(Tag.STREAM), a.tag(Tag.SERVER),
                key, pct, value, max);
        return Outcome.WARN;
    }
}
