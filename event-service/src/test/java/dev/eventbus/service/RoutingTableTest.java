package dev.eventbus.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    @Test
    void defaultsRouteAllTenSeedTypes() {
        RoutingTable t = RoutingTable.defaults();
        assertThat(t.types()).containsExactlyInAnyOrderElementsOf(EventTypes.ALL);
        assertThat(t.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "compliance_ingest", java.util.List.of("feed"),
                "cfgingest", java.util.List.of("cfgingest"),
                "nodeTerminated", java.util.List.of("cfgingest"),
                "event_feed", java.util.List.of("event_feed"),
                "scanJobCreated", java.util.List.of("event_feed"),
                "scanJobUpdated", java.util.List.of("event_feed"),
                "scanJobDeleted", java.util.List.of("event_feed"),
                "profileCreated", java.util.List.of("event_feed"),
                "profileUpdate", java.util.List.of("event_feed"),
                "profileDeleted", java.util.List.of("event_feed")));
        assertThat(t.handlers()).containsExactlyInAnyOrder("feed", "cfgingest", "event_feed");
        assertThat(t.handlersFor("profileUpdated")).isEmpty();   // the seed's spelling is profileUpdate
    }

    @Test
    void customRoutesAndValidation() {
        RoutingTable t = RoutingTable.defaults().toBuilder().route("nodeTerminated", "cfgingest", "audit", "audit").build();
        assertThat(t.handlersFor("nodeTerminated")).containsExactly("cfgingest", "audit");
        assertThatThrownBy(() -> RoutingTable.builder().route("x", "bad/name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutingTable.builder().route("x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutingTable.builder().route(" ", "h")).isInstanceOf(IllegalArgumentException.class);
    }
}
