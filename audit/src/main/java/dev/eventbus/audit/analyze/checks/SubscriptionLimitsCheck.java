package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;

/**
 * SERVER_902 (eventbus): connections whose subscription count is near the server's per-connection
 * {@code max_subscriptions} (from /varz; the counts from /connz).
 */
public final class SubscriptionLimitsCheck extends Check {
    public SubscriptionLimitsCheck() {
        super("SERVER_902", "server", "Connection Subscription Limits", "Connections are below max_subscriptions",
                new ConfigItem("subscriptions", "subscriptions, of max_subscriptions, above which a connection warns", 90, "%"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        Outcome o = Outcome.PASS;
        int limited = 0;
        for (ArchiveView.ServerData varz : archive.present(ArtifactType.VARIABLES)) {
            long max = varz.first().path("max_subscriptions").asLong(0);
            if (max <= 0) continue;
            limited++;
            ArchiveView.ServerData connz = archive.data(varz.ref(), ArtifactType.CONNECTIONS);
            for (JsonNode page : connz.pages()) {
                for (JsonNode c : page.path("connections")) {
                    long subs = c.path("subscriptions").asLong(0);
                    double pct = subs * 100.0 / max;
                    String who = "cid " + c.path("cid").asText("?") + nameOf(c);
                    if (subs >= max) {
                        ex.add("%s: %s has %d subscriptions, the limit is %d", varz.ref(), who, subs, max);
                        o = Outcome.FAIL;
                    } else if (pct > threshold("subscriptions")) {
                        ex.add("%s: %s has %d subscriptions, %.0f%% of the limit %d", varz.ref(), who, subs, pct, max);
                        o = o.worst(Outcome.WARN);
                    }
                }
            }
        }
        if (limited == 0) return ex.skip("no server limits subscriptions per connection (max_subscriptions unset)");
        return o;
    }

    private static String nameOf(JsonNode c) {
        String name = c.path("name").asText("");
        return name.isEmpty() ? "" : " (" + name + ")";
    }
}
