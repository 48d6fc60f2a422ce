package dev.eventbus.service;

import dev.eventbus.service.queue.DurableQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Immutable options of {@link EventService}. Build with {@link #builder()}; {@link #toBuilder()} derives a variant.
 *
 * <pre>{@code
 * ServiceOptions o = ServiceOptions.builder()
 *         .dataDir(Path.of("/var/lib/event-service"))
 *         .eventLimit(100_000)                                   // [service] event_limit
 *         .listenerLimit(100_000)                                // [service] listener_limit
 *         .handlerTarget("event_feed", "https://127.0.0.1:10134/events")
 *         .handlerTarget("cfgingest", "nats:ingest.events")
 *         .handlerTarget("feed", "https://127.0.0.1:10121/events")
 *         .httpsContext(sslContext)
 *         .natsPublisher(JnatsPublisher.connect("nats://127.0.0.1:10140"))
 *         .build();
 * }</pre>
 * {@link #build()} throws {@link IllegalStateException} when a routed handler has no target, or a {@code nats:}
 * target has no publisher.
 */
public final class ServiceOptions {
    /** The seed's deployment default for {@code event_limit}. */
    public static final int DEFAULT_EVENT_LIMIT = 100_000;
    /** The seed's deployment default for {@code listener_limit}. */
    public static final int DEFAULT_LISTENER_LIMIT = 100_000;
    /** Same as NATS's default max_payload. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
    /** Same as JetStream's default duplicate window. */
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(2);
    /** About 30 MB of heap when full. */
    public static final int DEFAULT_DEDUP_MAX_ENTRIES = 200_000;
    public static final SyncPolicy DEFAULT_SYNC = SyncPolicy.always();
    public static final long DEFAULT_SEGMENT_BYTES = DurableQueue.DEFAULT_SEGMENT_BYTES;
    /** Smaller segments would mean a file (and a roll, with its fsyncs) every few events. */
    public static final long MIN_SEGMENT_BYTES = 64 * 1024;
    public static final long MAX_SEGMENT_BYTES = 1024L * 1024 * 1024;
    /** No limit but the disk's. */
    public static final long DEFAULT_MAX_BYTES = 0;
    public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(200);
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_ACCEPT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_UNHEALTHY_AFTER = Duration.ofMinutes(1);
    public static final Duration DEFAULT_REPLAY_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final Path dataDir;
    private final int eventLimit;
    private final int listenerLimit;
    private final int maxEventBytes;
    private final Duration dedupWindow;
    private final int dedupMaxEntries;
    private final SyncPolicy syncPolicy;
    private final long segmentBytes;
    private final long maxBytes;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final int maxAttempts;
    private final Duration requestTimeout;
    private final Duration acceptTimeout;
    private final Duration unhealthyAfter;
    private final Duration replayPollInterval;
    private final Duration shutdownGrace;
    private final RoutingTable routingTable;
    private final Map<String, HandlerTarget> handlerTargets;
    private final SSLContext httpsContext;
    private final NatsPublisher natsPublisher;
    private final ServiceMetrics metrics;

    private ServiceOptions(Builder b) {
        dataDir = b.dataDir;
        eventLimit = b.eventLimit;
        listenerLimit = b.listenerLimit;
        maxEventBytes = b.maxEventBytes;
        dedupWindow = b.dedupWindow;
        dedupMaxEntries = b.dedupMaxEntries;
        syncPolicy = b.syncPolicy;
        segmentBytes = b.segmentBytes;
        maxBytes = b.maxBytes;
        retryBaseDelay = b.retryBaseDelay;
        retryMaxDelay = b.retryMaxDelay;
        maxAttempts = b.maxAttempts;
        requestTimeout = b.requestTimeout;
        acceptTimeout = b.acceptTimeout;
        unhealthyAfter = b.unhealthyAfter;
        replayPollInterval = b.replayPollInterval;
        shutdownGrace = b.shutdownGrace;
        routingTable = b.routingTable;
        handlerTargets = Collections.unmodifiableMap(new LinkedHashMap<>(b.handlerTargets));
        httpsContext = b.httpsContext;
        natsPublisher = b.natsPublisher;
        metrics = b.metrics;
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() { return new Builder(this); }

    /** Directory of the queue log, ack offsets and dead letters. Required. */
    public Path dataDir() { return dataDir; }
    /** Maximum accepted-but-undelivered events; beyond it accept() refuses with EVENT_LIMIT. */
    public int eventLimit() { return eventLimit; }
    /** Maximum concurrent listeners (see {@link ListenerLimiter}). */
    public int listenerLimit() { return listenerLimit; }
    public int maxEventBytes() { return maxEventBytes; }
    /** How long an event_id is remembered; zero turns dedupe off. */
    public Duration dedupWindow() { return dedupWindow; }
    public int dedupMaxEntries() { return dedupMaxEntries; }
    public SyncPolicy syncPolicy() { return syncPolicy; }
    /** The log rolls to a new segment file beyond this size ({@code queue.segment_bytes}). */
    public long segmentBytes() { return segmentBytes; }
    /**
     * Bytes of log (segment files) beyond which accept() refuses with STORAGE_FULL ({@code queue.max_bytes}); 0: only
     * a full disk refuses.
     */
    public long maxBytes() { return maxBytes; }
    public Duration retryBaseDelay() { return retryBaseDelay; }
    public Duration retryMaxDelay() { return retryMaxDelay; }
    /** Refused attempts before an event is dead-lettered. */
    public int maxAttempts() { return maxAttempts; }
    /** Timeout of one HTTP delivery (and of connecting). */
    public Duration requestTimeout() { return requestTimeout; }
    /** Longest accept() waits for the queue lock and the fsync before refusing with STORAGE_UNAVAILABLE. */
    public Duration acceptTimeout() { return acceptTimeout; }
    public Duration unhealthyAfter() { return unhealthyAfter; }
    /** How often the service looks for replay requests left by the CLI. */
    public Duration replayPollInterval() { return replayPollInterval; }
    public Duration shutdownGrace() { return shutdownGrace; }
    public RoutingTable routingTable() { return routingTable; }
    /** Handler name to target; a worker runs for each. */
    public Map<String, HandlerTarget> handlerTargets() { return handlerTargets; }
    /** Client TLS for https targets without their own context; null: the JDK default. */
    public SSLContext httpsContext() { return httpsContext; }
    public NatsPublisher natsPublisher() { return natsPublisher; }
    public ServiceMetrics metrics() { return metrics; }

    @Override
    public String toString() {
        return "ServiceOptions{dataDir=" + dataDir + ", eventLimit=" + eventLimit + ", listenerLimit=" + listenerLimit
                + ", maxEventBytes=" + maxEventBytes + ", dedupWindow=" + dedupWindow + ", sync=" + syncPolicy
                + ", retry=" + retryBaseDelay + ".." + retryMaxDelay + ", maxAttempts=" + maxAttempts
                + ", unhealthyAfter=" + unhealthyAfter + ", targets=" + handlerTargets + "}";
    }

    public static final class Builder {
        private Path dataDir;
        private int eventLimit = DEFAULT_EVENT_LIMIT;
        private int listenerLimit = DEFAULT_LISTENER_LIMIT;
        private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
        private Duration dedupWindow = DEFAULT_DEDUP_WINDOW;
        private int dedupMaxEntries = DEFAULT_DEDUP_MAX_ENTRIES;
        private SyncPolicy syncPolicy = DEFAULT_SYNC;
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private Duration retryBaseDelay = DEFAULT_RETRY_BASE_DELAY;
        private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration acceptTimeout = DEFAULT_ACCEPT_TIMEOUT;
        private Duration unhealthyAfter = DEFAULT_UNHEALTHY_AFTER;
        private Duration replayPollInterval = DEFAULT_REPLAY_POLL_INTERVAL;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private RoutingTable routingTable = RoutingTable.defaults();
        private final Map<String, HandlerTarget> handlerTargets = new LinkedHashMap<>();
        private SSLContext httpsContext;
        private NatsPublisher natsPublisher;
        private ServiceMetrics metrics = ServiceMetrics.NOOP;

        private Builder() {}

        private Builder(ServiceOptions o) {
            dataDir = o.dataDir;
            eventLimit = o.eventLimit;
            listenerLimit = o.listenerLimit;
            maxEventBytes = o.maxEventBytes;
            dedupWindow = o.dedupWindow;
            dedupMaxEntries = o.dedupMaxEntries;
            syncPolicy = o.syncPolicy;
            segmentBytes = o.segmentBytes;
            maxBytes = o.maxBytes;
            retryBaseDelay = o.retryBaseDelay;
            retryMaxDelay = o.retryMaxDelay;
            maxAttempts = o.maxAttempts;
            requestTimeout = o.requestTimeout;
            acceptTimeout = o.acceptTimeout;
            unhealthyAfter = o.unhealthyAfter;
            replayPollInterval = o.replayPollInterval;
            shutdownGrace = o.shutdownGrace;
            routingTable = o.routingTable;
            handlerTargets.putAll(o.handlerTargets);
            httpsContext = o.httpsContext;
            natsPublisher = o.natsPublisher;
            metrics = o.metrics;
        }

        public Builder dataDir(Path dir) { this.dataDir = Objects.requireNonNull(dir, "dataDir"); return this; }
        public Builder eventLimit(int n) { this.eventLimit = n; return this; }
        public Builder listenerLimit(int n) { this.listenerLimit = n; return this; }
        public Builder maxEventBytes(int n) { this.maxEventBytes = n; return this; }
        public Builder dedupWindow(Duration d) { this.dedupWindow = Objects.requireNonNull(d, "dedupWindow"); return this; }
        public Builder dedupMaxEntries(int n) { this.dedupMaxEntries = n; return this; }
        public Builder syncPolicy(SyncPolicy p) { this.syncPolicy = Objects.requireNonNull(p, "syncPolicy"); return this; }
        public Builder segmentBytes(long n) { this.segmentBytes = n; return this; }
        public Builder maxBytes(long n) { this.maxBytes = n; return this; }
        public Builder retryBaseDelay(Duration d) { this.retryBaseDelay = Objects.requireNonNull(d, "retryBaseDelay"); return this; }
        public Builder retryMaxDelay(Duration d) { this.retryMaxDelay = Objects.requireNonNull(d, "retryMaxDelay"); return this; }
        public Builder maxAttempts(int n) { this.maxAttempts = n; return this; }
        public Builder requestTimeout(Duration d) { this.requestTimeout = Objects.requireNonNull(d, "requestTimeout"); return this; }
        public Builder acceptTimeout(Duration d) { this.acceptTimeout = Objects.requireNonNull(d, "acceptTimeout"); return this; }
        public Builder unhealthyAfter(Duration d) { this.unhealthyAfter = Objects.requireNonNull(d, "unhealthyAfter"); return this; }
        public Builder replayPollInterval(Duration d) { this.replayPollInterval = Objects.requireNonNull(d, "replayPollInterval"); return this; }
        public Builder shutdownGrace(Duration d) { this.shutdownGrace = Objects.requireNonNull(d, "shutdownGrace"); return this; }
        public Builder routingTable(RoutingTable t) { this.routingTable = Objects.requireNonNull(t, "routingTable"); return this; }

        /** Adds or replaces one route in the current routing table. */
        public Builder route(String type, String... handlers) {
            this.routingTable = routingTable.toBuilder().route(type, handlers).build();
            return this;
        }

        public Builder handlerTarget(String handler, HandlerTarget target) {
            handlerTargets.put(RoutingTable.checkHandlerName(handler), Objects.requireNonNull(target, "target"));
            return this;
        }

        /** {@code http(s)://…} or {@code nats:SUBJECT}, see {@link HandlerTarget#parse(String)}. */
        public Builder handlerTarget(String handler, String target) {
            return handlerTarget(handler, HandlerTarget.parse(target));
        }

        public Builder removeHandlerTarget(String handler) { handlerTargets.remove(handler); return this; }
        public Builder httpsContext(SSLContext ctx) { this.httpsContext = ctx; return this; }
        public Builder natsPublisher(NatsPublisher p) { this.natsPublisher = p; return this; }
        public Builder metrics(ServiceMetrics m) { this.metrics = Objects.requireNonNull(m, "metrics"); return this; }

        public ServiceOptions build() {
            if (dataDir == null) throw new IllegalStateException("dataDir is required");
            // 0 is allowed: every event is refused with event_limit (a documented way to stop intake)
            if (eventLimit < 0) throw new IllegalStateException("eventLimit must be >= 0: " + eventLimit);
            if (listenerLimit < 0) throw new IllegalStateException("listenerLimit must be >= 0: " + listenerLimit);
            positive("maxEventBytes", maxEventBytes);
            if (maxEventBytes > 64 * 1024 * 1024) throw new IllegalStateException("maxEventBytes must be <= 64 MiB: " + maxEventBytes);
            if (dedupWindow.isNegative()) throw new IllegalStateException("dedupWindow must be >= 0: " + dedupWindow);
            if (dedupMaxEntries < 0) throw new IllegalStateException("dedupMaxEntries must be >= 0: " + dedupMaxEntries);
            if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
                throw new IllegalStateException("segmentBytes (queue.segment_bytes) must be " + MIN_SEGMENT_BYTES + ".."
                        + MAX_SEGMENT_BYTES + ": " + segmentBytes);
            }
            // the log gives space back a whole segment at a time, so a smaller limit would refuse in bursts
            if (maxBytes != 0 && (maxBytes < 0 || maxBytes < 2 * segmentBytes)) {
                throw new IllegalStateException("maxBytes (queue.max_bytes) must be 0 (no limit) or at least twice "
                        + "segmentBytes (queue.segment_bytes, " + segmentBytes + "): " + maxBytes);
            }
            positive("retryBaseDelay", retryBaseDelay);
            if (retryMaxDelay.compareTo(retryBaseDelay) < 0) {
                throw new IllegalStateException("retryMaxDelay (" + retryMaxDelay + ") must be >= retryBaseDelay (" + retryBaseDelay + ")");
            }
            positive("maxAttempts", maxAttempts);
            positive("requestTimeout", requestTimeout);
            positive("acceptTimeout", acceptTimeout);
            positive("unhealthyAfter", unhealthyAfter);
            positive("replayPollInterval", replayPollInterval);
            if (shutdownGrace.isNegative()) throw new IllegalStateException("shutdownGrace must be >= 0");
            for (String h : routingTable.handlers()) {
                if (!handlerTargets.containsKey(h)) {
                    throw new IllegalStateException("handler '" + h + "' is routed to (by "
                            + routingTable.asMap().entrySet().stream().filter(e -> e.getValue().contains(h))
                                    .map(Map.Entry::getKey).toList()
                            + ") but has no target; set handlers." + h);
                }
            }
            if (natsPublisher == null) {
                for (var e : handlerTargets.entrySet()) {
                    if (e.getValue() instanceof HandlerTarget.Nats) {
                        throw new IllegalStateException("handler '" + e.getKey() + "' targets " + e.getValue()
                                + " but no NatsPublisher is configured");
                    }
                }
            }
            return new ServiceOptions(this);
        }

        private static void positive(String name, long v) {
            if (v <= 0) throw new IllegalStateException(name + " must be > 0: " + v);
        }

        private static void positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalStateException(name + " must be > 0: " + d);
        }
    }
}
