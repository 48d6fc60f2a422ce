package dev.eventbus.broker.protocol;

import dev.eventbus.broker.json.JsonReader;
import java.util.Map;

/**
 * The client's CONNECT fields, decoded as Go's {@code encoding/json} decodes them into nats-server's
 * {@code ClientOpts}: keys match case-insensitively, unknown keys are ignored, {@code null} leaves the default, and a
 * value of the wrong type is an error (which closes the connection silently, as nats-server does).
 */
public record ConnectOptions(boolean verbose, boolean pedantic, boolean tlsRequired, String authToken, String user,
                             String pass, String name, String lang, String version, int protocol, boolean echo,
                             String sig, String jwt, String nkey, boolean headers, boolean noResponders,
                             String account, boolean newAccount) {

    /** Before CONNECT nats-server treats a connection as verbose, pedantic and echoing. */
    public static final ConnectOptions DEFAULTS =
            new ConnectOptions(true, true, false, null, null, null, null, null, null, 0, true, null, null, null,
                    false, false, null, false);

    /** @throws IllegalArgumentException for invalid JSON or a field of the wrong type */
    public static ConnectOptions parse(String json) {
        Object parsed = JsonReader.parse(json);
        if (!(parsed instanceof Map<?, ?> raw)) throw new IllegalArgumentException("CONNECT is not a JSON object");
        Fields f = new Fields(raw);
        return new ConnectOptions(
                f.bool("verbose", true), f.bool("pedantic", true), f.bool("tls_required", false),
                f.str("auth_token"), f.str("user"), f.str("pass"), f.str("name"), f.str("lang"), f.str("version"),
                f.integer("protocol", 0), f.bool("echo", true), f.str("sig"), f.str("jwt"), f.str("nkey"),
                f.bool("headers", false), f.bool("no_responders", false), f.str("account"),
                f.bool("new_account", false));
    }

    /** Go matches JSON keys to struct tags case-insensitively; the last matching key wins. */
    private static final class Fields {
        private final Map<?, ?> raw;

        Fields(Map<?, ?> raw) { this.raw = raw; }

        private Object get(String key) {
            Object v = null;
            for (Map.Entry<?, ?> e : raw.entrySet()) {
                if (key.equalsIgnoreCase((String) e.getKey())) v = e.getValue();
            }
            return v;
        }

        boolean bool(String key, boolean dflt) {
            Object v = get(key);
            if (v == null) return dflt;
            if (v instanceof Boolean b) return b;
            throw new IllegalArgumentException("json: cannot unmarshal into field " + key + " of type bool");
        }

        String str(String key) {
            Object v = get(key);
            if (v == null) return null;
            if (v instanceof String s) return s;
            throw new IllegalArgumentException("json: cannot unmarshal into field " + key + " of type string");
        }

        int integer(String key, int dflt) {
            Object v = get(key);
            if (v == null) return dflt;
            if (v instanceof Number n) {
                double d = n.doubleValue();
                if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) return (int) d;
            }
            throw new IllegalArgumentException("json: cannot unmarshal into field " + key + " of type int");
        }
    }
}
