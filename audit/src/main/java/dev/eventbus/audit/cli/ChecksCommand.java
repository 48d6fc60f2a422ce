package dev.eventbus.audit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.Checks;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.archive.GoJson;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code eventbus audit checks [--json]}: the checks analyze runs, with their thresholds. */
final class ChecksCommand {
    private ChecksCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args a = Args.parse("checks", argv, Set.of(), Set.of("json", "help"), Map.of("j", "json", "h", "help"));
        if (a.has("help")) {
            out.print("Usage: eventbus audit checks [--json]\n\nLists the checks analyze runs, with their thresholds.\n");
            return 0;
        }
        if (!a.positional().isEmpty()) throw new UsageException("checks takes no arguments");
        if (a.has("json")) {
            ArrayNode list = GoJson.MAPPER.createArrayNode();
            for (Check c : Checks.all()) {
                ObjectNode o = list.addObject();
                o.put("code", c.code()).put("suite", c.suite()).put("name", c.name()).put("description", c.description());
                ObjectNode cfg = o.putObject("configuration");
                for (ConfigItem i : c.configuration().values()) {
                    cfg.putObject(i.key()).put("key", i.key()).put("check", c.code()).put("description", i.description())
                            .put("default", i.defaultValue()).put("unit", i.unit());
                }
            }
            out.writeBytes(GoJson.encode(list, "   "));
            return 0;
        }
        out.printf("%-9s | %-13s | %-60s | %s%n", "Suite", "Code", "Description", "Configuration");
        for (Check c : Checks.all()) {
            String cfg = c.configuration().values().stream()
                    .sorted((x, y) -> x.key().compareTo(y.key()))
                    .map(i -> i.key() + "=" + format(i.defaultValue()) + i.unit())
                    .collect(Collectors.joining(", "));
            out.printf("%-9s | %-13s | %-60s | %s%n", c.suite(), c.code(), c.description(), cfg);
        }
        return 0;
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
