package dev.eventbus.audit.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small flag parser: {@code --flag value}, {@code --flag=value}, repeatable flags, boolean switches, short aliases
 * and positional arguments. {@code --} ends the flags.
 */
public final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> switches = new HashSet<>();

    private Args() {}

    /**
     * @param valueFlags flags that take a value (long names without dashes)
     * @param boolFlags  switches
     * @param aliases    short form to long name, e.g. {@code o -> output}
     * @throws UsageException for an unknown flag or a missing value
     */
    public static Args parse(String command, String[] args, Set<String> valueFlags, Set<String> boolFlags,
                             Map<String, String> aliases) {
        Args a = new Args();
        boolean flagsDone = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (flagsDone || !arg.startsWith("-") || arg.equals("-")) {
                a.positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                flagsDone = true;
                continue;
            }
            String name = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!arg.startsWith("--")) name = aliases.getOrDefault(name, "-" + name);
            if (boolFlags.contains(name)) {
                if (value != null) throw new UsageException("flag --" + name + " takes no value");
                a.switches.add(name);
            } else if (valueFlags.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) throw new UsageException("flag --" + name + " needs a value");
                    value = args[++i];
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                String shown = arg.startsWith("--") ? "--" + name : arg;
                throw new UsageException("unknown flag " + shown + " for 'audit " + command + "'");
            }
        }
        return a;
    }

    public List<String> positional() { return List.copyOf(positional); }

    public boolean has(String flag) { return switches.contains(flag); }

    /** Every value of a repeatable flag, with comma-separated lists split. */
    public List<String> all(String flag) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(flag, List.of())) {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(part.trim());
        }
        return out;
    }

    /** Every value of a repeatable flag as given (no comma splitting). */
    public List<String> raw(String flag) { return List.copyOf(values.getOrDefault(flag, List.of())); }

    /** The last value of a flag, or {@code fallback}. */
    public String get(String flag, String fallback) {
        List<String> v = values.get(flag);
        return v == null || v.isEmpty() ? fallback : v.get(v.size() - 1);
    }

    public int intValue(String flag, int fallback) {
        String v = get(flag, null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("flag --" + flag + " needs a number, not '" + v + "'");
        }
    }
}
