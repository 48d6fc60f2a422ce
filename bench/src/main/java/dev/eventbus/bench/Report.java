package dev.eventbus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns run.sh's raw results ({@code server<TAB>round<TAB>scenario<TAB>size<TAB>metric<TAB>value<TAB>unit}) into the
 * Markdown comparison table: the median over all samples of each (server, scenario, size, metric).
 */
final class Report {
    static final String NATS = "nats-server";
    static final String OURS = "eventbus";

    /**
     * One table row kind: which raw metric, how to label it (followed by " (unit)" unless unit is null), whether a
     * higher value is better, and whether nats-server has a counterpart at all (event-service rows do not: their
     * nats-server column is n/a and the ratio column "—").
     */
    record Row(String scenario, String metric, String label, String unit, boolean higherIsBetter, boolean ours) {
        Row(String scenario, String metric, String label, String unit, boolean higherIsBetter) {
            this(scenario, metric, label, unit, higherIsBetter, false);
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("pubraw", "msgs_per_sec", "pub-only, raw-socket publisher", "msgs/s", true),
            new Row("pub", "msgs_per_sec", "pub-only, jnats publisher", "msgs/s", true),
            new Row("pubsub", "msgs_per_sec", "pub/sub 1:1", "msgs/s", true),
            new Row("fanout", "msgs_per_sec", "fan-out 1:4, deliveries", "msgs/s", true),
            new Row("queue", "msgs_per_sec", "queue 1:4, each msg once", "msgs/s", true),
            new Row("reqrep", "p50_us", "request/reply p50", "µs", false),
            new Row("reqrep", "p99_us", "request/reply p99", "µs", false),
            new Row("gw-pubsub", "msgs_per_sec", "cross-gateway pub/sub 1:1", "msgs/s", true),
            new Row("gw-reqrep", "p50_us", "cross-gateway request/reply p50", "µs", false),
            new Row("gw-reqrep", "p99_us", "cross-gateway request/reply p99", "µs", false),
            new Row("fanout", "peak_rss_mib", "server peak RSS during fan-out 1:4", "MiB", false),
            new Row("conns", "rss_before_mib", "server idle RSS", "MiB", false),
            new Row("conns", "bytes_per_conn", "RSS per idle connection", "bytes", false),
            new Row("startup", "startup_ms", "startup to 'Server is ready'", "ms", false),
            // bench.jar events (run.sh scenario service): the event-service app end to end, no nats-server counterpart
            new Row(EventsBench.SCENARIO, "accepted_per_sec_always", "event-service accepted events/s (1 KB, sync=always)", null, true, true),
            new Row(EventsBench.SCENARIO, "accepted_per_sec_interval", "event-service accepted events/s (1 KB, sync=interval 50 ms)", null, true, true),
            new Row(EventsBench.SCENARIO, "delivered_per_sec_always", "event-service delivered events/s, 1 HTTP handler (1 KB, sync=always)", null, true, true),
            new Row(EventsBench.SCENARIO, "delivered_per_sec_interval", "event-service delivered events/s, 1 HTTP handler (1 KB, sync=interval 50 ms)", null, true, true),
            new Row(EventsBench.SCENARIO, "delivery_p50_ms_always", "event-service publish-to-delivery p50 (ms, 1 KB, sync=always, paced)", null, false, true),
            new Row(EventsBench.SCENARIO, "delivery_p99_ms_always", "event-service publish-to-delivery p99 (ms, 1 KB, sync=always, paced)", null, false, true),
            new Row(EventsBench.SCENARIO, "delivery_p50_ms_interval", "event-service publish-to-delivery p50 (ms, 1 KB, sync=interval 50 ms, paced)", null, false, true),
            new Row(EventsBench.SCENARIO, "delivery_p99_ms_interval", "event-service publish-to-delivery p99 (ms, 1 KB, sync=interval 50 ms, paced)", null, false, true));

    private Report() {}

    static void run(Args a) throws Exception {
        if (a.positional().isEmpty()) throw new IllegalArgumentException("report RAW.tsv");
        Path raw = Path.of(a.positional().get(0));
        // server -> scenario|size|metric -> samples
        Map<String, Map<String, List<Double>>> data = new LinkedHashMap<>();
        Map<String, TreeSet<Integer>> sizesByScenario = new LinkedHashMap<>();
        Map<String, String> nonNumericSizes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(raw)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length < 7) continue;
            String server = f[0], scenario = f[2], size = f[3], metric = f[4];
            double value;
            try {
                value = Double.parseDouble(f[5]);
            } catch (NumberFormatException e) {
                continue;
            }
            data.computeIfAbsent(server, k -> new LinkedHashMap<>())
                    .computeIfAbsent(scenario + "|" + size + "|" + metric, k -> new ArrayList<>()).add(value);
            try {
                sizesByScenario.computeIfAbsent(scenario, k -> new TreeSet<>()).add(Integer.parseInt(size));
            } catch (NumberFormatException e) {
                nonNumericSizes.put(scenario, size);
            }
        }
        boolean details = a.has("details");
        StringBuilder out = new StringBuilder();
        out.append("| scenario | size | ").append(NATS).append(" | ").append(OURS).append(" | ratio (")
                .append(OURS).append('/').append(NATS).append(") |");
        if (details) out.append(" samples ").append(NATS).append(" | samples ").append(OURS).append(" |");
        out.append('\n').append("|---|---|---:|---:|---|").append(details ? "---|---|" : "").append('\n');
        for (Row row : ROWS) {
            List<String> sizes = new ArrayList<>();
            if (sizesByScenario.containsKey(row.scenario())) {
                for (int s : sizesByScenario.get(row.scenario())) sizes.add(Integer.toString(s));
            }
            if (nonNumericSizes.containsKey(row.scenario())) sizes.add(nonNumericSizes.get(row.scenario()));
            for (String size : sizes) {
                String key = row.scenario() + "|" + size + "|" + row.metric();
                List<Double> theirs = data.getOrDefault(NATS, Map.of()).get(key);
                List<Double> ours = data.getOrDefault(OURS, Map.of()).get(key);
                if (theirs == null && ours == null) continue;
                Double mt = median(theirs), mo = median(ours);
                String sizeLabel = switch (row.scenario()) {
                    case "conns" -> size + " conns";
                    case "startup" -> "-";
                    default -> size + " B";
                };
                out.append("| ").append(row.label());
                if (row.unit() != null) out.append(" (").append(row.unit()).append(')');
                out.append(" | ").append(sizeLabel).append(" | ").append(fmt(mt)).append(" | ").append(fmt(mo)).append(" | ");
                String dir = row.higherIsBetter() ? "higher is better" : "lower is better";
                if (row.ours()) {
                    out.append("— (").append(dir).append(')');
                } else if (mt != null && mo != null && mt != 0) {
                    out.append(String.format(Locale.ROOT, "%.2f (%s)", mo / mt, dir));
                } else {
                    out.append("n/a (").append(dir).append(')');
                }
                out.append(" |");
                if (details) out.append(' ').append(samples(theirs)).append(" | ").append(samples(ours)).append(" |");
                out.append('\n');
            }
        }
        System.out.print(out);
    }

    static Double median(List<Double> xs) {
        if (xs == null || xs.isEmpty()) return null;
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    static String fmt(Double v) {
        if (v == null) return "n/a";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String samples(List<Double> xs) {
        if (xs == null) return "-";
        List<String> parts = new ArrayList<>();
        for (double x : xs) parts.add(fmt(x));
        return String.join(", ", parts);
    }
}
