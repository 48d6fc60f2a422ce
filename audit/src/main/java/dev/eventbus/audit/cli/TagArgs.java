package dev.eventbus.audit.cli;

import dev.eventbus.audit.archive.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code --tag label:value} flags, checked against the labels archives use. */
final class TagArgs {
    private static final Set<String> LABELS =
            Set.of(Tag.SERVER, Tag.CLUSTER, Tag.ACCOUNT, Tag.STREAM, Tag.ARTIFACT_TYPE, Tag.PROFILE_NAME, Tag.SPECIAL);

    private TagArgs() {}

    static List<Tag> parse(List<String> values) {
        List<Tag> tags = new ArrayList<>();
        for (String v : values) {
            Tag t;
            try {
                t = Tag.parse(v);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (!LABELS.contains(t.name())) {
                throw new UsageException("unknown tag label '" + t.name() + "' (use one of server, cluster, account, stream,"
                        + " artifact_type, profile_name, special)");
            }
            tags.add(t);
        }
        return tags;
    }
}
