package dev.eventbus.audit.capture;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The monitoring address of one server: {@code http(s)://[user:pass@]host:port[/base]}. {@code host:port} alone means
 * http. The credentials, if any, are sent as Basic auth and shown as {@code xxxxx} (Go's {@code url.Redacted}).
 */
public final class MonitorUrl {
    private final String scheme;
    private final String host;
    private final int port;
    private final String basePath;
    private final String userInfo;

    private MonitorUrl(String scheme, String host, int port, String basePath, String userInfo) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.basePath = basePath;
        this.userInfo = userInfo;
    }

    /**
     * Parses what a user typed.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static MonitorUrl parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("empty server URL");
        if (!t.contains("://")) t = "http://" + t;
        URI u;
        try {
            u = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid server URL '" + text + "': " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "http" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("invalid server URL '" + text + "': the monitoring port speaks http or https, not "
                    + scheme);
        }
        if (u.getHost() == null) throw new IllegalArgumentException("invalid server URL '" + text + "': no host");
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        String base = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
        return new MonitorUrl(scheme, u.getHost(), port, base, u.getRawUserInfo());
    }

    /** The same server setup (scheme, base path, credentials) at another host and port: for discovered peers. */
    public MonitorUrl withHostPort(String newHost, int newPort) {
        return new MonitorUrl(scheme, newHost, newPort, basePath, userInfo);
    }

    public String host() { return host; }

    public int port() { return port; }

    /** The URI of an endpoint path with its query, e.g. {@code endpoint("/connz", "offset=0")}. */
    public URI endpoint(String path, String query) {
        String q = query == null || query.isEmpty() ? "" : "?" + query;
        return URI.create(scheme + "://" + hostPort() + basePath + path + q);
    }

    /** The {@code Authorization} header value, or null. */
    public String authorization() {
        if (userInfo == null) return null;
        String decoded = java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
    }

    /** The URL with any password replaced by {@code xxxxx}. */
    public String redacted() {
        String ui = "";
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            ui = (colon < 0 ? userInfo : userInfo.substring(0, colon) + ":xxxxx") + "@";
        }
        return scheme + "://" + ui + hostPort() + basePath;
    }

    /** Identity for de-duplication: scheme, host, port and base path. */
    public String key() { return scheme + "://" + hostPort() + basePath; }

    private String hostPort() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    @Override
    public String toString() { return redacted(); }
}
