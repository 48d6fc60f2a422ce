package dev.eventbus.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Not a test: measures accept() throughput for 1 KB events (numbers in docs/event-service.md).
 * {@code java -cp <test classpath> dev.eventbus.service.AcceptThroughput DIR [events]}
 */
public final class AcceptThroughput {
    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        try (TestTarget target = TestTarget.create()) {
            for (SyncPolicy sync : new SyncPolicy[]{SyncPolicy.always(), SyncPolicy.interval(Duration.ofMillis(50))}) {
                for (int threads : new int[]{1, 4, 16}) {
                    for (boolean deliver : new boolean[]{false, true}) {
                        run(base, target, sync, threads, deliver, events / 5);     // warm-up
                        double rate = run(base, target, sync, threads, deliver, events);
                        System.out.printf("sync=%-16s threads=%2d deliveries=%-5s %,9.0f events/s%n",
                                sync, threads, deliver ? "on" : "off", rate);
                    }
                }
            }
        }
    }

    private static double run(Path base, TestTarget target, SyncPolicy sync, int threads, boolean deliver, int events)
            throws Exception {
        Path dir = base.resolve("run");
        delete(dir);
        target.respond(r -> deliver ? 200 : 503);
        ServiceOptions o = ServiceOptions.builder().dataDir(dir).syncPolicy(sync).eventLimit(Integer.MAX_VALUE)
                .handlerTarget("feed", target.url("/feed"))
                .handlerTarget("cfgingest", target.url("/cfgingest"))
                .handlerTarget("event_feed", target.url("/event_feed"))
                .retryBaseDelay(Duration.ofSeconds(1)).retryMaxDelay(Duration.ofSeconds(5))
                .build();
        byte[][] payloads = new byte[events][];
        for (int i = 0; i < events; i++) payloads[i] = Events.sized("bench-" + i, "scanJobCreated", 1024);
        AtomicLong next = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long took;
        try (EventService svc = EventService.start(o)) {
            Thread[] ts = new Thread[threads];
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                ts[t] = new Thread(() -> {
                    for (long i; (i = next.getAndIncrement()) < events; ) {
                        if (!svc.accept(payloads[(int) i]).isAccepted()) refused.incrementAndGet();
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) t.join();
            took = System.nanoTime() - start;
        }
        if (refused.get() > 0) throw new IllegalStateException(refused + " refused");
        delete(dir);
        return events / (took / 1e9);
    }

    private static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
