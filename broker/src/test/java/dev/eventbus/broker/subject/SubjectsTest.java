package dev.eventbus.broker.subject;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectsTest {
    @ParameterizedTest
    @CsvSource({"foo,true", "foo.bar,true", "foo.*,true", "foo.>,true", ">,true", "*,true", "foo*.bar,true",
            "foo.,false", ".foo,false", "foo..bar,false", "foo.>.bar,false", "'',false"})
    void subscribeSubjects(String s, boolean valid) {
        assertThat(Subjects.isValidSubscribeSubject(s)).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource({"foo,true", "foo.bar,true", "foo.*,false", "foo.>,false", "foo*,true", "foo.,false", "a>b,true"})
    void literalSubjects(String s, boolean valid) {
        assertThat(Subjects.isValidLiteralSubject(s)).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource({"foo.*,foo.bar,true", "foo.*,foo,false", "foo.>,foo,false", "foo.>,foo.a.b,true", ">,a,true",
            "*.bar,foo.bar,true", "foo,foo,true", "foo,foo.bar,false", "foo.bar,foo,false", "events.>,events.x,true"})
    void patternMatching(String pattern, String subject, boolean matches) {
        assertThat(Subjects.matches(pattern, subject)).isEqualTo(matches);
    }
}
