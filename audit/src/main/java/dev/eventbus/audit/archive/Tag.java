package dev.eventbus.audit.archive;

import java.util.Objects;

/**
 * One label/value pair that locates an artifact in an archive, jsm.go's {@code archive.Tag}. Serialised in the manifest
 * as {@code {"Name": label, "Value": value}}; {@link #toString()} is the value, as Go's {@code Tag.String()}.
 *
 * <p>Dimension labels: {@link #SERVER}, {@link #CLUSTER}, {@link #ACCOUNT}, {@link #STREAM}, {@link #ARTIFACT_TYPE},
 * {@link #PROFILE_NAME}; {@link #SPECIAL} names a file under {@code capture/misc/} and must be the only tag.
 */
public record Tag(String name, String value) {
    public static final String SERVER = "server";
    public static final String CLUSTER = "cluster";
    public static final String ACCOUNT = "account";
    public static final String STREAM = "stream";
    public static final String ARTIFACT_TYPE = "artifact_type";
    public static final String PROFILE_NAME = "profile_name";
    public static final String SPECIAL = "special";

    /** The cluster value of a server that is in no cluster. */
    public static final String NO_CLUSTER = "unclustered";

    public Tag {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public static Tag server(String name) { return new Tag(SERVER, name); }
    public static Tag cluster(String name) { return new Tag(CLUSTER, name); }
    public static Tag noCluster() { return new Tag(CLUSTER, NO_CLUSTER); }
    /** {@code cluster:<name>}, or {@code cluster:unclustered} when name is null or empty. */
    public static Tag clusterOrNone(String name) { return name == null || name.isEmpty() ? noCluster() : cluster(name); }
    public static Tag account(String name) { return new Tag(ACCOUNT, name); }
    public static Tag stream(String name) { return new Tag(STREAM, name); }
    public static Tag artifactType(String type) { return new Tag(ARTIFACT_TYPE, type); }
    public static Tag profileName(String name) { return new Tag(PROFILE_NAME, name); }
    public static Tag special(String name) { return new Tag(SPECIAL, name); }

    /**
     * Parses the command-line form {@code label:value} (the value may itself contain colons).
     *
     * @throws IllegalArgumentException when there is no colon or the label is empty
     */
    public static Tag parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid tag '" + text + "': expected label:value, e.g. server:n1");
        }
        return new Tag(text.substring(0, colon), text.substring(colon + 1));
    }

    /** {@code label:value}, the form {@link #parse} reads. */
    public String toQuery() { return name + ":" + value; }

    @Override
    public String toString() { return value; }
}
