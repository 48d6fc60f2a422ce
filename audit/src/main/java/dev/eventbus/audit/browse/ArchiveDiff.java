package dev.eventbus.audit.browse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.archive.ArchiveException;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.AuditMetadata;
import dev.eventbus.audit.archive.GoJson;
import dev.eventbus.audit.archive.Tag;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between two captures: servers that appeared or disappeared, artifacts only in one of them, and for the
 * artifacts in both, the fields whose values differ ({@code data.connections: 3 -> 5 (+2)}). The envelope's
 * {@code server} object and fields that change with every capture ({@code now}, {@code uptime}, ...) are left out
 * unless asked for. The special files (log, metadata) are not compared.
 */
public final class ArchiveDiff {
    private static final Set<String> VOLATILE = Set.of("now", "uptime", "idle", "rtt", "last_activity", "http_req_stats");

    private final boolean includeVolatile;
    private final int maxPerArtifact;

    /**
     * @param includeVolatile also compare {@code now}, {@code uptime}, {@code idle}, {@code rtt}, {@code last_activity}
     *                        and {@code http_req_stats}
     * @param maxPerArtifact  the most changed fields listed per artifact; 0 lists all
     */
    public ArchiveDiff(boolean includeVolatile, int maxPerArtifact) {
        this.includeVolatile = includeVolatile;
        this.maxPerArtifact = maxPerArtifact;
    }

    /** Prints the differences; returns how many differences there were. */
    public int print(ArchiveReader a, ArchiveReader b, PrintStream out) {
        out.printf("--- %s (captured %s)%n", a.path(), captured(a));
        out.printf("+++ %s (captured %s)%n", b.path(), captured(b));
        int diffs = 0;

        TreeSet<String> serversA = servers(a);
        TreeSet<String> serversB = servers(b);
        List<String> serverLines = new ArrayList<>();
        for (String s : serversA) if (!serversB.contains(s)) serverLines.add("- " + s);
        for (String s : serversB) if (!serversA.contains(s)) serverLines.add("+ " + s);
        if (!serverLines.isEmpty()) {
            out.println("servers:");
            serverLines.forEach(l -> out.println("  " + l));
            diffs += serverLines.size();
        }

        Map<String, List<String>> groupsA = ArtifactGroups.of(a, artifactEntries(a));
        Map<String, List<String>> groupsB = ArtifactGroups.of(b, artifactEntries(b));
        TreeSet<String> keys = new TreeSet<>(groupsA.keySet());
        keys.addAll(groupsB.keySet());
        for (String k : keys) {
            List<String> pa = groupsA.get(k);
            List<String> pb = groupsB.get(k);
            if (pb == null) {
                out.println("- " + k);
                diffs++;
                continue;
            }
            if (pa == null) {
                out.println("+ " + k);
                diffs++;
                continue;
            }
            Map<String, String> fa = flatten(a, pa);
            Map<String, String> fb = flatten(b, pb);
            List<String> changes = new ArrayList<>();
            TreeSet<String> fields = new TreeSet<>(fa.keySet());
            fields.addAll(fb.keySet());
            for (String f : fields) {
                String va = fa.get(f);
                String vb = fb.get(f);
                if (va != null && va.equals(vb)) continue;
                if (va == null) changes.add(f + ": (none) -> " + vb);
                else if (vb == null) changes.add(f + ": " + va + " -> (none)");
                else changes.add(f + ": " + va + " -> " + vb + delta(va, vb));
            }
            if (changes.isEmpty()) continue;
            diffs += changes.size();
            out.println("~ " + k);
            int shown = maxPerArtifact > 0 ? Math.min(maxPerArtifact, changes.size()) : changes.size();
            for (int i = 0; i < shown; i++) out.println("    " + changes.get(i));
            if (shown < changes.size()) out.printf("    ... and %d more changes%n", changes.size() - shown);
        }
        if (diffs == 0) out.println("no differences");
        return diffs;
    }

    private static String captured(ArchiveReader r) {
        return r.metadata().map(AuditMetadata::captureTimestamp).orElse("at an unknown time");
    }

    private static TreeSet<String> servers(ArchiveReader r) {
        TreeSet<String> out = new TreeSet<>();
        for (String c : r.clusterNames()) for (String s : r.clusterServerNames(c)) out.add(c + "/" + s);
        return out;
    }

    private static List<String> artifactEntries(ArchiveReader r) {
        List<String> out = new ArrayList<>();
        for (String n : r.manifest().names()) {
            if (r.manifest().tags(n).stream().noneMatch(t -> t.name().equals(Tag.SPECIAL))) out.add(n);
        }
        return out;
    }

    private Map<String, String> flatten(ArchiveReader r, List<String> pages) {
        Map<String, String> out = new TreeMap<>();
        for (String p : pages) {
            if (!p.endsWith(".json")) {
                out.put("(bytes)", Integer.toString(Arrays.hashCode(r.read(p))));
                continue;
            }
            JsonNode node;
            try {
                node = GoJson.parseFirst(r.read(p));
            } catch (ArchiveException e) {
                out.put("(unreadable)", e.getMessage());
                continue;
            }
            if (node.isObject() && node.has("server") && node.has("data")) node = node.get("data");
            JsonFlattener.flatten("", node, out);
        }
        if (!includeVolatile) out.keySet().removeIf(this::isVolatile);
        return out;
    }

    private boolean isVolatile(String path) {
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            if (VOLATILE.contains(bracket < 0 ? part : part.substring(0, bracket))) return true;
        }
        return false;
    }

    private static String delta(String a, String b) {
        try {
            BigDecimal d = new BigDecimal(b).subtract(new BigDecimal(a));
            return d.signum() > 0 ? " (+" + d.toPlainString() + ")" : " (" + d.toPlainString() + ")";
        } catch (NumberFormatException e) {
            return "";
        }
    }
}
