package dev.eventbus.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCapWithEqualJitter() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.0);
        Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.999999);
        assertThat(low.delay(0)).isEqualTo(Duration.ofMillis(50));
        assertThat(high.delay(0)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(low.delay(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(high.delay(3)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
        assertThat(low.delay(10)).isEqualTo(Duration.ofMillis(2500));
        assertThat(high.delay(10)).isBetween(Duration.ofMillis(4999), Duration.ofSeconds(5));
        assertThat(high.delay(500)).isBetween(Duration.ofMillis(4999), Duration.ofSeconds(5));
        Backoff real = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int n = 0; n < 100; n++) {
            assertThat(real.delay(n)).isBetween(Duration.ofMillis(50), Duration.ofSeconds(5));
        }
    }
}
