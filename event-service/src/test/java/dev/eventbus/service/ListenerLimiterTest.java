package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenerLimiterTest {
    @Test
    void oneMoreThanTheLimitIsRefusedClearly() {
        ListenerLimiter l = new ListenerLimiter(2);
        assertThat(l.tryAcquire()).isTrue();
        ListenerLimiter.Permit p = l.acquire();
        assertThat(l.tryAcquire()).isFalse();
        assertThatThrownBy(l::acquire).isInstanceOf(ListenerLimiter.ListenerLimitException.class)
                .hasMessage("listener_limit reached: 2 of 2 listeners in use");
        p.close();
        p.close();                                  // idempotent
        assertThat(l.inUse()).isEqualTo(1);
        assertThat(l.tryAcquire()).isTrue();
        l.release();
        l.release();
        assertThat(l.available()).isEqualTo(2);
        assertThatThrownBy(l::release).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void zeroAdmitsNone() {
        assertThat(new ListenerLimiter(0).tryAcquire()).isFalse();
    }

    @Test
    void concurrentAcquiresNeverExceedTheLimit() throws Exception {
        ListenerLimiter l = new ListenerLimiter(10);
        var granted = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] ts = new Thread[8];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = new Thread(() -> {
                for (int k = 0; k < 1000; k++) if (l.tryAcquire()) granted.incrementAndGet();
            });
            ts[i].start();
        }
        for (Thread t : ts) t.join();
        assertThat(granted.get()).isEqualTo(10);
        assertThat(l.inUse()).isEqualTo(10);
    }
}
