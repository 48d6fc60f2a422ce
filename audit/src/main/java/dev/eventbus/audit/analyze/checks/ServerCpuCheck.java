package dev.eventbus.audit.analyze.checks;

import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.List;

/** SERVER_003: CPU per core above the threshold. */
public final class ServerCpuCheck extends Check {
    public ServerCpuCheck() {
        super("SERVER_003", "server", "Server CPU Usage", "CPU usage per core is below the threshold",
                new ConfigItem("cpu", "CPU usage per core above which a server fails", 90, "%"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<ArchiveView.ServerData> varz = archive.present(ArtifactType.VARIABLES);
        if (varz.isEmpty()) return ex.skip("no variables (/varz) artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (ArchiveView.ServerData d : varz) {
            double cpu = d.first().path("cpu").asDouble(0);
            int cores = d.first().path("cores").asInt(0);
            if (cores <= 0) continue;
            double perCore = cpu / cores;
            if (perCore > threshold("cpu")) {
                ex.add("%s: %.1f%% CPU on %d cores (%.1f%% per core)", d.ref(), cpu, cores, perCore);
                o = Outcome.FAIL;
            }
        }
        return o;
    }
}
