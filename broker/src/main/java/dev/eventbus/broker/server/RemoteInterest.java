package dev.eventbus.broker.server;

import dev.eventbus.broker.subject.Sublist;
import dev.eventbus.broker.subject.SublistResult;
import dev.eventbus.broker.subject.Subscription;
import dev.eventbus.broker.subject.SubscriptionOwner;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a remote gateway told our outbound link it wants (nats-server's {@code outsie}, per account): RS+/RS-,
 * A+/A-, and the interest-only switch (INFO gateway_cmd 2/3). Written by the link's loop, read by publishers on
 * every loop.
 */
final class RemoteInterest {
    enum Mode {
        OPTIMISTIC("Optimistic"), TRANSITIONING("Transitioning"), INTEREST_ONLY("Interest-Only");

        final String text;

        Mode(String text) { this.text = text; }
    }

    static final class Account {
        volatile Mode mode = Mode.OPTIMISTIC;
        /** Subjects the peer said it has no interest in, while optimistic; null once interest-only. */
        final Set<String> noInterest = ConcurrentHashMap.newKeySet();
        final Sublist subs = new Sublist();
        final ConcurrentHashMap<String, Subscription> byKey = new ConcurrentHashMap<>();
        volatile int queueSubs;
    }

    /** A- stores this marker: the peer wants nothing of the account. */
    private static final Account NO_INTEREST = new Account();

    private final SubscriptionOwner owner;
    private final boolean peerInterestOnly;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();

    /** @param peerInterestOnly the peer's {@code gateway_iom}: unannounced accounts get nothing */
    RemoteInterest(SubscriptionOwner owner, boolean peerInterestOnly) {
        this.owner = owner;
        this.peerInterestOnly = peerInterestOnly;
    }

    /** @return false when the arguments are malformed (the link is then closed) */
    boolean remoteSub(boolean add, String args) {
        String[] a = args.trim().split("[ \t]+");
        if (add ? (a.length != 2 && a.length != 4) : (a.length != 2 && a.length != 3)) return false;
        String acc = a[0], subject = a[1];
        String queue = a.length >= 3 ? a[2] : null;
        String key = acc + " " + subject + (queue == null ? "" : " " + queue);
        Account e = accounts.get(acc);
        if (add) {
            if (queue != null) {
                if (e == null || e == NO_INTEREST) e = createAccount(acc, Mode.OPTIMISTIC, e == NO_INTEREST);
                insert(e, key, subject, queue);
                e.queueSubs++;
            } else {
                if (e == null || e == NO_INTEREST) return true; // nats-server drops a plain RS+ for an unswitched account
                if (e.mode == Mode.OPTIMISTIC) {
                    e.noInterest.removeIf(s -> dev.eventbus.broker.subject.Subjects.matches(subject, s));
                } else {
                    insert(e, key, subject, null);
                }
            }
        } else {
            if (queue != null || (e != null && e != NO_INTEREST && e.mode != Mode.OPTIMISTIC)) {
                if (e == null || e == NO_INTEREST) return true;
                Subscription s = e.byKey.remove(key);
                if (s != null) {
                    e.subs.remove(s);
                    if (queue != null) e.queueSubs--;
                }
            } else {
                if (e == null || e == NO_INTEREST) e = createAccount(acc, Mode.OPTIMISTIC, true);
                e.noInterest.add(subject);
            }
        }
        return true;
    }

    private Account createAccount(String acc, Mode mode, boolean replace) {
        Account n = new Account();
        n.mode = mode;
        if (replace) accounts.put(acc, n);
        else {
            Account prev = accounts.putIfAbsent(acc, n);
            if (prev != null && prev != NO_INTEREST) return prev;
            accounts.put(acc, n);
        }
        return n;
    }

    private void insert(Account e, String key, String subject, String queue) {
        if (e.byKey.containsKey(key)) return; // a duplicate RS+ is ignored, as in nats-server
        Subscription s = new Subscription(owner, subject, queue, key);
        e.byKey.put(key, s);
        e.subs.insert(s);
    }

    void accountInterest(boolean add, String acc) {
        Account e = accounts.get(acc);
        if (add) {
            if (e == NO_INTEREST || (e != null && e.queueSubs == 0)) accounts.remove(acc);
        } else {
            if (e != null && e != NO_INTEREST && e.queueSubs > 0) e.noInterest.clear();
            else accounts.put(acc, NO_INTEREST);
        }
    }

    /** INFO gateway_cmd 2: the peer is about to send all its subscriptions for the account. */
    void allSubsStart(String acc) {
        Account e = accounts.get(acc);
        if (e == null || e == NO_INTEREST) e = createAccount(acc, Mode.TRANSITIONING, true);
        e.mode = Mode.TRANSITIONING;
    }

    /** INFO gateway_cmd 3: from now on only what the peer subscribed is sent. */
    void allSubsComplete(String acc) {
        Account e = accounts.get(acc);
        if (e == null || e == NO_INTEREST) return;
        e.noInterest.clear();
        e.mode = Mode.INTEREST_ONLY;
    }

    /**
     * Whether to send (acc, subject) to the peer for its plain subscribers, and which of its queue groups match.
     * Returns null when nothing at all should go; {@link SublistResult#EMPTY}-like results mean "plain only".
     */
    Decision decide(String acc, String subject) {
        Account e = accounts.get(acc);
        if (e == NO_INTEREST) return Decision.NONE;
        if (e == null) return peerInterestOnly ? Decision.NONE : Decision.PLAIN;
        boolean plain = false;
        if (!peerInterestOnly && e.mode == Mode.OPTIMISTIC && !e.noInterest.contains(subject)) plain = true;
        SublistResult r = SublistResult.EMPTY;
        if (e.mode != Mode.OPTIMISTIC || e.queueSubs > 0) {
            r = e.subs.match(subject);
            if (r.psubs().length > 0) plain = true;
        }
        if (r.qsubs().length == 0) return plain ? Decision.PLAIN : Decision.NONE;
        return new Decision(plain, r); // only messages with remote queue groups pay for this
    }

    record Decision(boolean plain, SublistResult result) {
        static final Decision NONE = new Decision(false, SublistResult.EMPTY);
        static final Decision PLAIN = new Decision(true, SublistResult.EMPTY);

        boolean any() { return plain || result.qsubs().length > 0; }
    }

    /** For /gatewayz: account → (mode, subscription count, queue subscription count). */
    java.util.Map<String, Account> accounts() { return accounts; }

    int subscriptionCount() {
        int n = 0;
        for (Account a : accounts.values()) n += a.byKey.size();
        return n;
    }
}
