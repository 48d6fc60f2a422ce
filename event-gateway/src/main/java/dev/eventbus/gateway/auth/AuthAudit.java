package dev.eventbus.gateway.auth;

import dev.eventbus.broker.json.JsonWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of the door: every refused connection, permission violation, reserved-queue refusal, expiry and
 * revocation, with agent, reason and remote address.
 *
 * <p>Logged at most once per {@link #logInterval()} per (kind, agent, reason): a flood of one refusal costs one line
 * per interval, and the next line says how many were suppressed since the previous one. Every event is still counted
 * in its entry, which {@link #toJson()} serves as {@code GET /authz} (the most recent {@value #MAX_ENTRIES} entries).
 * Called off the hot path (only when something is refused), so a lock is fine.
 */
public final class AuthAudit {
    private static final Logger log = LoggerFactory.getLogger(AuthAudit.class);

    public static final Duration DEFAULT_LOG_INTERVAL = Duration.ofSeconds(10);
    /** Entries kept; the least recently seen go first. Agents are verified identities, so this bounds memory only. */
    public static final int MAX_ENTRIES = 1024;
    /** Longer details are cut (a violation's subject may be as long as the control line). */
    static final int MAX_DETAIL = 300;

    /** What happened. */
    public enum Kind {
        /** A connection's token was refused (the reason is the {@link Reason}). */
        REFUSED,
        /** A publish, reply subject or subscription outside the agent's grant. */
        PERMISSION_VIOLATION,
        /** A subscription in a reserved queue group (e.g. event-service's), refused whatever the grant. */
        RESERVED_QUEUE,
        /** A connection closed because its token expired. */
        EXPIRED,
        /** A connection closed because its token was revoked. */
        REVOKED
    }

    /**
     * One (kind, agent, reason) as last seen.
     *
     * @param agent the token's {@code sub}; null when not known (a refusal before the signature was verified)
     */
    public record Entry(Kind kind, String agent, String reason, long count, Instant first, Instant last,
                        String remote, String detail) {}

    private record Key(Kind kind, String agent, String reason) {}

    private static final class State {
        long count;
        long suppressed;
        Instant first;
        Instant last;
        Instant logged;
        String remote;
        String detail;
    }

    private final Clock clock;
    private final Duration logInterval;
    /** remote address to agent of every live authenticated connection, so that a close can name its agent. */
    private final ConcurrentHashMap<String, String> connected = new ConcurrentHashMap<>();
    private final LinkedHashMap<Key, State> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Key, State> eldest) { return size() > MAX_ENTRIES; }
    };

    public AuthAudit() { this(Clock.systemUTC(), DEFAULT_LOG_INTERVAL); }

    public AuthAudit(Clock clock, Duration logInterval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logInterval = Objects.requireNonNull(logInterval, "logInterval");
    }

    public Duration logInterval() { return logInterval; }

    /**
     * Records one event; logs it unless the same (kind, agent, reason) was logged less than {@link #logInterval()} ago.
     *
     * @param agent  null when unknown
     * @param remote "ip:port", or null
     * @param detail one line, no secrets (e.g. {@link TokenVerification#detail()})
     */
    public void record(Kind kind, String agent, String reason, String remote, String detail) {
        // subjects in a violation come from the client: no control characters (log injection) and a bounded length
        detail = detail == null ? null : SubjectPermissions.printable(detail, MAX_DETAIL);
        Instant now = clock.instant();
        long suppressed;
        synchronized (entries) {
            State s = entries.computeIfAbsent(new Key(kind, agent, reason), k -> new State());
            s.count++;
            if (s.first == null) s.first = now;
            s.last = now;
            s.remote = remote;
            s.detail = detail;
            if (s.logged != null && Duration.between(s.logged, now).compareTo(logInterval) < 0) {
                s.suppressed++;
                return;
            }
            s.logged = now;
            suppressed = s.suppressed;
            s.suppressed = 0;
        }
        log.warn("auth audit: {} {} agent={} remote={}: {}{}", kind, reason, agent == null ? "-" : agent,
                remote == null ? "-" : remote, detail,
                suppressed == 0 ? "" : " (and " + suppressed + " more since the last such line)");
    }

    /** A connection from {@code remote} authenticated as {@code agent} (one map entry per live connection). */
    public void connected(String remote, String agent) {
        if (remote != null && agent != null) connected.put(remote, agent);
    }

    /**
     * A connection closed; forgets it.
     *
     * @return the agent it was authenticated as, or null
     */
    public String disconnected(String remote) { return remote == null ? null : connected.remove(remote); }

    /** The entries, most recently seen first. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        synchronized (entries) {
            entries.forEach((k, s) -> out.add(new Entry(k.kind(), k.agent(), k.reason(), s.count, s.first, s.last,
                    s.remote, s.detail)));
        }
        out.sort(Comparator.comparing(Entry::last).reversed());
        return out;
    }

    /** {@code {"now": …, "log_interval_seconds": 10, "entries": [{"kind", "agent", "reason", "count", …}]}}. */
    public String toJson() {
        JsonWriter w = JsonWriter.indented().beginObject()
                .name("now").value(clock.instant().toString())
                .name("log_interval_seconds").value(logInterval.toSeconds())
                .name("entries").beginArray();
        for (Entry e : entries()) {
            w.beginObject().name("kind").value(e.kind().name()).name("agent");
            if (e.agent() == null) w.nullValue();
            else w.value(e.agent());
            w.name("reason").value(e.reason()).name("count").value(e.count())
                    .name("first").value(e.first().toString()).name("last").value(e.last().toString())
                    .name("remote").value(e.remote() == null ? "" : e.remote())
                    .name("detail").value(e.detail() == null ? "" : e.detail())
                    .endObject();
        }
        return w.endArray().endObject().toString();
    }
}
