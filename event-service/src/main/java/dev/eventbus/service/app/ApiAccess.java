package dev.eventbus.service.app;

import dev.eventbus.config.EffectiveConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use event-service's HTTP API ({@code POST /v1/events}, the event stream, the monitoring endpoints): anyone
 * who can reach it when it is bound to loopback and nothing is configured; otherwise the holder of the bearer token in
 * {@code service.api_token_file}, and/or a client certificate signed by {@code [tls] root_ca_path}
 * ({@code service.api_mtls}). Bound to any other address with neither, the service refuses to start: an open
 * {@code POST /v1/events} on the network lets anyone inject events past event-gateway's token checks.
 */
final class ApiAccess {
    /** Left open whatever is configured: load balancers and orchestrators probe it without credentials. */
    static final String OPEN_PATH = "/healthz";
    private static final Logger log = LoggerFactory.getLogger(ApiAccess.class);

    private final String host;
    private final byte[] token;
    private final boolean mtls;

    private ApiAccess(String host, byte[] token, boolean mtls) {
        this.host = host;
        this.token = token;
        this.mtls = mtls;
    }

    /** Reads and checks the settings; throws IllegalArgumentException naming the keys when the API would be open. */
    static ApiAccess from(EffectiveConfig cfg) {
        String host = cfg.getString("service.host");
        byte[] token = cfg.findPath("service.api_token_file").map(ApiAccess::readToken).orElse(null);
        boolean mtls = cfg.getBoolean("service.api_mtls");
        if (mtls && (cfg.findPath("tls.cert_path").isEmpty() || cfg.findPath("tls.key_path").isEmpty()
                || cfg.findPath("tls.root_ca_path").isEmpty())) {
            throw new IllegalArgumentException("service.api_mtls = true needs [tls] cert_path, key_path and root_ca_path");
        }
        if (token == null && !mtls && !isLoopback(host)) {
            throw new IllegalArgumentException("service.host = \"" + host + "\" is not a loopback address, and the HTTP API"
                    + " (POST /v1/events, GET /v1/events/stream) would accept anyone: set service.api_token_file (a bearer"
                    + " token) or service.api_mtls = true (client certificates signed by [tls] root_ca_path), or bind"
                    + " service.host to 127.0.0.1");
        }
        return new ApiAccess(host, token, mtls);
    }

    private static byte[] readToken(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("service.api_token_file: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (text.length() < 16 || text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("service.api_token_file: " + file
                    + " must hold one token of at least 16 printable characters without spaces");
        }
        warnIfReadableByOthers(file);
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("service.api_token_file {} is readable by group or others; chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to check
        }
    }

    /** True when every address the host resolves to is a loopback address (an unresolvable host is not). */
    static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) return false;
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    boolean requiresToken() { return token != null; }

    boolean mtls() { return mtls; }

    /**
     * Whether an {@code Authorization} header carries the token: {@code Bearer TOKEN}, or {@code Basic} with the token
     * as the password (any user name; that is how {@code audit capture http://user:TOKEN@host:port} sends it).
     */
    boolean allows(String authorization) {
        if (token == null) return true;
        if (authorization == null) return false;
        byte[] presented = null;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon >= 0) presented = pair.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        // constant time, so that the answer's timing does not reveal how much of a guess was right
        return presented != null && MessageDigest.isEqual(presented, token);
    }

    /** Micronaut settings for the HTTP listener: TLS with required client certificates when api_mtls is on. */
    Map<String, Object> serverProperties(EffectiveConfig cfg) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.host", host);
        if (!mtls) {
            p.put("micronaut.server.port", cfg.getInt("service.port"));
            return p;
        }
        p.put("micronaut.server.ssl.enabled", true);
        p.put("micronaut.server.ssl.port", cfg.getInt("service.port"));
        p.put("micronaut.server.ssl.build-self-signed", false);
        p.put("micronaut.server.ssl.client-authentication", "need");
        p.put("micronaut.server.ssl.key-store.certificate-path", fileUrl(cfg.findPath("tls.cert_path")));
        p.put("micronaut.server.ssl.key-store.key-path", fileUrl(cfg.findPath("tls.key_path")));
        p.put("micronaut.server.ssl.trust-store.path", fileUrl(cfg.findPath("tls.root_ca_path")));
        p.put("micronaut.server.dual-protocol", false);
        return p;
    }

    private static String fileUrl(Optional<Path> p) { return "file:" + p.orElseThrow().toAbsolutePath(); }

    /** One line for the start-up log. */
    String describe() {
        String how = token != null && mtls ? "bearer token and client certificate" : token != null ? "bearer token"
                : mtls ? "client certificate" : "none (loopback only)";
        return "HTTP API on " + host + (mtls ? " over mutual TLS" : "") + ", authentication: " + how
                + (token != null ? " (" + OPEN_PATH + " stays open)" : "");
    }
}
