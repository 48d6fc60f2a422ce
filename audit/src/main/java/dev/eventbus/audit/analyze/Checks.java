package dev.eventbus.audit.analyze;

import dev.eventbus.audit.analyze.checks.AccountLimitsCheck;
import dev.eventbus.audit.analyze.checks.AuthFailuresCheck;
import dev.eventbus.audit.analyze.checks.AuthRequiredCheck;
import dev.eventbus.audit.analyze.checks.ClusterNameCheck;
import dev.eventbus.audit.analyze.checks.ConnectionLimitsCheck;
import dev.eventbus.audit.analyze.checks.GatewayConnectionsCheck;
import dev.eventbus.audit.analyze.checks.HaAssetsCheck;
import dev.eventbus.audit.analyze.checks.HandlerBacklogCheck;
import dev.eventbus.audit.analyze.checks.JetStreamDomainCheck;
import dev.eventbus.audit.analyze.checks.JetStreamResourcesCheck;
import dev.eventbus.audit.analyze.checks.LeafNameCheck;
import dev.eventbus.audit.analyze.checks.MemoryOutliersCheck;
import dev.eventbus.audit.analyze.checks.MetaLeaderCheck;
import dev.eventbus.audit.analyze.checks.MetaOfflineCheck;
import dev.eventbus.audit.analyze.checks.RouteMeshCheck;
import dev.eventbus.audit.analyze.checks.ServerCpuCheck;
import dev.eventbus.audit.analyze.checks.ServerHealthCheck;
import dev.eventbus.audit.analyze.checks.ServerVersionCheck;
import dev.eventbus.audit.analyze.checks.SlowConsumersCheck;
import dev.eventbus.audit.analyze.checks.StreamCardinalityCheck;
import dev.eventbus.audit.analyze.checks.StreamLagCheck;
import dev.eventbus.audit.analyze.checks.StreamLimitsCheck;
import dev.eventbus.audit.analyze.checks.SubscriptionLimitsCheck;
import dev.eventbus.audit.analyze.checks.TlsExpiryCheck;
import dev.eventbus.audit.analyze.checks.UniformGatewaysCheck;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every check, in report order: suites alphabetically, then codes within a suite (as jsm.go orders them). */
public final class Checks {
    private Checks() {}

    /** Fresh instances (thresholds can be set on them). */
    public static List<Check> all() {
        List<Check> checks = new ArrayList<>(List.of(
                new AccountLimitsCheck(),
                new MemoryOutliersCheck(), new UniformGatewaysCheck(), new HaAssetsCheck(), new ClusterNameCheck(),
                new RouteMeshCheck(), new GatewayConnectionsCheck(),
                new HandlerBacklogCheck(),
                new StreamLagCheck(), new StreamCardinalityCheck(), new StreamLimitsCheck(),
                new LeafNameCheck(),
                new MetaOfflineCheck(), new MetaLeaderCheck(),
                new ServerHealthCheck(), new ServerVersionCheck(), new ServerCpuCheck(), new SlowConsumersCheck(),
                new JetStreamResourcesCheck(), new JetStreamDomainCheck(), new AuthRequiredCheck(), new TlsExpiryCheck(),
                new ConnectionLimitsCheck(), new SubscriptionLimitsCheck(), new AuthFailuresCheck()));
        checks.sort(Comparator.comparing(Check::suite).thenComparing(Check::code));
        return checks;
    }
}
