package dev.eventbus.audit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.archive.ArchiveException;
import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.Artifact;
import dev.eventbus.audit.archive.GoJson;
import dev.eventbus.audit.archive.NoMatchException;
import dev.eventbus.audit.archive.Tag;
import dev.eventbus.audit.browse.ArtifactGroups;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code eventbus audit show FILE --tag …} or {@code show FILE ENTRY}: prints one artifact (all its pages). */
final class ShowCommand {
    static final String USAGE = """
            Usage: eventbus audit show FILE --tag label:value... [flags]
                   eventbus audit show FILE ENTRY

            Prints the one artifact the tags select (every page of a paged artifact, in order), or one entry by name.
            Tags that select several artifacts are refused, with the candidates listed.

            Flags:
              -t, --tag label:value   select by tag (repeatable)
                  --page N            only page N of a paged artifact
                  --data              only the data part of each server reply (no envelope)

            Examples:
              eventbus audit show capture.zip --tag server:n1 --tag artifact_type:variables
              eventbus audit show capture.zip --tag special:audit_gather_log
            """;

    private ShowCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("show", argv, Set.of("tag", "page"), Set.of("data", "help"), Map.of("t", "tag", "h", "help"));
        if (a.has("help")) {
            out.print(USAGE);
            return 0;
        }
        List<String> pos = a.positional();
        if (pos.isEmpty() || pos.size() > 2) throw new UsageException("show needs an archive file, then --tag flags or an entry name");
        List<Tag> query = TagArgs.parse(a.raw("tag"));
        if (pos.size() == 1 && query.isEmpty()) throw new UsageException("show needs --tag label:value (or an entry name) to select an artifact");
        if (pos.size() == 2 && !query.isEmpty()) throw new UsageException("give either an entry name or --tag flags, not both");
        int page = a.intValue("page", 0);
        try (ArchiveReader reader = ArchiveReader.open(Path.of(pos.get(0)))) {
            reader.warnings().forEach(w -> err.println(AuditMain.PREFIX + "warning: " + w));
            List<String> names;
            if (pos.size() == 2) {
                if (reader.manifest().tags(pos.get(1)) == null) {
                    throw new ArchiveException("no entry " + pos.get(1) + " in the archive (eventbus audit ls lists them)");
                }
                names = List.of(pos.get(1));
            } else {
                names = select(reader, query);
            }
            if (page > 0) {
                if (page > names.size()) {
                    throw new ArchiveException("the artifact has " + names.size() + " page" + (names.size() == 1 ? "" : "s") + ", not " + page);
                }
                names = List.of(names.get(page - 1));
            }
            for (String n : names) {
                byte[] bytes = reader.read(n);
                if (a.has("data") && n.endsWith(".json")) {
                    Artifact art = new Artifact(n, reader.manifest().tags(n), GoJson.parseFirst(bytes), false);
                    JsonNode data = art.data();
                    out.writeBytes(GoJson.indent(GoJson.compact(data)));
                    out.println();
                } else {
                    out.writeBytes(bytes);
                    if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') out.println();
                }
            }
        }
        return 0;
    }

    /** The entries of the one artifact the query selects. */
    private static List<String> select(ArchiveReader reader, List<Tag> query) {
        List<String> found = reader.find(query);
        if (found.isEmpty()) throw new NoMatchException(ArchiveReader.describe(query));
        Map<String, List<String>> groups = ArtifactGroups.of(reader, found);
        if (groups.size() > 1) {
            List<String> candidates = new ArrayList<>();
            for (List<String> g : groups.values()) {
                candidates.add(reader.manifest().tags(g.get(0)).stream().map(Tag::toQuery).collect(Collectors.joining(" ")));
                if (candidates.size() == 5) break;
            }
            throw new ArchiveException(groups.size() + " artifacts match " + ArchiveReader.describe(query)
                    + "; add tags to pick one, e.g. " + String.join(" | ", candidates));
        }
        return groups.values().iterator().next();
    }
}
