package dev.eventbus.audit.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code capture/misc/audit_gather_metadata.json}, Go's {@code archive.AuditMetadata}: the six Go keys, in Go's
 * order, plus the eventbus additions (capture start and the servers asked), which Go readers ignore.
 * {@code cli_version} is what natscli up to v0.3.0 wrote instead of {@code version}; both are read.
 *
 * @param captureTimestamp RFC 3339 UTC; the END of the capture, as Go gather writes it
 * @param servers          eventbus addition: one object per server asked or discovered, null in Go archives
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditMetadata(
        @JsonProperty("capture_timestamp") String captureTimestamp,
        @JsonProperty("connected_server_name") String connectedServerName,
        @JsonProperty("connected_server_version") String connectedServerVersion,
        @JsonProperty("connect_url") String connectUrl,
        @JsonProperty("user_name") String userName,
        @JsonProperty("version") String version,
        @JsonProperty("cli_version") String cliVersion,
        @JsonProperty("capture_start_timestamp") String captureStartTimestamp,
        @JsonProperty("servers") JsonNode servers) {

    /** The tool that made the archive, whichever key it was stored under. */
    public String toolVersion() {
        if (version != null && !version.isEmpty()) return version;
        return cliVersion == null ? "" : cliVersion;
    }

    /** The JSON object Go's encoder would write: Go's six keys first and always present, our additions after. */
    @JsonValue
    public ObjectNode toJson() {
        ObjectNode o = GoJson.MAPPER.createObjectNode();
        o.put("capture_timestamp", nz(captureTimestamp));
        o.put("connected_server_name", nz(connectedServerName));
        o.put("connected_server_version", nz(connectedServerVersion));
        o.put("connect_url", nz(connectUrl));
        o.put("user_name", nz(userName));
        o.put("version", nz(version));
        if (captureStartTimestamp != null) o.put("capture_start_timestamp", captureStartTimestamp);
        if (servers != null) o.set("servers", servers);
        return o;
    }

    private static String nz(String s) { return s == null ? "" : s; }
}
