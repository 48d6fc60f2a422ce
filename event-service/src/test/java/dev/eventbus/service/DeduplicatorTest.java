package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void anIdIsRememberedForTheWindowOnly() {
        Deduplicator d = new Deduplicator(Duration.ofSeconds(10), 100, now::get);
        assertThat(d.tryRecord("a", 7)).isTrue();
        assertThat(d.tryRecord("a", 8)).isFalse();
        assertThat(d.lookup("a")).isEqualTo(7);
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(d.lookup("a")).isEqualTo(7);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(d.lookup("a")).isEqualTo(-1);
        assertThat(d.tryRecord("a", 9)).isTrue();
        assertThat(d.size()).isEqualTo(1);
    }

    @Test
    void boundedByMaxEntriesOldestFirst() {
        Deduplicator d = new Deduplicator(Duration.ofHours(1), 3, now::get);
        for (String id : new String[]{"a", "b", "c", "d"}) d.record(id, 1);
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.lookup("a")).isEqualTo(-1);
        assertThat(d.lookup("d")).isEqualTo(1);
    }

    @Test
    void recordAtHonoursAge() {
        Deduplicator d = new Deduplicator(Duration.ofSeconds(10), 100, now::get);
        d.recordAt("old", 1, now.get() - Duration.ofSeconds(11).toNanos());
        d.recordAt("young", 2, now.get() - Duration.ofSeconds(3).toNanos());
        assertThat(d.lookup("old")).isEqualTo(-1);
        assertThat(d.lookup("young")).isEqualTo(2);
        now.addAndGet(Duration.ofSeconds(7).toNanos());
        assertThat(d.lookup("young")).isEqualTo(-1);
    }

    @Test
    void zeroWindowDisables() {
        Deduplicator d = new Deduplicator(Duration.ZERO, 100, now::get);
        assertThat(d.tryRecord("a", 1)).isTrue();
        assertThat(d.tryRecord("a", 1)).isTrue();
    }
}
