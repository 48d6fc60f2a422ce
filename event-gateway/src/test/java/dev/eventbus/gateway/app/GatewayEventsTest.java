package dev.eventbus.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.BrokerEventListener;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class GatewayEventsTest {
    @Test
    void everyBrokerEventReachesThePrometheusListener() throws Exception {
        // GatewayEvents stands in front of PrometheusMetrics: a callback it does not pass on would silently stop a metric
        for (Method m : BrokerEventListener.class.getDeclaredMethods()) {
            if (!m.isDefault()) continue;
            assertThat(GatewayEvents.class.getDeclaredMethod(m.getName(), m.getParameterTypes()))
                    .as("GatewayEvents overrides %s", m.getName()).isNotNull();
        }
    }

    @Test
    void violationsAreNamedByOperation() {
        assertThat(GatewayEvents.operation("Permissions Violation for Publish to \"jobs.run\"")).isEqualTo("PUBLISH");
        assertThat(GatewayEvents.operation("Permissions Violation for Publish with Reply of \"_INBOX.x\"")).isEqualTo("REPLY");
        assertThat(GatewayEvents.operation("Permissions Violation for Subscription to \">\"")).isEqualTo("SUBSCRIBE");
    }
}
