package dev.eventbus.service;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: starts an EventService on {@code args[0]} delivering to the HTTP
 * target at {@code args[1]}, with sync policy {@code args[2]}, then accepts events forever, printing {@code ACK id}
 * after each accept() that returned ACCEPTED. The parent kills it with SIGKILL mid-stream. With {@code args[3]} =
 * {@code async:N} it uses acceptAsync with N events in flight and prints ACK from the answer callback (the flusher
 * thread, right after the fsync that covered the event).
 */
public final class CrashChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String base = args[1];
        SyncPolicy sync = SyncPolicy.parse(args[2], Duration.ofMillis(50));
        EventService svc = EventService.start(CrashRecoveryTest.options(dir, base, sync).build());
        System.out.println("READY");
        System.out.flush();
        if (args.length > 3 && args[3].startsWith("async:")) {
            acceptAsyncForever(svc, Integer.parseInt(args[3].substring(6)));
        }
        for (long i = 0; ; i++) report("k" + i, svc.accept(event(i)));
    }

    private static byte[] event(long i) {
        return Events.event("k" + i, i % 3 == 0 ? EventTypes.NODE_TERMINATED : EventTypes.SCAN_JOB_CREATED);
    }

    private static void report(String id, AcceptResult r) {
        if (r.status() == AcceptResult.Status.ACCEPTED) {
            System.out.println("ACK " + id);
            System.out.flush();
        } else if (r.reason() != RefusalReason.EVENT_LIMIT) {
            System.out.println("REFUSED " + id + " " + r);
            System.out.flush();
        }
    }

    private static void acceptAsyncForever(EventService svc, int inFlight) throws InterruptedException {
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(inFlight);
        for (long i = 0; ; i++) {
            String id = "k" + i;
            slots.acquire();
            svc.acceptAsync(event(i), null, r -> {
                report(id, r);
                slots.release();
            });
        }
    }
}
