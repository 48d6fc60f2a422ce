package dev.eventbus.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which handlers receive an event, by event type (exact, case-sensitive match). Immutable.
 *
 * <p>{@link #defaults()} routes all ten seed types: {@code compliance_ingest} to {@code feed}; {@code cfgingest} and
 * {@code nodeTerminated} to {@code cfgingest}; {@code event_feed}, the three {@code scanJob*} and the three
 * {@code profile*} types to {@code event_feed}. (The seed routed only eight, silently dropping the first two.)
 * A type that is not in the table is refused at accept time with {@link RefusalReason#UNKNOWN_TYPE}.
 */
public final class RoutingTable {
    /** Handler key of the compliance-service target (seed config key {@code handlers.feed}). */
    public static final String FEED = "feed";
    /** Handler key of the ingest-service target ({@code handlers.cfgingest}). */
    public static final String CFGINGEST = "cfgingest";
    /** Handler key of the event-feed-service target ({@code handlers.event_feed}). */
    public static final String EVENT_FEED = "event_feed";

    /** Handler names become file names in the data directory, so they are restricted to this. */
    public static final Pattern HANDLER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    public static final int MAX_TYPE_LENGTH = 256;

    private static final RoutingTable DEFAULTS = builder()
            .route(EventTypes.COMPLIANCE_INGEST, FEED)
            .route(EventTypes.CFGINGEST, CFGINGEST)
            .route(EventTypes.NODE_TERMINATED, CFGINGEST)
            .route(EventTypes.EVENT_FEED, EVENT_FEED)
            .route(EventTypes.SCAN_JOB_CREATED, EVENT_FEED)
            .route(EventTypes.SCAN_JOB_UPDATED, EVENT_FEED)
            .route(EventTypes.SCAN_JOB_DELETED, EVENT_FEED)
            .route(EventTypes.PROFILE_CREATED, EVENT_FEED)
            .route(EventTypes.PROFILE_UPDATED, EVENT_FEED)
            .route(EventTypes.PROFILE_DELETED, EVENT_FEED)
            .build();

    private final Map<String, List<String>> routes;
    private final Set<String> handlers;

    private RoutingTable(Map<String, List<String>> routes) {
        this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        Set<String> all = new LinkedHashSet<>();
        routes.values().forEach(all::addAll);
        this.handlers = Collections.unmodifiableSet(all);
    }

    public static RoutingTable defaults() { return DEFAULTS; }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.routes.putAll(routes);
        return b;
    }

    /** The handlers for this type, in routing order; empty when the type is unknown. */
    public List<String> handlersFor(String type) {
        List<String> h = routes.get(type);
        return h == null ? List.of() : h;
    }

    public boolean routes(String type) { return routes.containsKey(type); }

    /** Every routed type, in insertion order. */
    public Set<String> types() { return routes.keySet(); }

    /** Every handler that some type routes to. */
    public Set<String> handlers() { return handlers; }

    public Map<String, List<String>> asMap() { return routes; }

    @Override public boolean equals(Object o) { return o instanceof RoutingTable r && r.routes.equals(routes); }
    @Override public int hashCode() { return routes.hashCode(); }
    @Override public String toString() { return "RoutingTable" + routes; }

    public static final class Builder {
        private final Map<String, List<String>> routes = new LinkedHashMap<>();

        private Builder() {}

        /** Routes {@code type} to these handlers (replacing an earlier route for the type). */
        public Builder route(String type, String... handlers) { return route(type, List.of(handlers)); }

        public Builder route(String type, List<String> handlers) {
            Objects.requireNonNull(type, "type");
            if (type.isBlank() || type.length() > MAX_TYPE_LENGTH) {
                throw new IllegalArgumentException("event type must be 1.." + MAX_TYPE_LENGTH + " characters: '" + type + "'");
            }
            if (handlers.isEmpty()) throw new IllegalArgumentException("type '" + type + "' needs at least one handler");
            List<String> unique = new ArrayList<>(new LinkedHashSet<>(handlers));
            for (String h : unique) checkHandlerName(h);
            routes.put(type, List.copyOf(unique));
            return this;
        }

        public Builder remove(String type) { routes.remove(type); return this; }

        public Builder clear() { routes.clear(); return this; }

        public RoutingTable build() { return new RoutingTable(routes); }
    }

    static String checkHandlerName(String name) {
        if (name == null || !HANDLER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("handler name must match " + HANDLER_NAME.pattern() + ": '" + name + "'");
        }
        return name;
    }
}
