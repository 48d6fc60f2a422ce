package dev.eventbus.audit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.archive.GoJson;
import dev.eventbus.audit.capture.MonitorClient;
import dev.eventbus.audit.capture.MonitorUrl;
import java.time.Duration;

/** GETs a monitoring endpoint and parses it, for awaiting a server state in tests. */
public final class Http {
    private static final MonitorClient CLIENT = new MonitorClient(Duration.ofSeconds(2));

    private Http() {}

    public static JsonNode json(String host, int port, String path) throws Exception {
        int q = path.indexOf('?');
        MonitorClient.Response r = CLIENT.get(MonitorUrl.parse(host + ":" + port),
                q < 0 ? path : path.substring(0, q), q < 0 ? "" : path.substring(q + 1));
        return GoJson.parse(r.body());
    }
}
