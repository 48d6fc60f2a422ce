package dev.eventbus.broker.subject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The subject trie with a match cache, after nats-server's {@code sublist.go}.
 *
 * <p>Threading: inserts and removes take the write lock and bump {@link #genid()}; a cache miss walks the trie under
 * the read lock and stores its result while still holding it, so an insert can never be overtaken by a stale cache
 * entry. Publishers keep their own per-connection cache keyed by subject bytes and validated by {@code genid}, so the
 * hot path reads one volatile long and takes no lock at all.
 */
public final class Sublist {
    /** As nats-server: up to 1024 cached subjects, swept back to 512. */
    static final int CACHE_MAX = 1024;
    static final int CACHE_SWEEP_TO = 512;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Level root = new Level();
    private final boolean cacheEnabled;
    private final ConcurrentHashMap<String, SublistResult> cache = new ConcurrentHashMap<>();
    private final AtomicLong genid = new AtomicLong();
    private int count;
    private long inserts;
    private long removes;
    private final LongAdder matches = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();

    public Sublist() { this(true); }

    public Sublist(boolean cacheEnabled) { this.cacheEnabled = cacheEnabled; }

    /** Changes on every insert and remove; cached match results are valid while it stays the same. */
    public long genid() { return genid.get(); }

    /** Adds the subscription; its subject must already be a valid subscribe subject. */
    public void insert(Subscription sub) {
        String subject = sub.subject();
        lock.writeLock().lock();
        try {
            Level level = root;
            Node node = null;
            int start = 0, n = subject.length();
            while (start <= n) {
                int end = subject.indexOf('.', start);
                if (end < 0) end = n;
                String token = subject.substring(start, end);
                node = level.nodeFor(token, true);
                start = end + 1;
                if (start <= n) {
                    if (node.next == null) node.next = new Level();
                    level = node.next;
                }
            }
            node.add(sub);
            count++;
            inserts++;
            genid.incrementAndGet();
            invalidate(subject);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the subscription; false when it was not there. */
    public boolean remove(Subscription sub) {
        String subject = sub.subject();
        lock.writeLock().lock();
        try {
            List<Level> levels = new ArrayList<>();
            List<Node> nodes = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            Level level = root;
            int start = 0, n = subject.length();
            Node node = null;
            while (start <= n) {
                if (level == null) return false;
                int end = subject.indexOf('.', start);
                if (end < 0) end = n;
                String token = subject.substring(start, end);
                node = level.nodeFor(token, false);
                if (node == null) return false;
                levels.add(level);
                nodes.add(node);
                tokens.add(token);
                level = node.next;
                start = end + 1;
            }
            if (!node.remove(sub)) return false;
            // prune empty nodes bottom-up so a churn of unique subjects does not grow the trie forever
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node nd = nodes.get(i);
                if (!nd.isEmpty()) break;
                levels.get(i).prune(tokens.get(i));
            }
            count--;
            removes++;
            genid.incrementAndGet();
            invalidate(subject);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Drops the cached results this subscription's subject could change. Called with the write lock held. */
    private void invalidate(String subject) {
        if (!cacheEnabled || cache.isEmpty()) return;
        if (!Subjects.hasWildcardToken(subject)) {
            cache.remove(subject);
            return;
        }
        cache.keySet().removeIf(cached -> Subjects.matches(subject, cached));
    }

    /** The subscriptions matching a literal publish subject. */
    public SublistResult match(String subject) {
        matches.increment();
        if (cacheEnabled) {
            SublistResult cached = cache.get(subject);
            if (cached != null) {
                cacheHits.increment();
                return cached;
            }
        }
        if (Subjects.hasEmptyToken(subject)) return SublistResult.EMPTY;
        String[] tokens = subject.split("\\.", -1);
        lock.readLock().lock();
        try {
            Collector c = new Collector();
            matchLevel(root, tokens, 0, c);
            SublistResult result = c.result();
            if (cacheEnabled) {
                cache.put(subject, result);
                if (cache.size() > CACHE_MAX) sweep();
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void sweep() {
        Iterator<String> it = cache.keySet().iterator();
        while (cache.size() > CACHE_SWEEP_TO && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private static void matchLevel(Level level, String[] tokens, int i, Collector c) {
        while (level != null && i < tokens.length) {
            // '>' needs at least one token left, which the loop condition guarantees
            if (level.fwc != null) c.add(level.fwc);
            if (level.pwc != null) {
                if (i == tokens.length - 1) c.add(level.pwc);
                else matchLevel(level.pwc.next, tokens, i + 1, c);
            }
            Node node = level.nodes.get(tokens[i]);
            if (node == null) return;
            if (i == tokens.length - 1) {
                c.add(node);
                return;
            }
            level = node.next;
            i++;
        }
    }

    /** Every subscription, for monitoring. */
    public List<Subscription> all() {
        List<Subscription> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            collectAll(root, out);
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    private static void collectAll(Level level, List<Subscription> out) {
        if (level == null) return;
        List<Node> all = new ArrayList<>(level.nodes.values());
        if (level.pwc != null) all.add(level.pwc);
        if (level.fwc != null) all.add(level.fwc);
        for (Node n : all) {
            out.addAll(n.psubs);
            if (n.qsubs != null) for (List<Subscription> q : n.qsubs.values()) out.addAll(q);
            collectAll(n.next, out);
        }
    }

    public int count() {
        lock.readLock().lock();
        try {
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Statistics in the shape of nats-server's {@code SublistStats}. */
    public Stats stats() {
        long m = matches.sum();
        long hits = cacheHits.sum();
        int maxFanout = 0;
        long totalFanout = 0;
        int cached = 0;
        for (SublistResult r : cache.values()) {
            int f = r.fanout();
            totalFanout += f;
            maxFanout = Math.max(maxFanout, f);
            cached++;
        }
        lock.readLock().lock();
        try {
            return new Stats(count, cached, inserts, removes, m, m == 0 ? 0 : (double) hits / m, maxFanout,
                    cached == 0 ? 0 : (double) totalFanout / cached);
        } finally {
            lock.readLock().unlock();
        }
    }

    public record Stats(long numSubscriptions, long numCache, long numInserts, long numRemoves, long numMatches,
                        double cacheHitRate, int maxFanout, double avgFanout) {}

    private static final class Level {
        final HashMap<String, Node> nodes = new HashMap<>();
        Node pwc;
        Node fwc;

        Node nodeFor(String token, boolean create) {
            if (token.length() == 1) {
                char c = token.charAt(0);
                if (c == '*') {
                    if (pwc == null && create) pwc = new Node();
                    return pwc;
                }
                if (c == '>') {
                    if (fwc == null && create) fwc = new Node();
                    return fwc;
                }
            }
            Node n = nodes.get(token);
            if (n == null && create) {
                n = new Node();
                nodes.put(token, n);
            }
            return n;
        }

        boolean isEmpty() {
            return nodes.isEmpty() && pwc == null && fwc == null;
        }

        void prune(String token) {
            if (token.equals("*")) pwc = null;
            else if (token.equals(">")) fwc = null;
            else nodes.remove(token);
        }
    }

    private static final class Node {
        Level next;
        final List<Subscription> psubs = new ArrayList<>(1);
        /** Created with the node's first queue subscription: most nodes have none, and an empty map is 56 bytes. */
        Map<String, List<Subscription>> qsubs;

        void add(Subscription s) {
            if (s.queue() == null) {
                psubs.add(s);
                return;
            }
            if (qsubs == null) qsubs = new LinkedHashMap<>(1);
            qsubs.computeIfAbsent(s.queue(), q -> new ArrayList<>()).add(s);
        }

        boolean remove(Subscription s) {
            if (s.queue() == null) return psubs.remove(s);
            List<Subscription> q = qsubs == null ? null : qsubs.get(s.queue());
            if (q == null || !q.remove(s)) return false;
            if (q.isEmpty()) qsubs.remove(s.queue());
            return true;
        }

        boolean isEmpty() {
            return psubs.isEmpty() && (qsubs == null || qsubs.isEmpty()) && (next == null || next.isEmpty());
        }
    }

    /** Builds a result, merging queue members of the same group name found under different subjects. */
    private static final class Collector {
        private final ArrayList<Subscription> psubs = new ArrayList<>();
        private LinkedHashMap<String, ArrayList<Subscription>> groups;

        void add(Node n) {
            psubs.addAll(n.psubs);
            if (n.qsubs == null || n.qsubs.isEmpty()) return;
            if (groups == null) groups = new LinkedHashMap<>();
            for (Map.Entry<String, List<Subscription>> e : n.qsubs.entrySet()) {
                groups.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
            }
        }

        SublistResult result() {
            if (psubs.isEmpty() && groups == null) return SublistResult.EMPTY;
            Subscription[] p = psubs.isEmpty() ? SublistResult.NO_SUBS : psubs.toArray(SublistResult.NO_SUBS);
            Subscription[][] q = SublistResult.NO_GROUPS;
            if (groups != null) {
                q = new Subscription[groups.size()][];
                int i = 0;
                for (ArrayList<Subscription> g : groups.values()) q[i++] = g.toArray(SublistResult.NO_SUBS);
            }
            return new SublistResult(p, q);
        }
    }
}
