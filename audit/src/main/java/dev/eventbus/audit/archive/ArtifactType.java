package dev.eventbus.audit.archive;

/**
 * The {@code artifact_type} values of the current jsm.go format (spec §1.3), plus the eventbus additions.
 * Any other value that is a valid path component may be written too; readers ignore types they do not know.
 */
public final class ArtifactType {
    public static final String HEALTH = "health";
    public static final String VARIABLES = "variables";
    public static final String EXP_VARIABLES = "exp_variables";
    public static final String CONNECTIONS = "connections";
    public static final String ROUTES = "routes";
    public static final String GATEWAYS = "gateways";
    public static final String LEAFS = "leafs";
    public static final String SUBS = "subs";
    public static final String JETSTREAM_INFO = "jetstream_info";
    public static final String ACCOUNTS = "accounts";
    public static final String ACCOUNT_CONNECTIONS = "account_connections";
    public static final String ACCOUNT_LEAFS = "account_leafs";
    public static final String ACCOUNT_SUBS = "account_subs";
    public static final String ACCOUNT_JETSTREAM_INFO = "account_jetstream_info";
    public static final String ACCOUNT_INFO = "account_info";
    public static final String ACCOUNT_RAFTZ = "account_raftz";
    public static final String ACCOUNT_IPQUEUES = "account_ipqueues";
    public static final String STREAM_INFO = "stream_info";
    public static final String PROFILE = "profile";

    /** eventbus addition: {@code /connz?state=closed}, the recently closed connections and why they closed. */
    public static final String CLOSED_CONNECTIONS = "closed_connections";
    /** eventbus addition: {@code /handlerz} of eventbus apps, the backlog of each event handler. */
    public static final String EVENTBUS_HANDLERS = "eventbus_handlers";
    /** eventbus addition: {@code /authz} of event-gateway, its auth audit trail (refusals, permission violations). */
    public static final String EVENTBUS_AUTHZ = "eventbus_authz";

    /** Special file names (tag {@code special}). */
    public static final String SPECIAL_MANIFEST = "manifest";
    public static final String SPECIAL_METADATA = "audit_gather_metadata";
    public static final String SPECIAL_LOG = "audit_gather_log";

    private ArtifactType() {}
}
