package dev.eventbus.audit.cli;

import dev.eventbus.audit.archive.ArchiveReader;
import dev.eventbus.audit.archive.NoMatchException;
import dev.eventbus.audit.archive.Tag;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code eventbus audit ls FILE [--tag label:value…] [--values LABEL]}. */
final class LsCommand {
    static final String USAGE = """
            Usage: eventbus audit ls FILE [flags]

            Lists the entries of an archive with their tags, or only those carrying every --tag given.

            Flags:
              -t, --tag label:value   only entries with this tag (repeatable); labels: server, cluster, account,
                                      stream, artifact_type, profile_name, special
                  --values LABEL      list the distinct values of one label instead (e.g. --values server)

            Examples:
              eventbus audit ls capture.zip --tag server:n1
              eventbus audit ls capture.zip --values cluster
            """;

    private LsCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse("ls", argv, Set.of("tag", "values"), Set.of("help"), Map.of("t", "tag", "h", "help"));
        if (a.has("help")) {
            out.print(USAGE);
            return 0;
        }
        if (a.positional().size() != 1) throw new UsageException("ls needs exactly one archive file");
        List<Tag> query = TagArgs.parse(a.raw("tag"));
        try (ArchiveReader reader = ArchiveReader.open(Path.of(a.positional().get(0)))) {
            reader.warnings().forEach(w -> err.println(AuditMain.PREFIX + "warning: " + w));
            String label = a.get("values", null);
            if (label != null) {
                List<String> values = reader.values(label, query);
                if (values.isEmpty() && !query.isEmpty() && reader.find(query).isEmpty()) {
                    throw new NoMatchException(ArchiveReader.describe(query));
                }
                values.forEach(out::println);
                return 0;
            }
            List<String> names = query.isEmpty() ? sorted(reader.manifest().names()) : reader.find(query);
            if (names.isEmpty()) throw new NoMatchException(ArchiveReader.describe(query));
            int width = names.stream().mapToInt(String::length).max().orElse(0);
            for (String n : names) {
                String tags = reader.manifest().tags(n).stream().map(Tag::toQuery).collect(Collectors.joining(" "));
                out.printf("%-" + width + "s  %s%n", n, tags);
            }
        }
        return 0;
    }

    private static List<String> sorted(List<String> names) {
        List<String> s = new ArrayList<>(names);
        s.sort(null);
        return s;
    }
}
