package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HealthStateTest {
    @Test
    void unhealthyOnlyAfterFailingForTheConfiguredTime() {
        AtomicLong now = new AtomicLong();
        HealthState h = new HealthState(Duration.ofSeconds(30), now::get);
        h.register("event_feed");
        h.register("cfgingest");
        assertThat(h.isHealthy()).isTrue();
        h.deliveryFailed("event_feed", "connection refused");
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        h.deliveryFailed("event_feed", "connection refused again");
        assertThat(h.isHealthy()).isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        var s = h.status();
        assertThat(s.healthy()).isFalse();
        assertThat(s.handlers().get("event_feed").failingFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.handlers().get("event_feed").lastError()).isEqualTo("connection refused again");
        assertThat(s.handlers().get("cfgingest").healthy()).isTrue();
        h.deliverySucceeded("event_feed");
        assertThat(h.isHealthy()).isTrue();
        assertThat(h.status().handlers().get("event_feed").failingFor()).isZero();
    }

    @Test
    void storageErrorsAreUnhealthyUntilCleared() {
        HealthState h = new HealthState(Duration.ofSeconds(1));
        h.storageFailed("disk full");
        assertThat(h.status().storageError()).isEqualTo("disk full");
        assertThat(h.isHealthy()).isFalse();
        h.storageOk();
        assertThat(h.isHealthy()).isTrue();
    }

    @Test
    void aReportedProblemIsUnhealthyWithItsReasonUntilCleared() {
        HealthState h = new HealthState(Duration.ofSeconds(1));
        h.problem("intake", "intake: 1 of 3 connections down: connection refused");
        assertThat(h.isHealthy()).isFalse();
        assertThat(h.status().reasons()).containsExactly("intake: 1 of 3 connections down: connection refused");
        h.problem("intake", null);
        assertThat(h.isHealthy()).isTrue();
        assertThat(h.status().reasons()).isEmpty();
    }

    @Test
    void degradedStaysHealthyButSaysWhyUntilCleared() {
        HealthState h = new HealthState(Duration.ofSeconds(1));
        h.degraded("recovery", "queue recovery: 1 finding not yet acknowledged");
        assertThat(h.isHealthy()).isTrue();
        assertThat(h.status().state()).isEqualTo("degraded");
        assertThat(h.status().reasons()).containsExactly("queue recovery: 1 finding not yet acknowledged");
        h.storageFailed("disk gone");
        assertThat(h.status().state()).isEqualTo("unhealthy");
        h.storageOk();
        h.degraded("recovery", null);
        assertThat(h.status().state()).isEqualTo("ok");
        assertThat(h.status().reasons()).isEmpty();
    }
}
