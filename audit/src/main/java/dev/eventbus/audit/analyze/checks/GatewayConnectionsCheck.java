package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.util.Map;
import java.util.TreeSet;

/**
 * CLUSTER_902 (eventbus): gateway health. Every remote gateway a server is configured with (/varz
 * {@code gateway.gateways}) and every outbound gateway it knows (/gatewayz) has a live connection.
 */
public final class GatewayConnectionsCheck extends Check {
    public GatewayConnectionsCheck() {
        super("CLUSTER_902", "cluster", "Gateway Connections", "Every configured gateway is connected");
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        Outcome o = Outcome.PASS;
        int seen = 0;
        for (ArchiveView.ServerData gw : archive.present(ArtifactType.GATEWAYS)) {
            TreeSet<String> expected = new TreeSet<>();
            ArchiveView.ServerData varz = archive.data(gw.ref(), ArtifactType.VARIABLES);
            if (varz.present()) {
                JsonNode g = varz.first().path("gateway");
                String own = g.path("name").asText("");
                for (JsonNode remote : g.path("gateways")) {
                    String n = remote.path("name").asText("");
                    if (!n.isEmpty() && !n.equals(own)) expected.add(n);
                }
            }
            JsonNode outbound = gw.first().path("outbound_gateways");
            for (Map.Entry<String, JsonNode> e : outbound.properties()) expected.add(e.getKey());
            if (expected.isEmpty()) continue;
            seen++;
            for (String name : expected) {
                JsonNode conn = outbound.path(name).path("connection");
                if (!conn.isObject() || conn.isEmpty()) {
                    ex.add("%s: gateway %s is not connected", gw.ref(), name);
                    o = Outcome.FAIL;
                }
            }
        }
        if (seen == 0) return ex.skip("no server has gateways configured");
        return o;
    }
}
