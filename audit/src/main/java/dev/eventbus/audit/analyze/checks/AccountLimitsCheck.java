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

/**
 * ACCOUNTS_001: an account's connections, leafnodes or subscriptions near its JWT limits. Unlike jsm.go, which
 * decodes the stored envelope as a bare AccountInfo and so never finds the limits, this reads the envelope's data.
 */
public final class AccountLimitsCheck extends Check {
    public AccountLimitsCheck() {
        super("ACCOUNTS_001", "accounts", "Account Limits", "Accounts are below their connection and subscription limits",
                new ConfigItem("connections", "connections, of the account limit, above which an account warns", 90, "%"),
                new ConfigItem("subscriptions", "subscriptions, of the account limit, above which an account warns", 90, "%"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        List<Artifact> infos = archive.all(ArtifactType.ACCOUNT_INFO);
        if (infos.isEmpty()) return ex.skip("no account_info artifacts in the archive");
        Outcome o = Outcome.PASS;
        for (Artifact a : infos) {
            JsonNode info = a.data();
            JsonNode limits = info.path("decoded_jwt").path("nats").path("limits");
            if (!limits.isObject()) continue;
            String who = a.tag(Tag.ACCOUNT) + " on " + a.tag(Tag.SERVER);
            o = o.worst(limit(ex, who, "client connections", "connections", info.path("client_connections").asLong(0), limits.path("conn").asLong(-1)));
            o = o.worst(limit(ex, who, "leafnode connections", "connections", info.path("leafnode_connections").asLong(0), limits.path("leaf").asLong(-1)));
            o = o.worst(limit(ex, who, "subscriptions", "subscriptions", info.path("subscriptions").asLong(0), limits.path("subs").asLong(-1)));
        }
        return o;
    }

    private Outcome limit(Examples ex, String who, String what, String key, long value, long max) {
        if (max < 0) return Outcome.PASS; // -1: unlimited
        if (value > max) {
            ex.add("%s: %d %s, over the limit %d", who, value, what, max);
            return Outcome.FAIL;
        }
        if (max > 0 && value * 100.0 / max > threshold(key)) {
            ex.add("%s: %d %s, %.0f%% of the limit %d", who, value, what, value * 100.0 / max, max);
            return Outcome.WARN;
        }
        return Outcome.PASS;
    }
}
