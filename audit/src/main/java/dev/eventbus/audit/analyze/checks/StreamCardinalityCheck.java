package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.Artifact;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.Tag;
import java.util.List;

/** JETSTREAM_002: a stream holds a very large number of distinct subjects. */
public final class StreamCardinalityCheck extends Check {
    public StreamCardinalityCheck() {
        super("JETSTREAM_002", "jetstream", "Stream High Cardinality", "No stream holds too many distinct subjects",
                new ConfigItem("subjects", "distinct subjects above which a stream warns", 1_000_000, "int"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<Artifact> streams = archive.all(ArtifactType.STREAM_INFO);
        if (streams.isEmpty()) return ex.skip("no stream_info artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (Artifact a : streams) {
            long subjects = a.data().path("state").path("num_subjects").asLong(0);
            if (subjects > threshold("subjects")) {
                ex.add("%s/%s on %s: %d subjects", a.tag(Tag.ACCOUNT), a.tag(Tag.STREAM), a.tag(Tag.SERVER), subjects);
                o = Outcome.WARN;
            }
        }
        return o;
    }
}
