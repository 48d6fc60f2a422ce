package dev.eventbus.broker.monitor;

import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.subject.Sublist;
import dev.eventbus.broker.subject.Subscription;
import dev.eventbus.broker.subject.SubscriptionOwner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link MonitorSource}: tests put connections, subscriptions and counters in and read the monitor's
 * view back. Connections are kept as given; {@link #openConnections(boolean)} drops their subscription lists unless
 * asked for them, as the engine does.
 */
final class FakeMonitorSource implements MonitorSource {
    static final String SERVER_ID = "NDZHXAQNJB5P5YGVHZZ6LNRIXORDTXWWHFJVCIED3VRHEEZ5UTNCSZTY";

    private final List<ConnInfo> open = new ArrayList<>();
    private final List<ConnInfo> closed = new ArrayList<>();
    private final Sublist sublist = new Sublist();
    private final Instant start;
    private BrokerOptions options = BrokerOptions.builder().build();
    private ServerStats stats = new ServerStats(0, 0, 0, 0, 0, 0, 0, 0);
    private volatile boolean ready = true;

    FakeMonitorSource(Instant start) { this.start = start; }

    FakeMonitorSource options(BrokerOptions o) { options = o; return this; }
    FakeMonitorSource stats(ServerStats s) { stats = s; return this; }
    FakeMonitorSource ready(boolean r) { ready = r; return this; }
    FakeMonitorSource open(ConnInfo c) { open.add(c); return this; }
    FakeMonitorSource closed(ConnInfo c) { closed.add(c); return this; }

    /** Subscribes on behalf of connection {@code cid}; {@code queue} may be null. */
    Subscription subscribe(long cid, String subject, String queue, String sid) {
        SubscriptionOwner owner = () -> cid;
        Subscription s = new Subscription(owner, subject, queue, sid);
        sublist.insert(s);
        return s;
    }

    @Override public BrokerOptions options() { return options; }
    @Override public String serverId() { return SERVER_ID; }
    @Override public String serverName() { return options.serverName() != null ? options.serverName() : SERVER_ID; }
    @Override public Instant startTime() { return start; }
    @Override public int port() { return 4222; }
    @Override public int httpPort() { return 8222; }
    @Override public ServerStats stats() { return stats; }
    @Override public List<ConnInfo> closedConnections() { return List.copyOf(closed); }
    @Override public Sublist sublist() { return sublist; }
    @Override public boolean readyForConnections() { return ready; }

    @Override
    public List<ConnInfo> openConnections(boolean withSubs) {
        if (withSubs) return List.copyOf(open);
        List<ConnInfo> out = new ArrayList<>();
        for (ConnInfo c : open) out.add(Conns.with(c).subs(null).build());
        return out;
    }
}
