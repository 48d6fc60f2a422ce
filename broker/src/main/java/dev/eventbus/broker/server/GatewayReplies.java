package dev.eventbus.broker.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code _GR_.} reply mapping that lets request/reply cross a gateway without waiting for interest to
 * propagate (nats-server's gateway_nrp): {@code _GR_.<hash(cluster)>.<hash(server)>.<reply>}.
 *
 * <p>Replies of requests that arrive from a gateway are handed to local clients stripped, and remembered for
 * {@link #TTL_NANOS}; a local publish to such a stripped subject within that time is sent straight back to the
 * gateway it came from, under its full {@code _GR_.} name and with no interest check.
 */
final class GatewayReplies {
    static final String PREFIX = "_GR_.";
    /** "_GR_." + 6 + "." + 6 + "." */
    static final int PREFIX_LENGTH = 19;
    static final long TTL_NANOS = 2_000_000_000L;
    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int MAX_TRACKED = 100_000;

    record Route(String fullSubject, String clusterHash, long expiresAt) {}

    private final ConcurrentHashMap<String, Route> tracked = new ConcurrentHashMap<>();

    /** nats-server's getHashSize(name, 6): base62 of the first 6 bytes of SHA-256, bytes taken unsigned. */
    static String hash(String name) {
        try {
            byte[] b = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[6];
            for (int i = 0; i < 6; i++) out[i] = DIGITS.charAt((b[i] & 0xff) % 62);
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a subject has the full _GR_ shape (prefix, two 6-char hashes, something after). */
    static boolean isMapped(String s) {
        return s.length() > PREFIX_LENGTH && s.startsWith(PREFIX) && s.charAt(11) == '.' && s.charAt(18) == '.';
    }

    static String clusterHashOf(String mapped) { return mapped.substring(5, 11); }

    static String strip(String mapped) { return mapped.substring(PREFIX_LENGTH); }

    void track(String mapped) {
        if (tracked.size() >= MAX_TRACKED) purgeExpired(System.nanoTime());
        tracked.put(strip(mapped), new Route(mapped, clusterHashOf(mapped), System.nanoTime() + TTL_NANOS));
    }

    /** The route back for a local publish to {@code subject}, or null. Cheap when nothing is tracked. */
    Route lookup(String subject) {
        if (tracked.isEmpty()) return null;
        Route r = tracked.get(subject);
        if (r == null) return null;
        if (System.nanoTime() - r.expiresAt > 0) {
            tracked.remove(subject, r);
            return null;
        }
        return r;
    }

    private void purgeExpired(long now) {
        tracked.values().removeIf(r -> now - r.expiresAt > 0);
    }
}
