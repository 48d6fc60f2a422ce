package dev.eventbus.broker.server;

import dev.eventbus.broker.BrokerOptions;
import java.nio.charset.StandardCharsets;

/**
 * The INFO line, laid out as nats-server 2.9.10 writes it: compact JSON in Go's field order, false/empty
 * omitempty fields left out, and Go's trailing space before CRLF. The server part is built once; only client_id and
 * client_ip differ per connection.
 */
final class InfoJson {
    private final String prefix;

    InfoJson(String serverId, String serverName, String host, int port, BrokerOptions o) {
        StringBuilder b = new StringBuilder(256).append("INFO {");
        b.append("\"server_id\":").append(str(serverId));
        b.append(",\"server_name\":").append(str(serverName));
        b.append(",\"version\":").append(str(BrokerOptions.NATS_VERSION));
        b.append(",\"proto\":1");
        b.append(",\"go\":").append(str(runtimeVersion()));
        b.append(",\"host\":").append(str(host));
        b.append(",\"port\":").append(port);
        b.append(",\"headers\":true");
        if (o.authRequired()) b.append(",\"auth_required\":true");
        if (o.tls() != null) {
            b.append(",\"tls_required\":true");
            if (o.tls().verify()) b.append(",\"tls_verify\":true");
        }
        b.append(",\"max_payload\":").append(o.maxPayload());
        prefix = b.toString();
    }

    /** What the INFO "go" field carries for us: the Java runtime, since clients only display it. */
    static String runtimeVersion() { return "java" + Runtime.version().feature() + "." + Runtime.version().interim() + "." + Runtime.version().update(); }

    byte[] forClient(long cid, String clientIp) {
        String s = prefix + ",\"client_id\":" + cid + (clientIp == null ? "" : ",\"client_ip\":" + str(clientIp)) + "} \r\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(String s) {
        return dev.eventbus.broker.json.JsonWriter.quote(s);
    }
}
