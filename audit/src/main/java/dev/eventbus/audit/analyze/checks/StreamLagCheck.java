package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.Artifact;
import dev.eventbus.audit.archive.ArtifactType;
import dev.eventbus.audit.archive.Tag;
import java.util.List;

/** JETSTREAM_001: a stream replica is far behind the most advanced replica. */
public final class StreamLagCheck extends Check {
    public StreamLagCheck() {
        super("JETSTREAM_001", "jetstream", "Stream Lagging Replicas", "No stream replica lags behind the others",
                new ConfigItem("last_seq", "lag, of the highest last sequence, above which a replica fails", 10, "%"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        ArchiveReader r = archive.reader();
        if (archive.all(ArtifactType.STREAM_INFO).isEmpty()) return ex.skip("no stream_info artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (String account : r.accountNames()) {
            for (String stream : r.accountStreamNames(account)) {
                List<Artifact> replicas = r.pagesOrEmpty(List.of(Tag.account(account), Tag.stream(stream),
                        Tag.artifactType(ArtifactType.STREAM_INFO)));
                long highest = 0;
                for (Artifact a : replicas) highest = Math.max(highest, a.data().path("state").path("last_seq").asLong(0));
                if (highest == 0) continue;
                double floor = highest - highest * threshold("last_seq") / 100.0;
                for (Artifact a : replicas) {
                    long last = a.data().path("state").path("last_seq").asLong(0);
                    if (last < floor) {
                        ex.add("%s/%s: replica on %s is at %d, the highest is %d", account, stream, a.tag(Tag.SERVER), last, highest);
                        o = Outcome.FAIL;
                    }
                }
            }
        }
        return o;
    }
}
