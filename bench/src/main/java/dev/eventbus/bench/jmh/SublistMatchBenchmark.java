package dev.eventbus.bench.jmh;

import dev.eventbus.broker.subject.Sublist;
import dev.eventbus.broker.subject.SublistResult;
import dev.eventbus.broker.subject.Subscription;
import dev.eventbus.broker.subject.SubscriptionOwner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@link Sublist#match(String)} of literal publish subjects against 1k / 10k subscriptions, about 12% of them
 * wildcards ({@code *} and {@code >}), with the match cache on and off.
 *
 * <p>Subscriptions look like {@code svc.<region>.<entity>.<event>} (literal), {@code svc.*.<entity>.<event>},
 * {@code svc.<region>.*.<event>} and {@code svc.<region>.<entity>.>}. The published subjects are 512 literal subjects
 * (a quarter of which match nothing), cycled in a fixed shuffled order, so with the cache on (1024 entries in
 * nats-server's sizing) every lookup after the first pass is a cache hit, and with it off every lookup walks the trie.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SublistMatchBenchmark {
    private static final int REGIONS = 10;
    private static final int EVENTS = 5;
    private static final int PUBLISHED = 512;

    @Param({"1000", "10000"})
    public int subscriptions;

    @Param({"true", "false"})
    public boolean cache;

    private Sublist sublist;
    private String[] subjects;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(42);
        SubscriptionOwner owner = () -> 1L;
        sublist = new Sublist(cache);
        int entities = Math.max(1, subscriptions / (REGIONS * EVENTS / 2));
        List<String> literal = new ArrayList<>();
        for (int i = 0; i < subscriptions; i++) {
            int region = rnd.nextInt(REGIONS), entity = rnd.nextInt(entities), event = rnd.nextInt(EVENTS);
            String subject;
            int kind = i % 25;
            if (kind == 0) subject = "svc.*.e" + entity + ".ev" + event;            // 4%
            else if (kind == 1) subject = "svc.r" + region + ".*.ev" + event;       // 4%
            else if (kind == 2) subject = "svc.r" + region + ".e" + entity + ".>";  // 4%
            else {
                subject = "svc.r" + region + ".e" + entity + ".ev" + event;
                literal.add(subject);
            }
            // every fifth subscription is a queue subscription, as a service fleet would be
            String queue = i % 5 == 4 ? "workers" : null;
            sublist.insert(new Subscription(owner, subject, queue, Integer.toString(i)));
        }
        subjects = new String[PUBLISHED];
        for (int i = 0; i < PUBLISHED; i++) {
            if (i % 4 == 3) {
                subjects[i] = "other.r" + rnd.nextInt(REGIONS) + ".e" + rnd.nextInt(entities) + ".ev" + i; // no match
            } else {
                // a fresh String instance, as a parser would produce, not the interned insert subject
                subjects[i] = new String(literal.get(rnd.nextInt(literal.size())).toCharArray());
            }
        }
        for (int i = PUBLISHED - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String t = subjects[i];
            subjects[i] = subjects[j];
            subjects[j] = t;
        }
    }

    @Benchmark
    public SublistResult matchLiteral() {
        String s = subjects[next];
        next = (next + 1) & (PUBLISHED - 1);
        return sublist.match(s);
    }
}
