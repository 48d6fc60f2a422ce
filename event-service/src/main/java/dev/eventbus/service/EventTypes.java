package dev.eventbus.service;

import java.util.List;

/**
 * The ten event type names of Chef Automate's event-service ({@code config/config.go}), case-sensitive.
 * Note the seed's spelling {@code profileUpdate} (no trailing "d").
 */
public final class EventTypes {
    public static final String COMPLIANCE_INGEST = "compliance_ingest";
    public static final String CFGINGEST = "cfgingest";
    public static final String EVENT_FEED = "event_feed";
    public static final String SCAN_JOB_CREATED = "scanJobCreated";
    public static final String SCAN_JOB_UPDATED = "scanJobUpdated";
    public static final String SCAN_JOB_DELETED = "scanJobDeleted";
    public static final String PROFILE_CREATED = "profileCreated";
    public static final String PROFILE_UPDATED = "profileUpdate";
    public static final String PROFILE_DELETED = "profileDeleted";
    public static final String NODE_TERMINATED = "nodeTerminated";

    /** All ten, in the order of the seed's constants. */
    public static final List<String> ALL = List.of(COMPLIANCE_INGEST, CFGINGEST, EVENT_FEED,
            SCAN_JOB_CREATED, SCAN_JOB_UPDATED, SCAN_JOB_DELETED,
            PROFILE_CREATED, PROFILE_UPDATED, PROFILE_DELETED, NODE_TERMINATED);

    private EventTypes() {}
}
