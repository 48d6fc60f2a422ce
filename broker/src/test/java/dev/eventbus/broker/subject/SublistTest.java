package dev.eventbus.broker.subject;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** sublist_test.go's core cases, each run with the match cache on and off. */
class SublistTest {
    private static final SubscriptionOwner OWNER = () -> 1;

    private static Subscription sub(String subject) { return new Subscription(OWNER, subject, null, subject); }

    private static Subscription qsub(String subject, String q) { return new Subscription(OWNER, subject, q, subject + "/" + q); }

    private static List<String> subjects(SublistResult r) {
        return Arrays.stream(r.psubs()).map(Subscription::subject).sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void literalAndWildcardMatching(boolean cache) {
        Sublist s = new Sublist(cache);
        for (String subj : List.of("foo", "foo.bar", "foo.*", "foo.>", "*.bar", ">", "foo.bar.baz", "*.*")) s.insert(sub(subj));
        assertThat(subjects(s.match("foo.bar"))).containsExactlyInAnyOrder(">", "*.*", "*.bar", "foo.*", "foo.>", "foo.bar");
        assertThat(subjects(s.match("foo"))).containsExactlyInAnyOrder(">", "foo");
        assertThat(subjects(s.match("foo.bar.baz"))).containsExactlyInAnyOrder(">", "foo.>", "foo.bar.baz");
        assertThat(subjects(s.match("bar"))).containsExactly(">");
        // a second lookup (from the cache when enabled) answers the same
        assertThat(subjects(s.match("foo.bar"))).containsExactlyInAnyOrder(">", "*.*", "*.bar", "foo.*", "foo.>", "foo.bar");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void emptyTokensMatchNothingNotEvenFullWildcard(boolean cache) {
        Sublist s = new Sublist(cache);
        s.insert(sub(">"));
        s.insert(sub("foo.*"));
        for (String bad : List.of("foo.", ".foo", "foo..bar", "")) assertThat(s.match(bad).isEmpty()).as(bad).isTrue();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void wildcardCharactersInsideTokensAreLiterals(boolean cache) {
        Sublist s = new Sublist(cache);
        s.insert(sub("foo.*"));
        s.insert(sub("foo*.bar"));
        assertThat(subjects(s.match("foo*.bar"))).containsExactly("foo*.bar");
        assertThat(subjects(s.match("foo.*"))).containsExactly("foo.*");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void insertAndRemoveInvalidateCachedResults(boolean cache) {
        Sublist s = new Sublist(cache);
        Subscription lit = sub("a.b");
        assertThat(s.match("a.b").isEmpty()).isTrue();
        long g = s.genid();
        s.insert(lit);
        assertThat(s.genid()).isNotEqualTo(g);
        assertThat(subjects(s.match("a.b"))).containsExactly("a.b");
        Subscription wc = sub("a.>");
        s.insert(wc);
        assertThat(subjects(s.match("a.b"))).containsExactly("a.>", "a.b");
        assertThat(s.remove(wc)).isTrue();
        assertThat(subjects(s.match("a.b"))).containsExactly("a.b");
        assertThat(s.remove(lit)).isTrue();
        assertThat(s.remove(lit)).isFalse();
        assertThat(s.match("a.b").isEmpty()).isTrue();
        assertThat(s.count()).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void queueGroupsAreKeyedByNameAcrossSubjects(boolean cache) {
        Sublist s = new Sublist(cache);
        s.insert(qsub("foo.*", "G"));
        s.insert(qsub("foo.bar", "G"));
        s.insert(qsub("foo.bar", "H"));
        s.insert(sub("foo.bar"));
        SublistResult r = s.match("foo.bar");
        assertThat(r.psubs()).hasSize(1);
        assertThat(r.qsubs().length).isEqualTo(2);
        assertThat(Arrays.stream(r.qsubs()).mapToInt(g -> g.length).sorted().toArray()).containsExactly(1, 2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void statsCountInsertsRemovesAndMatches(boolean cache) {
        Sublist s = new Sublist(cache);
        Subscription a = sub("x.y");
        s.insert(a);
        s.insert(sub("x.*"));
        s.remove(a);
        s.match("x.y");
        s.match("x.y");
        Sublist.Stats st = s.stats();
        assertThat(st.numSubscriptions()).isEqualTo(1);
        assertThat(st.numInserts()).isEqualTo(2);
        assertThat(st.numRemoves()).isEqualTo(1);
        assertThat(st.numMatches()).isEqualTo(2);
        assertThat(st.cacheHitRate()).isEqualTo(cache ? 0.5 : 0.0);
    }
}
