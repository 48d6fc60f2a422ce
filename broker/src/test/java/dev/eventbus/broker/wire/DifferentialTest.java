package dev.eventbus.broker.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.testing.NatsServerProcess;
import dev.eventbus.broker.testing.ServerConfig;
import dev.eventbus.broker.testing.ServerConfig.UserSpec;
import dev.eventbus.broker.testing.ServerKind;
import dev.eventbus.broker.testing.ServerPool;
import dev.eventbus.broker.testing.ServerUnderTest;
import dev.eventbus.broker.wire.WireClient.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential testing: each raw transcript is replayed against a real nats-server and against our broker, and
 * the normalised answers must be equal.
 *
 * <p>A transcript is: a server config, the inputs of zero or more subscriber connections (sent first, each answered
 * before the next starts), then the input of the main connection. Recorded per connection: the INFO line
 * (normalised: the key set and the fields that do not vary per run, not {@code server_id}, {@code client_id},
 * ports or nonces), what the server answered to its input and whether it closed, then for each subscriber what it
 * received because of the main connection. MSG lines, payloads and {@code -ERR} texts are compared exactly.
 *
 * <p>With {@code -Deventbus.sut=nats-server} the candidate is a second nats-server, which checks that the
 * transcripts themselves are deterministic.
 */
class DifferentialTest {
    static final String QUIET = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n";
    static final String HEADERS = "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true}\r\n";
    static final String NR = "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true}\r\n";
    static final ServerConfig TOKEN = ServerConfig.builder().token("s3cret").build();
    static final ServerConfig USERS = ServerConfig.builder()
            .user(UserSpec.of("alice", "pa"))
            .user(UserSpec.of("bob", "pb").publishDeny("secret.>").subscribeDeny("secret.>"))
            .build();
    static final ServerConfig LIMITS = ServerConfig.builder()
            .maxPayload(512).maxControlLine(128).maxSubscriptions(3).build();
    /** INFO fields compared by value; every other key only by presence. */
    static final List<String> INFO_FIELDS = List.of("version", "proto", "headers", "max_payload", "auth_required",
            "tls_required", "tls_available", "client_ip", "host", "jetstream", "ldm");

    /**
     * One transcript. {@code sortFrames}: compare the main connection's answer as a multiset of frames, for
     * transcripts where one publish matches several subscriptions of the same connection (the delivery order
     * among them is the sublist's business).
     */
    record Transcript(String name, ServerConfig config, List<String> subscribers, String input, boolean sortFrames) {
        Transcript subs(String... inputs) { return new Transcript(name, config, List.of(inputs), input, sortFrames); }

        Transcript config(ServerConfig c) { return new Transcript(name, c, subscribers, input, sortFrames); }

        Transcript unordered() { return new Transcript(name, config, subscribers, input, true); }

        @Override
        public String toString() { return name; }
    }

    static Transcript t(String name, String input) { return new Transcript(name, ServerConfig.DEFAULT, List.of(), input, false); }

    static String pubs(String subject, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append("PUB ").append(subject).append(' ').append(String.valueOf(i).length())
                .append("\r\n").append(i).append("\r\n");
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------ the table
    static final List<Transcript> TRANSCRIPTS = List.of(
            // --- handshake and CONNECT
            t("ping before connect", "PING\r\n"),
            t("connect defaults to verbose", "CONNECT {}\r\nPING\r\n"),
            t("connect like jnats", "CONNECT {\"lang\":\"java\",\"version\":\"2.26.2\",\"protocol\":1,\"verbose\":false,"
                    + "\"pedantic\":false,\"tls_required\":false,\"echo\":true,\"headers\":true,\"no_responders\":true}\r\nPING\r\n"),
            t("connect like nats.go", "CONNECT {\"verbose\":false,\"pedantic\":false,\"tls_required\":false,\"name\":\"\","
                    + "\"lang\":\"go\",\"version\":\"1.22.1\",\"protocol\":1,\"echo\":true,\"headers\":true,\"no_responders\":true}\r\nPING\r\n"),
            t("connect twice", "CONNECT {\"verbose\":true}\r\nCONNECT {\"verbose\":false}\r\nSUB a 1\r\n"),
            t("connect case-insensitive keys", "CONNECT {\"Verbose\":false,\"PEDANTIC\":false}\r\nPUB a.* 0\r\n\r\n"),
            t("connect bad json", "CONNECT {\"verbose\":}\r\n"),
            t("connect wrong type", "CONNECT {\"pedantic\":1}\r\n"),
            t("connect protocol 2", "CONNECT {\"protocol\":2}\r\n"),
            t("connect no_responders without headers", "CONNECT {\"no_responders\":true,\"headers\":false}\r\n"),
            // --- PUB / SUB / UNSUB
            t("pub sub same connection", QUIET + "SUB foo 1\r\nPUB foo 5\r\nhello\r\nPUB foo reply.to 0\r\n\r\n"),
            t("pub to another connection", QUIET + "PUB foo 2\r\nhi\r\nPUB foo r 3\r\nabc\r\n")
                    .subs(QUIET + "SUB foo 1\r\n", QUIET + "SUB foo 7\r\nSUB bar 8\r\n"),
            t("verbose session", "SUB foo 1\r\nPUB foo 2\r\nhi\r\nUNSUB 1\r\nPUB foo 0\r\n\r\nPING\r\nPONG\r\n+OK\r\n"),
            t("wildcards", QUIET + "PUB a.b.c 1\r\nx\r\nPUB a.b 1\r\ny\r\nPUB a 1\r\nz\r\n")
                    .subs(QUIET + "SUB a.* 1\r\n", QUIET + "SUB a.> 1\r\n", QUIET + "SUB *.b.* 1\r\n", QUIET + "SUB > 1\r\n"),
            t("several subscriptions of one connection match", QUIET + "SUB x.y 1\r\nSUB x.* 2\r\nSUB > 3\r\nPUB x.y 0\r\n\r\n").unordered(),
            t("non-pedantic wildcard publish is a literal", QUIET + "PUB w.* 0\r\n\r\nPUB w.> 0\r\n\r\n")
                    .subs(QUIET + "SUB w.* 1\r\n", QUIET + "SUB w.x 1\r\n", QUIET + "SUB w.> 1\r\n"),
            t("pedantic wildcard publish", "CONNECT {\"verbose\":false,\"pedantic\":true}\r\nPUB w.* 0\r\n\r\n")
                    .subs(QUIET + "SUB w.* 1\r\n"),
            t("empty tokens match nothing", QUIET + "PUB a..b 0\r\n\r\nPUB a. 0\r\n\r\nPUB .a 0\r\n\r\n").subs(QUIET + "SUB > 1\r\n"),
            t("invalid subscriptions", "SUB a. 1\r\nSUB .a 2\r\nSUB a..b 3\r\nSUB a.>.b 4\r\nSUB a.> 5\r\n"),
            t("duplicate sid", QUIET + "SUB a 1\r\nSUB b 1\r\nPUB b 0\r\n\r\nPUB a 0\r\n\r\n"),
            t("unsub max", QUIET + "SUB a 1\r\nUNSUB 1 2\r\n" + pubs("a", 4)),
            t("unsub max on another connection", QUIET + pubs("a", 5)).subs(QUIET + "SUB a 9\r\nUNSUB 9 3\r\n"),
            t("unsub unknown sid", "UNSUB 42\r\nUNSUB 43 1\r\n"),
            t("queue group with one member", QUIET + pubs("q", 3)).subs(QUIET + "SUB q g 1\r\n", QUIET + "SUB q 1\r\n"),
            t("echo off", "CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB e 1\r\nPUB e 0\r\n\r\n").subs(QUIET + "SUB e 2\r\n"),
            t("payload with CRLF and binary", QUIET + "SUB p 1\r\nPUB p 8\r\n\r\n\0\u00ff\t\r\n!\r\n"),
            t("size echoed verbatim", QUIET + "SUB p 1\r\nPUB p 02\r\nhi\r\n"),
            t("tabs and LF-only lines", QUIET + "SUB\tt\t1\nPUB\t t \t2\nhi\r\nPING\n"),
            // --- headers and no responders
            t("hpub to header subscriber", HEADERS + "SUB h 1\r\nHPUB h r 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\n"),
            t("hpub to plain subscriber", HEADERS + "HPUB h 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\n")
                    .subs(QUIET + "SUB h 1\r\n", HEADERS + "SUB h 1\r\n"),
            t("hpub without headers", QUIET + "HPUB h 12 12\r\nNATS/1.0\r\n\r\n\r\n"),
            t("hpub header larger than total", HEADERS + "HPUB h 13 12\r\n"),
            t("no responders", NR + "SUB inbox.1 1\r\nPUB svc inbox.1 0\r\n\r\nHPUB svc inbox.1 12 12\r\nNATS/1.0\r\n\r\n\r\n"),
            t("no responders with a responder", NR + "SUB inbox.1 1\r\nPUB svc inbox.1 0\r\n\r\n").subs(QUIET + "SUB svc 1\r\n"),
            // --- errors
            t("unknown op", "FOO\r\n"),
            t("msg from client", "MSG foo 1 0\r\n\r\n"),
            // (nats-server answers a zero-size "HMSG foo 1 0 0" from a client with +OK, a parser quirk the doc says not to copy)
            t("hmsg from client", "HMSG foo 1 2 4\r\nhi\r\n"),
            t("client -ERR", "-ERR 'bye'\r\n"),
            t("64-digit size", "PUB foo 3333333333333333333333333333333333333333333333333333333333333333\r\n"),
            t("payload overrun", QUIET + "SUB a 1\r\nPUB a 1\r\nok\r\nPUB a 0\r\n\r\n"),
            t("pub arg count", "PUB\tonly\r\n"),
            t("sub arg count", "SUB a b c d\r\n"),
            t("unsub arg count", "UNSUB \r\n"),
            t("reserved subjects", QUIET + "PUB _GR_.a 0\r\n\r\nPUB a _R_.b 0\r\n\r\nPUB a $JS.ACK.b 0\r\n\r\nSUB a _sys_ 1\r\n"),
            // --- limits
            t("max payload", QUIET + "PUB a 512\r\n" + "x".repeat(512) + "\r\nPUB a 513\r\n").config(LIMITS).subs(QUIET + "SUB a 1\r\n"),
            t("max control line", QUIET + "SUB " + "s".repeat(120) + " 1\r\nSUB " + "s".repeat(130) + " 2\r\n").config(LIMITS),
            t("max control line unterminated", "PUB " + "s".repeat(200)).config(LIMITS),
            t("max subscriptions", "SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nSUB d 4\r\nUNSUB 1\r\nSUB d 4\r\n").config(LIMITS),
            // --- authentication and permissions
            t("token ok", "CONNECT {\"auth_token\":\"s3cret\"}\r\nPING\r\n").config(TOKEN),
            t("token wrong", "CONNECT {\"auth_token\":\"x\"}\r\n").config(TOKEN),
            t("op before connect on auth server", "SUB a 1\r\n").config(TOKEN),
            t("user ok", "CONNECT {\"user\":\"alice\",\"pass\":\"pa\"}\r\n").config(USERS),
            t("user wrong password", "CONNECT {\"user\":\"alice\",\"pass\":\"pb\"}\r\n").config(USERS),
            t("publish denied", "CONNECT {\"user\":\"bob\",\"pass\":\"pb\"}\r\nPUB secret.a 0\r\n\r\nPUB public.a 0\r\n\r\n")
                    .config(USERS).subs("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"pa\"}\r\nSUB > 1\r\n"),
            t("subscribe denied and filtered", "CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"pa\"}\r\n"
                    + "PUB secret.a 0\r\n\r\nPUB public.a 0\r\n\r\n")
                    .config(USERS).subs("CONNECT {\"user\":\"bob\",\"pass\":\"pb\"}\r\nSUB secret.a 1\r\nSUB > 2\r\n"));

    // ------------------------------------------------------------------------------------------ the run

    static final ServerPool REFERENCE = new ServerPool();
    static final ServerPool CANDIDATE = new ServerPool();

    @BeforeAll
    static void needsTheReference() {
        Assumptions.assumeTrue(NatsServerProcess.isInstalled(), "nats-server is not installed");
    }

    @AfterAll
    static void stopServers() {
        try {
            REFERENCE.close();
        } finally {
            CANDIDATE.close();
        }
    }

    static Stream<Transcript> transcripts() { return TRANSCRIPTS.stream(); }

    static ServerKind candidateKind() {
        return ServerKind.EVENTBUS.isSelected() ? ServerKind.EVENTBUS : ServerKind.NATS_SERVER;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void ourBrokerAnswersLikeNatsServer(Transcript t) {
        Result expected = replay(REFERENCE.get(ServerKind.NATS_SERVER, t.config()), t);
        Result actual = replay(CANDIDATE.get(candidateKind(), t.config()), t);
        assertThat(actual).as("%s: %s vs nats-server", t.name(), candidateKind()).isEqualTo(expected);
    }

    /** Everything a transcript produced, normalised for comparison. */
    record Result(List<String> infos, List<Outcome> subscriberSetup, Outcome main, List<String> subscriberDeliveries) {
        @Override
        public String toString() {
            return "\n  infos=" + infos + "\n  subscriber setup=" + subscriberSetup + "\n  main=" + main
                    + "\n  subscriber deliveries=" + subscriberDeliveries.stream().map(Outcome::visible).collect(Collectors.toList());
        }
    }

    static Result replay(ServerUnderTest server, Transcript t) {
        List<WireClient> subs = new ArrayList<>();
        List<String> infos = new ArrayList<>();
        List<Outcome> setup = new ArrayList<>();
        try {
            for (String in : t.subscribers()) {
                WireClient c = WireClient.connect(server);
                subs.add(c);
                infos.add(normaliseInfo(c.info()));
                Outcome o = c.exchange(in);
                setup.add(o);
                if (!o.closed()) c.send("SUB " + MARKER + " 999999\r\n").barrier();
            }
            Outcome main;
            try (WireClient c = WireClient.connect(server)) {
                infos.add(normaliseInfo(c.info()));
                main = c.exchange(t.input());
                if (!main.closed()) c.send("PUB " + MARKER + " 0\r\n\r\n").barrier();
            }
            if (main.closed() && !subs.isEmpty()) publishMarker(server);
            if (t.sortFrames()) main = new Outcome(sortedFrames(main.text()), main.closed());
            List<String> deliveries = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) {
                deliveries.add(setup.get(i).closed() ? "(closed)" : subs.get(i).textUntilMsgOn(MARKER));
            }
            return new Result(infos, setup, main, deliveries);
        } finally {
            subs.forEach(WireClient::close);
        }
    }

    /**
     * Subscriber deliveries are collected up to a marker message published after the main input (by the main
     * connection itself when it is still open, so per-publisher ordering makes the cut exact; else by a fresh
     * connection), so they do not depend on when the server gets round to them.
     */
    static final String MARKER = "_dt.marker";

    static void publishMarker(ServerUnderTest server) {
        ServerConfig cfg = server.config();
        String creds = cfg.token() != null ? ",\"auth_token\":\"" + cfg.token() + "\""
                : cfg.users().isEmpty() ? ""
                : ",\"user\":\"" + cfg.users().get(0).name() + "\",\"pass\":\"" + cfg.users().get(0).password() + "\"";
        try (WireClient c = WireClient.connect(server)) {
            c.send("CONNECT {\"verbose\":false" + creds + "}\r\nPUB " + MARKER + " 0\r\n\r\n").barrier();
        }
    }

    /** INFO as "sorted key set | selected field values". */
    static String normaliseInfo(Map<String, Object> info) {
        StringBuilder b = new StringBuilder(new TreeSet<>(info.keySet()).toString()).append(" |");
        for (String f : INFO_FIELDS) {
            if (info.containsKey(f)) b.append(' ').append(f).append('=').append(info.get(f));
        }
        return b.toString();
    }

    /** The frames of {@code text} in sorted order (frames re-read from the wire text by their sizes). */
    static String sortedFrames(String text) {
        List<String> frames = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int nl = text.indexOf("\r\n", i);
            if (nl < 0) { frames.add(text.substring(i)); break; }
            String line = text.substring(i, nl);
            int end = nl + 2;
            if (line.startsWith("MSG ") || line.startsWith("HMSG ")) {
                String[] f = line.split(" ");
                end += Integer.parseInt(f[f.length - 1]) + 2;
            }
            frames.add(text.substring(i, Math.min(end, text.length())));
            i = end;
        }
        String[] sorted = frames.toArray(String[]::new);
        Arrays.sort(sorted);
        return String.join("", sorted);
    }
}
