package dev.eventbus.audit.analyze;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventbus.audit.archive.AuditMetadata;
import dev.eventbus.audit.archive.GoJson;
import dev.eventbus.audit.archive.GoTime;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An analysis report, convertible to the {@code io.nats.audit.v1.analysis} JSON document that
 * {@code nats audit analyze --load} reads (spec §4.2).
 *
 * @param archive       the archive's path as given
 * @param metadata      the capture metadata, or null when the archive has none
 * @param skippedChecks codes skipped on request, sorted
 */
public record Analysis(String archive, Instant time, AuditMetadata metadata, List<String> skippedChecks,
                       List<CheckResult> results) {
    public static final String TYPE = "io.nats.audit.v1.analysis";

    public Map<Outcome, Integer> outcomes() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) counts.put(o, 0);
        for (CheckResult r : results) counts.merge(r.outcome(), 1, Integer::sum);
        return counts;
    }

    public ObjectNode toJson() {
        ObjectNode root = GoJson.MAPPER.createObjectNode();
        root.put("type", TYPE);
        root.put("time", GoTime.format(time));
        if (metadata != null) {
            root.set("metadata", metadata.toJson());
        } else {
            root.putObject("metadata");
        }
        ArrayNode skipped = root.putArray("skipped_checks");
        skippedChecks.forEach(skipped::add);
        root.putArray("skipped_suites");
        ArrayNode checks = root.putArray("checks");
        for (CheckResult r : results) {
            ObjectNode c = checks.addObject();
            ObjectNode check = c.putObject("check");
            check.put("code", r.check().code());
            check.put("suite", r.check().suite());
            check.put("name", r.check().name());
            check.put("description", r.check().description());
            ObjectNode config = check.putObject("configuration");
            r.check().configuration().values().stream().sorted((a, b) -> a.key().compareTo(b.key())).forEach(item -> {
                ObjectNode i = config.putObject(item.key());
                i.put("key", item.key());
                i.put("check", r.check().code());
                i.put("description", item.description());
                i.put("default", item.defaultValue());
                i.put("unit", item.unit());
                Double set = r.check().setValue(item.key());
                if (set != null) i.put("set_value", set);
            });
            c.put("outcome", r.outcome().code());
            c.put("outcome_string", r.outcome().label());
            ObjectNode examples = c.putObject("examples");
            if (!r.examples().lines().isEmpty()) {
                ArrayNode list = examples.putArray("examples");
                r.examples().lines().forEach(list::add);
            }
            if (r.examples().error() != null) examples.put("error", r.examples().error());
        }
        ObjectNode counts = root.putObject("outcomes");
        outcomes().forEach((o, n) -> counts.put(o.label(), n));
        return root;
    }
}
