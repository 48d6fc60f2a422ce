package dev.eventbus.broker.auth;

import dev.eventbus.broker.subject.Subjects;
import java.util.ArrayList;
import java.util.List;

/**
 * Publish and subscribe allow/deny lists, with nats-server's rules: allowed when there is no allow list or the
 * subject matches an allow entry, and it matches no deny entry. A subscribe entry may be {@code "subject queue"},
 * which allows (or denies) only queue subscriptions in that group. Entries may use wildcards.
 */
public final class Permissions {
    public static final Permissions ALLOW_ALL = builder().build();

    private final List<String> publishAllow;
    private final List<String> publishDeny;
    private final List<String> subscribeAllow;
    private final List<String> subscribeDeny;
    private final List<String> replyAllow;
    private final byte[][][] replyPatterns;

    private Permissions(Builder b) {
        publishAllow = b.publishAllow == null ? null : List.copyOf(b.publishAllow);
        publishDeny = List.copyOf(b.publishDeny);
        subscribeAllow = b.subscribeAllow == null ? null : List.copyOf(b.subscribeAllow);
        subscribeDeny = List.copyOf(b.subscribeDeny);
        replyAllow = b.replyAllow == null ? null : List.copyOf(b.replyAllow);
        replyPatterns = replyAllow == null ? null : replyAllow.stream().map(Permissions::tokens).toArray(byte[][][]::new);
    }

    private static byte[][] tokens(String subject) {
        return java.util.Arrays.stream(subject.split("\\.", -1))
                .map(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    public static Builder builder() { return new Builder(); }

    /** True when no list restricts anything, so the broker can skip checks entirely. */
    public boolean isUnrestricted() {
        return publishAllow == null && publishDeny.isEmpty() && subscribeAllow == null && subscribeDeny.isEmpty()
                && replyAllow == null;
    }

    public boolean hasSubscribeDeny() { return !subscribeDeny.isEmpty(); }

    public boolean canPublish(String subject) {
        if (publishAllow != null && publishAllow.stream().noneMatch(p -> Subjects.matches(p, subject))) return false;
        return publishDeny.stream().noneMatch(p -> Subjects.matches(p, subject));
    }

    /**
     * Whether a publish may carry this reply subject: always, unless {@link Builder#replyAllow} restricted replies
     * (an agent may only ask for answers on subjects it can receive, its own inbox, so it cannot aim another
     * service's answer at someone else).
     */
    public boolean canReplyTo(String reply) {
        return replyAllow == null || replyAllow.stream().anyMatch(p -> Subjects.matches(p, reply));
    }

    public boolean restrictsReplies() { return replyAllow != null; }

    /** {@link #canReplyTo(String)} on the reply's bytes where they were read: replies are unique, so not cached. */
    public boolean canReplyTo(io.netty.buffer.ByteBuf buf, int off, int len) {
        if (replyPatterns == null) return true;
        for (byte[][] p : replyPatterns) if (matchesBytes(p, buf, off, len)) return true;
        return false;
    }

    private static boolean matchesBytes(byte[][] pattern, io.netty.buffer.ByteBuf buf, int off, int len) {
        int pos = off, end = off + len;
        for (byte[] tok : pattern) {
            if (pos > end) return false;
            if (tok.length == 1 && tok[0] == '>') return pos < end;
            int dot = pos;
            while (dot < end && buf.getByte(dot) != '.') dot++;
            if (!(tok.length == 1 && tok[0] == '*')) {
                if (dot - pos != tok.length) return false;
                for (int i = 0; i < tok.length; i++) if (buf.getByte(pos + i) != tok[i]) return false;
            }
            pos = dot + 1;
        }
        return pos == end + 1;
    }

    /**
     * nats-server's subset rule: a subscription is allowed only when every subject it can match is allowed by one
     * entry ({@code events.a.*} does not admit {@code events.a.>}), and it is refused when every subject it can
     * match is denied. One that merely overlaps a deny entry is allowed and filtered at delivery
     * ({@link #deliveryDenied(String, String)}).
     *
     * @param queue null for a plain subscription
     */
    public boolean canSubscribe(String subject, String queue) {
        if (subscribeAllow != null && subscribeAllow.stream().noneMatch(e -> covers(e, subject, queue))) return false;
        return subscribeDeny.stream().noneMatch(e -> covers(e, subject, queue));
    }

    /**
     * Delivery-time filter: a wildcard subscription overlapping a deny entry was allowed, but messages on denied
     * subjects (or, for a queue subscription, denied to its group) must still not reach it.
     */
    public boolean deliveryDenied(String subject, String queue) {
        for (String e : subscribeDeny) {
            int sp = e.indexOf(' ');
            if (sp < 0) {
                if (Subjects.matches(e, subject)) return true;
            } else if (queue != null && Subjects.matches(e.substring(0, sp), subject)
                    && Subjects.matches(e.substring(sp + 1).trim(), queue)) {
                return true;
            }
        }
        return false;
    }

    public boolean deliveryDenied(String subject) { return deliveryDenied(subject, null); }

    /** A plain entry covers the subscription whatever its queue; a {@code "subject queue"} entry only that group. */
    private static boolean covers(String entry, String subject, String queue) {
        int sp = entry.indexOf(' ');
        if (sp < 0) return Subjects.isSubsetMatch(subject, entry);
        if (queue == null) return false;
        return Subjects.isSubsetMatch(subject, entry.substring(0, sp)) && Subjects.matches(entry.substring(sp + 1).trim(), queue);
    }

    @Override
    public String toString() {
        return "Permissions[publish allow=" + publishAllow + " deny=" + publishDeny
                + ", subscribe allow=" + subscribeAllow + " deny=" + subscribeDeny
                + (replyAllow == null ? "" : ", reply allow=" + replyAllow) + "]";
    }

    public static final class Builder {
        private List<String> publishAllow;
        private final List<String> publishDeny = new ArrayList<>();
        private List<String> subscribeAllow;
        private final List<String> subscribeDeny = new ArrayList<>();
        private List<String> replyAllow;

        private Builder() {}

        public Builder publishAllow(String... subjects) {
            if (publishAllow == null) publishAllow = new ArrayList<>();
            publishAllow.addAll(List.of(subjects));
            return this;
        }

        public Builder publishDeny(String... subjects) { publishDeny.addAll(List.of(subjects)); return this; }

        public Builder subscribeAllow(String... subjects) {
            if (subscribeAllow == null) subscribeAllow = new ArrayList<>();
            subscribeAllow.addAll(List.of(subjects));
            return this;
        }

        public Builder subscribeDeny(String... subjects) { subscribeDeny.addAll(List.of(subjects)); return this; }

        /**
         * Restricts the reply subjects of publishes to these (wildcards allowed); without a call any reply is
         * allowed, as in nats-server.
         */
        public Builder replyAllow(String... subjects) {
            if (replyAllow == null) replyAllow = new ArrayList<>();
            replyAllow.addAll(List.of(subjects));
            return this;
        }

        public Permissions build() { return new Permissions(this); }
    }
}
