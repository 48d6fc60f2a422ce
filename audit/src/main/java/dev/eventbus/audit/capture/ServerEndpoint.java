package dev.eventbus.audit.capture;

import dev.eventbus.audit.archive.ArtifactType;

/**
 * The per-server monitoring endpoints a capture asks for, in gather's order (VARZ first: its answer names the
 * server), with the query that matches what gather sends over {@code $SYS} (spec §3.3), and for the paged ones
 * the array whose length decides whether another page is needed.
 */
public enum ServerEndpoint {
    VARZ("/varz", ArtifactType.VARIABLES, "", null),
    CONNZ("/connz", ArtifactType.CONNECTIONS, "subs=detail", "connections"),
    ROUTEZ("/routez", ArtifactType.ROUTES, "subs=detail", null),
    GATEWAYZ("/gatewayz", ArtifactType.GATEWAYS, "accs=1&subs=detail", null),
    LEAFZ("/leafz", ArtifactType.LEAFS, "subs=1", null),
    SUBSZ("/subsz", ArtifactType.SUBS, "subs=1", "subscriptions_list"),
    JSZ("/jsz", ArtifactType.JETSTREAM_INFO, "accounts=true&streams=true&consumers=true&config=true&raft=true",
            "account_details"),
    ACCOUNTZ("/accountz", ArtifactType.ACCOUNTS, "", null),
    HEALTHZ("/healthz", ArtifactType.HEALTH, "details=true", null),
    /** eventbus addition: why recent connections closed (authentication failures, slow consumers...). */
    CLOSED_CONNZ("/connz", ArtifactType.CLOSED_CONNECTIONS, "state=closed", null),
    /** eventbus addition: the event handlers of eventbus apps; asked of eventbus servers only. */
    HANDLERZ("/handlerz", ArtifactType.EVENTBUS_HANDLERS, "", null),
    /** eventbus addition: event-gateway's auth audit trail; asked of eventbus servers only. */
    AUTHZ("/authz", ArtifactType.EVENTBUS_AUTHZ, "", null);

    private final String path;
    private final String artifactType;
    private final String query;
    private final String pagedArray;

    ServerEndpoint(String path, String artifactType, String query, String pagedArray) {
        this.path = path;
        this.artifactType = artifactType;
        this.query = query;
        this.pagedArray = pagedArray;
    }

    public String path() { return path; }

    public String artifactType() { return artifactType; }

    /** Paged endpoints get {@code offset} and {@code limit} added. */
    public boolean paged() { return pagedArray != null; }

    /** The key under {@code data} whose array, when full, means there is another page. */
    public String pagedArray() { return pagedArray; }

    public String query(int offset, int limit) {
        if (!paged()) return query;
        String q = query.isEmpty() ? "" : query + "&";
        return q + "offset=" + offset + "&limit=" + limit;
    }

    /** How the capture log names it: the path, with the state filter when there is one. */
    public String label() { return this == CLOSED_CONNZ ? "/connz?state=closed" : path; }
}
