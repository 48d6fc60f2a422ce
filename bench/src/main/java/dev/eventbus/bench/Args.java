package dev.eventbus.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Minimal {@code --key value} / {@code --key=value} parser; everything after {@code --} is positional. */
final class Args {
    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    Args(String[] argv, int from) {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--")) {
                for (int j = i + 1; j < argv.length; j++) positional.add(argv[j]);
                break;
            }
            if (a.startsWith("--")) {
                String key = a.substring(2);
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    options.put(key.substring(0, eq), key.substring(eq + 1));
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    options.put(key, argv[++i]);
                } else {
                    options.put(key, "true");
                }
            } else {
                positional.add(a);
            }
        }
    }

    boolean has(String key) { return options.containsKey(key); }

    String get(String key, String def) { return options.getOrDefault(key, def); }

    String require(String key) {
        String v = options.get(key);
        if (v == null) throw new IllegalArgumentException("missing --" + key);
        return v;
    }

    long getLong(String key, long def) {
        String v = options.get(key);
        return v == null ? def : Long.parseLong(v.replace("_", ""));
    }

    int getInt(String key, int def) { return (int) getLong(key, def); }

    int[] ints(String key, String def) {
        String[] parts = get(key, def).split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].trim());
        return out;
    }

    List<String> positional() { return positional; }
}
