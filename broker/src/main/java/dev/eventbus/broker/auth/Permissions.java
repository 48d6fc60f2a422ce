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

    private Permissions(Builder b) {
        publishAllow = b.publishAllow == null ? null : List.copyOf(b.publishAllow);
        publishDeny = List.copyOf(b.publishDeny);
        subscribeAllow = b.subscribeAllow == null ? null : List.copyOf(b.subscribeAllow);
        subscribeDeny = List.copyOf(b.subscribeDeny);
    }

    public static Builder builder() { return new Builder(); }

    /** True when no list restricts anything, so the broker can skip checks entirely. */
    public boolean isUnrestricted() {
        return publishAllow == null && publishDeny.isEmpty() && subscribeAllow == null && subscribeDeny.isEmpty();
    }

    public boolean hasSubscribeDeny() { return !subscribeDeny.isEmpty(); }

    public boolean canPublish(String subject) {
        if (publishAllow != null && publishAllow.stream().noneMatch(p -> Subjects.matches(p, subject))) return false;
        return publishDeny.stream().noneMatch(p -> Subjects.matches(p, subject));
    }

    /** @param queue null for a plain subscription */
    public boolean canSubscribe(String subject, String queue) {
        if (subscribeAllow != null && subscribeAllow.stream().noneMatch(e -> subMatches(e, subject, queue, true))) {
            return false;
        }
        return subscribeDeny.stream().noneMatch(e -> subMatches(e, subject, queue, false));
    }

    /**
     * Delivery-time filter: a wildcard subscription overlapping a deny entry was allowed, but messages on denied
     * subjects must still not reach it.
     */
    public boolean deliveryDenied(String subject) {
        for (String e : subscribeDeny) {
            int sp = e.indexOf(' ');
            if (sp < 0 && Subjects.matches(e, subject)) return true;
        }
        return false;
    }

    private static boolean subMatches(String entry, String subject, String queue, boolean allowList) {
        int sp = entry.indexOf(' ');
        if (sp < 0) {
            // a plain entry covers the subject whatever the queue; in an allow list a wildcard subscription needs
            // an entry at least as wide, which matching the subscription's subject as a literal checks
            return Subjects.matches(entry, subject);
        }
        String subj = entry.substring(0, sp);
        String q = entry.substring(sp + 1).trim();
        if (queue == null) return false;
        return Subjects.matches(subj, subject) && Subjects.matches(q, queue);
    }

    @Override
    public String toString() {
        return "Permissions[publish allow=" + publishAllow + " deny=" + publishDeny
                + ", subscribe allow=" + subscribeAllow + " deny=" + subscribeDeny + "]";
    }

    public static final class Builder {
        private List<String> publishAllow;
        private final List<String> publishDeny = new ArrayList<>();
        private List<String> subscribeAllow;
        private final List<String> subscribeDeny = new ArrayList<>();

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

        public Permissions build() { return new Permissions(this); }
    }
}
