package dev.eventbus.audit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** jsm.go's Test_CreateFilenameFromTags, ported, and every validation error of the path derivation. */
class ArtifactPathsTest {
    static Stream<Arguments> goTable() {
        return Stream.of(
                Arguments.of(List.of(Tag.server("S1"), Tag.cluster("C1"), Tag.artifactType(ArtifactType.HEALTH)), "json",
                        "capture/clusters/C1/S1/health.json"),
                Arguments.of(List.of(Tag.cluster("C1"), Tag.artifactType(ArtifactType.VARIABLES), Tag.server("S1")), "json",
                        "capture/clusters/C1/S1/variables.json"),
                Arguments.of(List.of(Tag.server("S1"), Tag.artifactType(ArtifactType.PROFILE), Tag.profileName("foo"), Tag.cluster("C1")),
                        "prof", "capture/profiles/C1/S1__foo.prof"),
                Arguments.of(List.of(Tag.server("S1"), Tag.cluster("C1"), Tag.artifactType("cluster_info")), "json",
                        "capture/clusters/C1/S1/cluster_info.json"),
                Arguments.of(List.of(Tag.account("A1"), Tag.server("S1"), Tag.noCluster(), Tag.artifactType(ArtifactType.ACCOUNT_INFO)),
                        "json", "capture/accounts/A1/servers/unclustered__S1/account_info.json"),
                Arguments.of(List.of(Tag.account("A1"), Tag.server("S1"), Tag.cluster("C1"), Tag.artifactType(ArtifactType.ACCOUNT_INFO)),
                        "json", "capture/accounts/A1/servers/C1__S1/account_info.json"),
                Arguments.of(List.of(Tag.account("A1"), Tag.server("S1"), Tag.noCluster(), Tag.artifactType(ArtifactType.ACCOUNT_CONNECTIONS)),
                        "json", "capture/accounts/A1/servers/unclustered__S1/account_connections.json"),
                Arguments.of(List.of(Tag.account("A1"), Tag.server("S1"), Tag.cluster("C1"), Tag.stream("Foo"),
                        Tag.artifactType(ArtifactType.STREAM_INFO)), "json", "capture/accounts/A1/streams/Foo/replicas/C1__S1/stream_info.json"),
                Arguments.of(List.of(Tag.special("manifest")), "json", "capture/misc/manifest.json"),
                Arguments.of(List.of(Tag.special("audit_gather_log")), "log", "capture/misc/audit_gather_log.log"));
    }

    @ParameterizedTest
    @MethodSource("goTable")
    void derivesGoFileNames(List<Tag> tags, String ext, String expected) {
        assertThat(ArtifactPaths.fileName(ext, tags)).isEqualTo(expected);
    }

    @Test
    void pagedArtifactsLiveInADirectoryNamedAfterTheType() {
        List<Tag> tags = List.of(Tag.server("S1"), Tag.artifactType(ArtifactType.CONNECTIONS), Tag.cluster("C1"));
        assertThat(ArtifactPaths.directory(tags)).isEqualTo("capture/clusters/C1/S1/connections");
        assertThat(ArtifactPaths.pageName(ArtifactPaths.directory(tags), 1)).isEqualTo("capture/clusters/C1/S1/connections/0001.json");
        assertThat(ArtifactPaths.pageName("d", 42)).isEqualTo("d/0042.json");
        assertThat(ArtifactPaths.isNonPaged(tags)).isFalse();
        assertThat(ArtifactPaths.isNonPaged(List.of(Tag.special("x")))).isTrue();
        assertThat(ArtifactPaths.isNonPaged(List.of(Tag.server("S"), Tag.artifactType("profile")))).isTrue();
        assertThat(ArtifactPaths.isPageName("a/b/0001.json")).isTrue();
        assertThat(ArtifactPaths.isPageName("a/b/10000.json")).isFalse();
        assertThat(ArtifactPaths.isPageName("a/b/variables.json")).isFalse();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(List.of(), "at least one tag is required"),
                Arguments.of(List.of(Tag.server("S1"), Tag.artifactType("profile"), Tag.cluster("C1")), "missing required tag: profile name"),
                Arguments.of(List.of(Tag.account("A1"), Tag.cluster("C1"), Tag.artifactType("account_info")), "missing required tag: source server"),
                Arguments.of(List.of(Tag.account("A1"), Tag.server("S1"), Tag.cluster("C1"), Tag.stream("Foo")), "missing required tag: artifact type"),
                Arguments.of(List.of(Tag.account("A1"), Tag.cluster("C1"), Tag.stream("Foo"), Tag.artifactType("stream_info")),
                        "missing required tag: source server"),
                Arguments.of(List.of(Tag.server("S1"), Tag.cluster("C1"), Tag.stream("Foo"), Tag.artifactType("stream_info")),
                        "stream artifact is missing cluster or account tags"),
                Arguments.of(List.of(Tag.server("S1"), Tag.artifactType("variables")), "missing required tag: source cluster"),
                Arguments.of(List.of(Tag.special("manifest"), Tag.server("S1")), "special tag 'manifest' should not be combined with other tags"),
                Arguments.of(List.of(Tag.server("S1"), Tag.special("manifest")), "special tag 'manifest' should not be combined with other tags"),
                Arguments.of(List.of(Tag.server("S1"), Tag.server("S2"), Tag.cluster("C1"), Tag.artifactType("variables")),
                        "multiple values not allowed for tag 'server'"),
                Arguments.of(List.of(Tag.server("S1"), Tag.cluster("C1"), Tag.artifactType("variables"), new Tag("type", "x")),
                        "unhandled custom tags: type"),
                Arguments.of(List.of(Tag.server(""), Tag.cluster("C1"), Tag.artifactType("variables")),
                        "invalid value '' for tag 'server': it is empty"),
                Arguments.of(List.of(Tag.server(".."), Tag.cluster("C1"), Tag.artifactType("variables")),
                        "invalid value '..' for tag 'server': it is a relative path element"),
                Arguments.of(List.of(Tag.server("S1"), Tag.cluster("."), Tag.artifactType("variables")),
                        "invalid value '.' for tag 'cluster': it is a relative path element"),
                Arguments.of(List.of(Tag.server("a/b"), Tag.cluster("C1"), Tag.artifactType("variables")),
                        "invalid value 'a/b' for tag 'server': it contains a path separator"),
                Arguments.of(List.of(Tag.server("S1"), Tag.cluster("C1"), Tag.artifactType("..\\x")),
                        "invalid value '..\\x' for tag 'artifact_type': it contains a path separator"),
                Arguments.of(List.of(Tag.account("/etc"), Tag.server("S1"), Tag.cluster("C1"), Tag.artifactType("x")),
                        "invalid value '/etc' for tag 'account': it contains a path separator"),
                Arguments.of(List.of(Tag.special("../escape")), "invalid value '../escape' for tag 'special': it contains a path separator"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesInvalidTagSetsWithGoMessages(List<Tag> tags, String message) {
        assertThatThrownBy(() -> ArtifactPaths.fileName("json", tags)).isInstanceOf(ArchiveException.class).hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "a/b"})
    void refusesInvalidExtensions(String ext) {
        assertThatThrownBy(() -> ArtifactPaths.fileName(ext, List.of(Tag.special("x"))))
                .isInstanceOf(ArchiveException.class).hasMessageStartingWith("invalid value '" + ext + "' for tag 'extension'");
    }

    @Test
    void tagsParseFromTheCommandLineForm() {
        assertThat(Tag.parse("server:n1")).isEqualTo(Tag.server("n1"));
        assertThat(Tag.parse("special:a:b")).isEqualTo(Tag.special("a:b"));
        assertThat(Tag.server("n1")).hasToString("n1");
        assertThat(Tag.server("n1").toQuery()).isEqualTo("server:n1");
        assertThat(Tag.clusterOrNone("")).isEqualTo(Tag.noCluster());
        assertThat(Tag.clusterOrNone(null).value()).isEqualTo("unclustered");
        assertThatThrownBy(() -> Tag.parse("nocolon")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label:value");
        assertThatThrownBy(() -> Tag.parse(":x")).isInstanceOf(IllegalArgumentException.class);
    }
}
