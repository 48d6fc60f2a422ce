package dev.eventbus.service.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The group-commit waiters: answered once a force covers them, never early, and never lost. */
class DurableWaitersTest {
    private final AtomicLong durable = new AtomicLong(100);
    private final DurableWaiters waiters = new DurableWaiters(durable::get);
    private final List<String> answers = new ArrayList<>();

    private DurableCallback answer(String name) { return ok -> answers.add(name + "=" + ok); }

    @Test
    void oneForceAnswersEveryWaiterItCoversAndNoneBeyond() {
        assertThat(waiters.add(100, 1_000, answer("already"))).as("durable already: the caller answers").isFalse();
        waiters.add(150, 1_000, answer("a"));
        waiters.add(200, 1_000, answer("b"));
        waiters.add(300, 1_000, answer("c"));
        durable.set(200);
        waiters.complete(200, 0);
        assertThat(answers).containsExactly("a=true", "b=true");
        durable.set(300);
        waiters.complete(300, 0);
        assertThat(answers).containsExactly("a=true", "b=true", "c=true");
        assertThat(waiters.isEmpty()).isTrue();
    }

    @Test
    void aWaiterPastItsDeadlineIsAnsweredNotDurableWhileTheForceHangs() {
        waiters.add(150, 1_000, answer("a"));
        waiters.add(160, 5_000, answer("b"));
        waiters.complete(100, 999);
        assertThat(answers).isEmpty();
        waiters.complete(100, 1_000);                 // no force came: the durable end is still 100
        assertThat(answers).containsExactly("a=false");
        waiters.complete(160, 1_001);
        assertThat(answers).containsExactly("a=false", "b=true");
    }

    @Test
    void aCallbackThatThrowsDoesNotCostTheOthersTheirAnswer() {
        waiters.add(150, 1_000, ok -> { throw new IllegalStateException("reply connection closed"); });
        waiters.add(160, 1_000, answer("b"));
        waiters.complete(200, 0);
        assertThat(answers).containsExactly("b=true");
    }

    @Test
    void closingAnswersEveryoneStillWaiting() {
        waiters.add(150, 1_000, answer("a"));
        waiters.add(160, 1_000, answer("b"));
        waiters.failAll();
        assertThat(answers).containsExactly("a=false", "b=false");
    }
}
