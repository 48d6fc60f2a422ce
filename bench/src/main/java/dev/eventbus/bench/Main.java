package dev.eventbus.bench;

import java.util.Arrays;

/** Entry point of bench.jar: {@code load | conns | startup | events | report | jmh}. */
public final class Main {
    private Main() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("-h") || argv[0].equals("--help") || argv[0].equals("help")) {
            usage();
            return;
        }
        String mode = argv[0];
        switch (mode) {
            case "load" -> LoadDriver.run(new Args(argv, 1));
            case "conns" -> ConnsProbe.run(new Args(argv, 1));
            case "startup" -> StartupProbe.run(new Args(argv, 1));
            case "events" -> EventsBench.run(new Args(argv, 1));
            case "accept" -> AcceptBench.run(new Args(argv, 1));
            case "report" -> Report.run(new Args(argv, 1));
            case "jmh" -> org.openjdk.jmh.Main.main(Arrays.copyOfRange(argv, 1, argv.length));
            default -> {
                System.err.println("unknown mode: " + mode);
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("""
            usage: java -jar bench.jar MODE [options]

              load     --url nats://127.0.0.1:4222 --scenario pub|pubraw|pubsub|fanout|queue|reqrep
                       [--sub-url URL]   subscribers/responder connect here (default --url): two servers joined
                                         by a gateway; each phase first waits until probe messages cross
                       [--link-timeout-s 30]  how long to wait for that; scenario gw-X runs X, reported as gw-X
                       [--sizes 16,128,1024] [--count N | --count-small 2000000 --count-large 500000]
                       [--warmup-fraction 0.1] [--pid SERVER_PID]  (samples server RSS, reported as peak_rss_mib)
                       reqrep: [--requests 20000] [--warmup-requests 10000] [--sizes 16]
              conns    --host 127.0.0.1 --port 4222 --pid SERVER_PID [--count 10000] [--settle-ms 2000]
              startup  [--runs 5] [--timeout-s 60] [--ready "Server is ready"] -- COMMAND [ARGS...]
              events   --work-dir DIR [--syncs always,interval] [--sync-interval 50ms] [--size 1024]
                       [--count 20000] [--warmup COUNT/10] [--requesters 8]
                       [--latency-syncs always,interval] [--latency-count 2000] [--latency-rate 200]
                       [--ready-timeout-s 60] [--drain-timeout-s 120] [--keep-data]
                       -- COMMAND [ARGS...]   the event-service, e.g. java -jar event-service-all.jar; gets
                                              --config DIR/<sync>/service.toml (fresh data dir, handlers -> an
                                              HTTP target in this JVM); accepted/delivered events/s, latency
              accept   --work-dir DIR [--kinds always,interval,jetstream] [--inflight 1,16,64] [--conns 4]
                       [--events 20000] [--events-at-one 4000] [--warmup-s 8] [--warmup 3000] [--size 1024] [--rounds 3]
                       [--sync-interval 50ms] [--latency-count 1000] [--latency-rate 200] [--nats-server PATH]
                       -- COMMAND [ARGS...]   the event-service; event-service (sync always / interval) against
                                              nats-server -js with a file stream on events.>, rounds interleaved:
                                              acked events/s, server CPU per event, publish-to-delivery p50/p99
              report   RAW.tsv [--details]   Markdown table of medians from run.sh's raw results
              jmh      [JMH options]         e.g. jmh SublistMatchBenchmark -f 1 -wi 3 -i 5

            Results are printed as RESULT<TAB>scenario<TAB>size<TAB>metric<TAB>value<TAB>unit lines on stdout.
            """);
    }
}
