package dev.eventbus.broker.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.broker.testing.ServerConfig;
import dev.eventbus.broker.testing.ServerConfig.UserSpec;
import dev.eventbus.broker.testing.ServerKind;
import dev.eventbus.broker.testing.ServerPool;
import dev.eventbus.broker.testing.ServerUnderTest;
import dev.eventbus.broker.wire.WireClient.Frame;
import dev.eventbus.broker.wire.WireClient.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client operation on the raw wire, each test run against our broker and against nats-server 2.9.10 (the
 * reference; skipped where it is not installed). The expected bytes are nats-server's answers.
 */
class ProtocolTest {
    static final String KINDS = "dev.eventbus.broker.testing.ServerKind#selected";
    static final String QUIET = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\n";
    static final ServerPool POOL = new ServerPool();

    @AfterAll
    static void stopServers() { POOL.close(); }

    /** The shared default-config server of this kind; tests use subjects of their own so they do not meet. */
    static ServerUnderTest server(ServerKind kind) { return POOL.get(kind, ServerConfig.DEFAULT); }

    static ServerUnderTest server(ServerKind kind, ServerConfig config) { return POOL.get(kind, config); }

    static WireClient quietClient(ServerUnderTest s, String... connectMembers) {
        WireClient c = WireClient.connect(s);
        c.connectQuiet(connectMembers);
        return c;
    }

    static List<String> sortedWire(List<Frame> frames) {
        return frames.stream().map(Frame::wire).sorted().collect(Collectors.toList());
    }

    // ================================================================================================ INFO

    @Nested
    class Info {
        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void infoIsSentOnAcceptWithTheStandardKeys(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient c = WireClient.connectRaw(s)) {
                // INFO must come before we send anything: clients block on it
                Map<String, Object> info = c.readInfo();
                assertThat(c.infoLine()).matches("INFO \\{.*\\} ?");
                assertThat(info.get("server_id")).isInstanceOf(String.class).asString().isNotEmpty();
                assertThat(info.get("server_name")).isInstanceOf(String.class).asString().isNotEmpty();
                assertThat(info).containsEntry("version", "2.9.10").containsEntry("proto", 1L)
                        .containsEntry("headers", true).containsEntry("max_payload", 1048576L)
                        .containsEntry("client_ip", "127.0.0.1").containsEntry("host", "127.0.0.1")
                        .containsEntry("port", (long) s.port());
                assertThat(info.get("client_id")).isInstanceOf(Long.class);
                assertThat((Long) info.get("client_id")).isPositive();
                assertThat(info).containsKey("go");
                // omitempty keys that are false/empty on a plain standalone server
                assertThat(info).doesNotContainKeys("auth_required", "tls_required", "tls_available", "tls_verify",
                        "nonce", "connect_urls", "ldm", "jetstream", "ip", "cluster");
                assertThat(info.keySet()).containsExactly("server_id", "server_name", "version", "proto", "go",
                        "host", "port", "headers", "max_payload", "client_id", "client_ip");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void infoAdvertisesAuthAndMaxPayload(ServerKind kind) {
            ServerUnderTest s = server(kind, ServerConfig.builder().token("s3cret").maxPayload(2048).build());
            try (WireClient c = WireClient.connect(s)) {
                assertThat(c.info()).containsEntry("auth_required", true).containsEntry("max_payload", 2048L);
                assertThat(c.info()).doesNotContainKey("nonce");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void everyConnectionGetsItsOwnClientId(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient a = WireClient.connect(s); WireClient b = WireClient.connect(s)) {
                long ida = (Long) a.info().get("client_id");
                long idb = (Long) b.info().get("client_id");
                assertThat(idb).isGreaterThan(ida);
                assertThat(a.info().get("server_id")).isEqualTo(b.info().get("server_id"));
            }
        }
    }

    // ============================================================================================= CONNECT

    @Nested
    class Connect {
        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void verboseIsOnBeforeAndWithoutConnect(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("SUB v.before 1\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
                assertThat(c.exchange("CONNECT {}\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
                assertThat(c.exchange("UNSUB 1\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void verboseAcknowledgesEveryOpExceptPingAndPong(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"verbose\":true}\r\nSUB v.ack 1\r\nPUB v.ack 2\r\nhi\r\nUNSUB 1\r\nPING\r\nPONG\r\n"))
                        .isEqualTo(Outcome.open("+OK\r\n+OK\r\n+OK\r\nMSG v.ack 1 2\r\nhi\r\n+OK\r\nPONG\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void verboseFalseSilencesAcknowledgements(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange(QUIET + "SUB v.quiet 1\r\nPUB v.quiet 2\r\nhi\r\nUNSUB 1\r\nPUB v.quiet 0\r\n\r\n"))
                        .isEqualTo(Outcome.open("MSG v.quiet 1 2\r\nhi\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void connectKeysAreMatchedCaseInsensitively(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"VERBOSE\":false,\"Pedantic\":false}\r\nSUB c.case 1\r\n"))
                        .isEqualTo(Outcome.open(""));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void unknownKeysAreIgnoredAndNullKeepsTheDefault(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"verbose\":null,\"bogus\":{\"x\":[1,2]},\"lang\":\"java\",\"name\":\"t\","
                        + "\"version\":\"1.0\",\"tls_required\":false}\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void connectMayBeSentAgain(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"verbose\":true}\r\nCONNECT {\"verbose\":true}\r\n"))
                        .isEqualTo(Outcome.open("+OK\r\n+OK\r\n"));
                assertThat(c.exchange("CONNECT {\"verbose\":false}\r\nSUB c.again 1\r\n")).isEqualTo(Outcome.open(""));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void pedanticRejectsANonLiteralPublishSubjectButStillRoutesIt(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"verbose\":false,\"pedantic\":true}\r\nSUB ped.* 1\r\nPUB ped.* 2\r\nhi\r\n"))
                        .isEqualTo(Outcome.open("-ERR 'Invalid Publish Subject'\r\nMSG ped.* 1 2\r\nhi\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void pedanticAndVerboseSendTheErrorThenOk(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"verbose\":true,\"pedantic\":true}\r\nPUB ped.> 0\r\n\r\n"))
                        .isEqualTo(Outcome.open("+OK\r\n-ERR 'Invalid Publish Subject'\r\n+OK\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void pedanticIsOnByDefault(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"verbose\":false}\r\nPUB ped.* 0\r\n\r\n"))
                        .isEqualTo(Outcome.open("-ERR 'Invalid Publish Subject'\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void withoutPedanticAWildcardPublishIsRoutedAsALiteral(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB lit.bar 1\r\nSUB lit.* 2\r\nSUB lit.> 3\r\nSUB *.* 4\r\nPUB lit.* 0\r\n\r\n");
                assertThat(sortedWire(c.barrier())).containsExactly(
                        "MSG lit.* 2 0\r\n\r\n", "MSG lit.* 3 0\r\n\r\n", "MSG lit.* 4 0\r\n\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void echoIsOnByDefault(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB echo.on 1\r\nPUB echo.on 2\r\nhi\r\n"))
                        .isEqualTo(Outcome.open("MSG echo.on 1 2\r\nhi\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void echoFalseSuppressesOwnMessagesOnly(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient self = quietClient(s, "\"echo\":false"); WireClient other = quietClient(s)) {
                other.send("SUB echo.off 1\r\n").barrier();
                assertThat(self.exchange("SUB echo.off 9\r\nPUB echo.off 2\r\nhi\r\n")).isEqualTo(Outcome.open(""));
                assertThat(WireClient.text(other.readFrames(1))).isEqualTo("MSG echo.off 1 2\r\nhi\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void echoFalseMovesTheQueueWalkOnToAnotherMember(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient self = quietClient(s, "\"echo\":false"); WireClient other = quietClient(s)) {
                other.send("SUB echo.q grp 1\r\n").barrier();
                self.send("SUB echo.q grp 1\r\n");
                StringBuilder in = new StringBuilder();
                for (int i = 0; i < 20; i++) in.append("PUB echo.q 1\r\nx\r\n");
                assertThat(self.exchange(in.toString())).isEqualTo(Outcome.open(""));
                assertThat(other.readFrames(20)).allSatisfy(f -> assertThat(f.line()).isEqualTo("MSG echo.q 1 1"));
                other.expectNothingPending();
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void protocolZeroAndOneAreAccepted(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient a = WireClient.connect(s); WireClient b = WireClient.connect(s)) {
                assertThat(a.exchange("CONNECT {\"protocol\":0}\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
                assertThat(b.exchange("CONNECT {\"protocol\":1}\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void otherProtocolVersionsAreRefused(ServerKind kind) {
            ServerUnderTest s = server(kind);
            for (String p : List.of("2", "-1", "22")) {
                try (WireClient c = WireClient.connect(s)) {
                    assertThat(c.exchange("CONNECT {\"protocol\":" + p + "}\r\n"))
                            .as("protocol %s", p).isEqualTo(Outcome.error("invalid client protocol"));
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void credentialsAreIgnoredWhenNoAuthIsConfigured(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"auth_token\":\"whatever\",\"user\":\"x\",\"pass\":\"y\"}\r\n"))
                        .isEqualTo(Outcome.open("+OK\r\n"));
            }
        }
    }

    // ====================================================================================== HPUB / headers

    @Nested
    class Headers {
        static final String HDR = "NATS/1.0\r\nA: b\r\n\r\n"; // 18 bytes

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void hpubIsDeliveredAsHmsgToAHeaderAwareSubscriber(ServerKind kind) {
            try (WireClient c = quietClient(server(kind), "\"headers\":true")) {
                assertThat(c.exchange("SUB h.one 1\r\nHPUB h.one 18 20\r\n" + HDR + "hi\r\nHPUB h.one rep 18 18\r\n" + HDR + "\r\n"))
                        .isEqualTo(Outcome.open("HMSG h.one 1 18 20\r\n" + HDR + "hi\r\nHMSG h.one 1 rep 18 18\r\n" + HDR + "\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void headersAreStrippedForASubscriberWithoutHeaderSupport(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient pub = quietClient(s, "\"headers\":true"); WireClient sub = quietClient(s)) {
                sub.send("SUB h.strip 1\r\n").barrier();
                pub.send("HPUB h.strip r 18 20\r\n" + HDR + "hi\r\n").barrier();
                assertThat(WireClient.text(sub.readFrames(1))).isEqualTo("MSG h.strip 1 r 2\r\nhi\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aZeroLengthHeaderIsAPlainMessage(ServerKind kind) {
            try (WireClient c = quietClient(server(kind), "\"headers\":true")) {
                assertThat(c.exchange("SUB h.zero 1\r\nHPUB h.zero 0 2\r\nhi\r\n"))
                        .isEqualTo(Outcome.open("MSG h.zero 1 2\r\nhi\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void pubIsDeliveredAsMsgToAHeaderAwareSubscriber(ServerKind kind) {
            try (WireClient c = quietClient(server(kind), "\"headers\":true")) {
                assertThat(c.exchange("SUB h.plain 1\r\nPUB h.plain 2\r\nhi\r\n"))
                        .isEqualTo(Outcome.open("MSG h.plain 1 2\r\nhi\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void hpubWithoutNegotiatedHeadersClosesSilently(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient c = WireClient.connect(s)) {
                assertThat(c.exchange("HPUB h.none 12 14\r\nNATS/1.0\r\n\r\nhi\r\n")).isEqualTo(Outcome.silentClose());
            }
            try (WireClient c = WireClient.connect(s)) {
                assertThat(c.exchange("CONNECT {\"verbose\":false,\"headers\":false}\r\nHPUB h.none 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"))
                        .isEqualTo(Outcome.silentClose());
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void noRespondersAnswersTheRequestersOwnReplySubscription(ServerKind kind) {
            try (WireClient c = quietClient(server(kind), "\"headers\":true", "\"no_responders\":true")) {
                assertThat(c.exchange("SUB nr.inbox.1 7\r\nPUB nr.nobody nr.inbox.1 2\r\nhi\r\n"))
                        .isEqualTo(Outcome.open("HMSG nr.inbox.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"));
                // a wildcard reply subscription counts too, and an HPUB request as well
                assertThat(c.exchange("SUB nr.wild.* 8\r\nHPUB nr.nobody nr.wild.x 12 12\r\nNATS/1.0\r\n\r\n\r\n"))
                        .isEqualTo(Outcome.open("HMSG nr.wild.x 8 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void noRespondersIsSilentWhenSomebodyListensOrNoReplySubscriptionExists(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient c = quietClient(s, "\"headers\":true", "\"no_responders\":true");
                 WireClient responder = quietClient(s)) {
                responder.send("SUB nr.busy 1\r\n").barrier();
                assertThat(c.exchange("SUB nr.inbox.2 1\r\nPUB nr.busy nr.inbox.2 0\r\n\r\n")).isEqualTo(Outcome.open(""));
                assertThat(WireClient.text(responder.readFrames(1))).isEqualTo("MSG nr.busy 1 nr.inbox.2 0\r\n\r\n");
                // no own subscription on the reply subject: nothing to answer to
                assertThat(c.exchange("PUB nr.nobody nr.inbox.none 0\r\n\r\n")).isEqualTo(Outcome.open(""));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void noRespondersIsOffUnlessAsked(ServerKind kind) {
            try (WireClient c = quietClient(server(kind), "\"headers\":true")) {
                assertThat(c.exchange("SUB nr.inbox.3 1\r\nPUB nr.nobody nr.inbox.3 0\r\n\r\n")).isEqualTo(Outcome.open(""));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void noRespondersRequiresHeaders(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("CONNECT {\"no_responders\":true}\r\n"))
                        .isEqualTo(Outcome.error("no responders requires headers support"));
            }
        }
    }

    // ================================================================================================= PUB

    @Nested
    class Pub {
        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void pubWithAndWithoutReply(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB p.one 1\r\nPUB p.one 5\r\nhello\r\nPUB p.one my.reply 5\r\nworld\r\n"))
                        .isEqualTo(Outcome.open("MSG p.one 1 5\r\nhello\r\nMSG p.one 1 my.reply 5\r\nworld\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void emptyPayloadAndPayloadWithCrlf(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB p.crlf 1\r\nPUB p.crlf 0\r\n\r\nPUB p.crlf 9\r\nab\r\ncd\r\ne\r\n"))
                        .isEqualTo(Outcome.open("MSG p.crlf 1 0\r\n\r\nMSG p.crlf 1 9\r\nab\r\ncd\r\ne\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void binaryPayloadIsForwardedVerbatim(ServerKind kind) {
            byte[] payload = new byte[256];
            for (int i = 0; i < 256; i++) payload[i] = (byte) i;
            String p = new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1);
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB p.bin 1\r\nPUB p.bin 256\r\n" + p + "\r\n");
                List<Frame> got = c.barrier();
                assertThat(got).hasSize(1);
                assertThat(got.get(0).line()).isEqualTo("MSG p.bin 1 256");
                assertThat(got.get(0).payload()).isEqualTo(payload);
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void spacesAndTabsSeparateArguments(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB\t p.ws \t 1 \r\nPUB \t p.ws  rep\t 5 \r\nhello\r\n"))
                        .isEqualTo(Outcome.open("MSG p.ws 1 rep 5\r\nhello\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void operationNamesAreCaseInsensitive(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("connect {\"verbose\":false}\r\nsub p.case 1\r\npUb p.case 2\r\nhi\r\nUnSuB 1\r\nPuB p.case 0\r\n\r\nping\r\n"))
                        .isEqualTo(Outcome.open("MSG p.case 1 2\r\nhi\r\nPONG\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void deliveriesToOtherConnectionsPrecedeTheirNextPongEvenAfterAnErrorToThePublisher(ServerKind kind) {
            // once the publisher has its PONG, every message it sent before is queued ahead of any later answer
            // to the subscriber; an -ERR written to the publisher in the same read must not hold deliveries back
            ServerUnderTest s = server(kind);
            try (WireClient sub = quietClient(s);
                 WireClient pub = WireClient.connect(s)) {
                sub.send("SUB order.* 1\r\n").barrier();
                assertThat(pub.exchange("CONNECT {\"verbose\":false,\"pedantic\":true}\r\nPUB order.* 1\r\na\r\n"
                        + "PUB _GR_.x 0\r\n\r\nPUB order.x 1\r\nb\r\n"))
                        .isEqualTo(Outcome.open("-ERR 'Invalid Publish Subject'\r\n"
                                + "-ERR 'Permissions Violation for Publish to \"_GR_.x\"'\r\n"));
                assertThat(sub.barrierText()).isEqualTo("MSG order.* 1 1\r\na\r\nMSG order.x 1 1\r\nb\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void deliveriesToOtherConnectionsPrecedeTheirNextPong(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient sub = quietClient(s); WireClient pub = quietClient(s)) {
                sub.send("SUB order.plain 1\r\n").barrier();
                for (int i = 0; i < 50; i++) {
                    pub.send("PUB order.plain 1\r\n" + (i % 10) + "\r\n").barrier();
                    assertThat(sub.barrierText()).as("round %d", i).isEqualTo("MSG order.plain 1 1\r\n" + (i % 10) + "\r\n");
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aBareNewlineEndsAControlLine(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB p.lf 1\nPUB p.lf 2\nhi\r\nPING\n"))
                        .isEqualTo(Outcome.open("MSG p.lf 1 2\r\nhi\r\nPONG\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void publishBeforeConnectIsAllowedWithoutAuth(ServerKind kind) {
            ServerUnderTest s = server(kind);
            try (WireClient sub = quietClient(s); WireClient pub = WireClient.connect(s)) {
                sub.send("SUB p.early 1\r\n").barrier();
                assertThat(pub.exchange("PUB p.early 2\r\nhi\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
                assertThat(WireClient.text(sub.readFrames(1))).isEqualTo("MSG p.early 1 2\r\nhi\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void subjectsWithAnEmptyTokenMatchNothing(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB > 1\r\nPUB p..empty 0\r\n\r\nPUB p.empty. 0\r\n\r\nPUB .p.empty 0\r\n\r\n"))
                        .isEqualTo(Outcome.open(""));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void maxPayloadIsEnforcedOnTheControlLine(ServerKind kind) {
            ServerUnderTest s = server(kind, ServerConfig.builder().maxPayload(1024).build());
            try (WireClient c = quietClient(s)) {
                String kb = "x".repeat(1024);
                assertThat(c.exchange("SUB p.max 1\r\nPUB p.max 1024\r\n" + kb + "\r\n"))
                        .isEqualTo(Outcome.open("MSG p.max 1 1024\r\n" + kb + "\r\n"));
                // refused before any payload byte is read
                assertThat(c.exchange("PUB p.max 1025\r\n")).isEqualTo(Outcome.error("Maximum Payload Violation"));
            }
        }
    }

    // ================================================================================================= SUB

    @Nested
    class Sub {
        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void wildcardsMatchTokens(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB w.* 1\r\nSUB w.> 2\r\nSUB *.x 3\r\nSUB w 4\r\nSUB w.*.z 5\r\n");
                c.send("PUB w.x 0\r\n\r\n");
                assertThat(sortedWire(c.barrier())).containsExactly(
                        "MSG w.x 1 0\r\n\r\n", "MSG w.x 2 0\r\n\r\n", "MSG w.x 3 0\r\n\r\n");
                c.send("PUB w 0\r\n\r\n");
                assertThat(sortedWire(c.barrier())).containsExactly("MSG w 4 0\r\n\r\n");
                c.send("PUB w.y.z 0\r\n\r\n");
                assertThat(sortedWire(c.barrier())).containsExactly("MSG w.y.z 2 0\r\n\r\n", "MSG w.y.z 5 0\r\n\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void fullWildcardMatchesEverythingButNotTheBareParent(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB fw.> 1\r\nPUB fw 0\r\n\r\nPUB fw.a.b.c 0\r\n\r\n");
                assertThat(c.barrierText()).isEqualTo("MSG fw.a.b.c 1 0\r\n\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void wildcardCharactersInsideATokenAreLiterals(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB lit.foo* 1\r\nSUB lit.a>b 2\r\nPUB lit.foox 0\r\n\r\nPUB lit.foo* 0\r\n\r\nPUB lit.a>b 0\r\n\r\n");
                assertThat(c.barrierText()).isEqualTo("MSG lit.foo* 1 0\r\n\r\nMSG lit.a>b 2 0\r\n\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void everyMatchingSubscriptionGetsItsOwnCopy(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB copy.x 1\r\nSUB copy.x 2\r\nSUB copy.> 3\r\nPUB copy.x 2\r\nhi\r\n");
                assertThat(sortedWire(c.barrier())).containsExactly(
                        "MSG copy.x 1 2\r\nhi\r\n", "MSG copy.x 2 2\r\nhi\r\n", "MSG copy.x 3 2\r\nhi\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aQueueGroupGetsEachMessageOnceAndPlainSubscribersGetAll(ServerKind kind) {
            ServerUnderTest s = server(kind);
            List<WireClient> members = new ArrayList<>();
            try (WireClient plain = quietClient(s); WireClient other = quietClient(s); WireClient pub = quietClient(s)) {
                // every connection also gets a marker message published after the 60: what came before it is all
                // that connection will ever get from the publisher
                for (int i = 0; i < 3; i++) {
                    WireClient m = quietClient(s);
                    members.add(m);
                    m.send("SUB q.work workers " + (i + 1) + "\r\nSUB q.marker 9\r\n").barrier();
                }
                plain.send("SUB q.work 1\r\nSUB q.marker 9\r\n").barrier();
                other.send("SUB q.* others 1\r\n").barrier();
                StringBuilder in = new StringBuilder();
                for (int i = 0; i < 60; i++) in.append("PUB q.work ").append(String.valueOf(i).length()).append("\r\n").append(i).append("\r\n");
                pub.send(in.append("PUB q.marker 0\r\n\r\n").toString()).barrier();

                Set<String> seen = new HashSet<>();
                int total = 0;
                for (WireClient m : members) {
                    for (Frame f : m.readUntilMsgOn("q.marker")) {
                        total++;
                        assertThat(seen.add(f.payloadText())).as("delivered twice: %s", f).isTrue();
                    }
                }
                assertThat(total).isEqualTo(60);
                assertThat(plain.readUntilMsgOn("q.marker")).hasSize(60);
                // a second group (here on a wildcard subject) is independent of the first
                assertThat(other.readUntilMsgOn("q.marker")).hasSize(60);
            } finally {
                members.forEach(WireClient::close);
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void queueGroupsAreKeyedByNameAcrossSubjects(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB qk.* g 1\r\nSUB qk.x g 2\r\n");
                StringBuilder in = new StringBuilder();
                for (int i = 0; i < 20; i++) in.append("PUB qk.x 0\r\n\r\n");
                assertThat(c.send(in.toString()).barrier()).hasSize(20);
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aDuplicateSidIsIgnored(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("SUB dup.a 1\r\nSUB dup.b 1\r\n")).isEqualTo(Outcome.open("+OK\r\n+OK\r\n"));
                assertThat(c.exchange("CONNECT {\"verbose\":false}\r\nPUB dup.b 0\r\n\r\nPUB dup.a 0\r\n\r\n"))
                        .isEqualTo(Outcome.open("MSG dup.a 1 0\r\n\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void anInvalidSubjectIsRefusedAndTheConnectionStays(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                for (String subject : List.of("foo.", ".foo", "foo..bar", "foo.>.bar", ">.foo")) {
                    assertThat(c.exchange("SUB " + subject + " 1\r\n")).as(subject)
                            .isEqualTo(Outcome.open("-ERR 'Invalid Subject'\r\n"));
                }
                // and not added
                assertThat(c.exchange("CONNECT {\"verbose\":false}\r\nPUB foo.>.bar 0\r\n\r\n"))
                        .isEqualTo(Outcome.open("-ERR 'Invalid Publish Subject'\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void queueNamesAreOpaque(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("SUB qn.x * 1\r\nSUB qn.x > 2\r\nSUB qn.x a.b..c 3\r\n"))
                        .isEqualTo(Outcome.open("+OK\r\n+OK\r\n+OK\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void maxSubscriptionsRefusesFurtherSubscriptionsButKeepsTheConnection(ServerKind kind) {
            ServerUnderTest s = server(kind, ServerConfig.builder().maxSubscriptions(2).build());
            try (WireClient c = WireClient.connect(s)) {
                assertThat(c.exchange("SUB ms.a 1\r\nSUB ms.b 2\r\nSUB ms.c 3\r\n"))
                        .isEqualTo(Outcome.open("+OK\r\n+OK\r\n-ERR 'maximum subscriptions exceeded'\r\n"));
                assertThat(c.exchange("UNSUB 1\r\nSUB ms.c 3\r\n")).isEqualTo(Outcome.open("+OK\r\n+OK\r\n"));
            }
        }
    }

    // =============================================================================================== UNSUB

    @Nested
    class Unsub {
        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void unsubStopsDelivery(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB u.stop 1\r\nPUB u.stop 1\r\na\r\nUNSUB 1\r\nPUB u.stop 1\r\nb\r\n"))
                        .isEqualTo(Outcome.open("MSG u.stop 1 1\r\na\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void unsubWithMaxDeliversExactlyThatMany(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB u.max 1\r\nUNSUB 1 2\r\nPUB u.max 1\r\na\r\nPUB u.max 1\r\nb\r\nPUB u.max 1\r\nc\r\n"))
                        .isEqualTo(Outcome.open("MSG u.max 1 1\r\na\r\nMSG u.max 1 1\r\nb\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void unsubWithAMaxAlreadyReachedRemovesAtOnce(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB u.late 1\r\nPUB u.late 1\r\na\r\nPUB u.late 1\r\nb\r\n");
                assertThat(c.barrier()).hasSize(2);
                assertThat(c.exchange("UNSUB 1 2\r\nPUB u.late 1\r\nc\r\n")).isEqualTo(Outcome.open(""));
                c.send("SUB u.late 2\r\nPUB u.late 1\r\na\r\n").barrier();
                assertThat(c.exchange("UNSUB 2 2\r\nPUB u.late 1\r\nb\r\nPUB u.late 1\r\nc\r\n"))
                        .isEqualTo(Outcome.open("MSG u.late 2 1\r\nb\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void unsubOfAnUnknownSidIsFine(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("UNSUB 999\r\nUNSUB 998 5\r\n")).isEqualTo(Outcome.open("+OK\r\n+OK\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aZeroOrUnparsableMaxUnsubscribesAtOnce(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                assertThat(c.exchange("SUB u.z 1\r\nSUB u.z 2\r\nSUB u.z 3\r\nUNSUB 1 0\r\nUNSUB 2 abc\r\nUNSUB 3 1234567890\r\nPUB u.z 0\r\n\r\n"))
                        .isEqualTo(Outcome.open(""));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void unsubscribingOneQueueMemberLeavesTheOthers(ServerKind kind) {
            try (WireClient c = quietClient(server(kind))) {
                c.send("SUB uq.x g 1\r\nSUB uq.x g 2\r\nUNSUB 1\r\n");
                StringBuilder in = new StringBuilder();
                for (int i = 0; i < 10; i++) in.append("PUB uq.x 0\r\n\r\n");
                List<Frame> got = c.send(in.toString()).barrier();
                assertThat(got).hasSize(10).allSatisfy(f -> assertThat(f.line()).isEqualTo("MSG uq.x 2 0"));
            }
        }
    }

    // ========================================================================================== PING / PONG

    @Nested
    class PingPong {
        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void pingIsAnsweredEvenBeforeConnect(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("PING\r\n")).isEqualTo(Outcome.open("PONG\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void anythingAfterPingUpToTheNewlineIsIgnored(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("PINGxyz\r\nPING  \r  \nPING" + " ".repeat(5000) + "\r\n"))
                        .isEqualTo(Outcome.open("PONG\r\nPONG\r\nPONG\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void unsolicitedPongsAreHarmless(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("PONG\r\n".repeat(10_000) + "PONGabc\r\n")).isEqualTo(Outcome.open(""));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void theServerPingsAndDropsAClientThatNeverAnswers(ServerKind kind) {
            ServerUnderTest s = server(kind, ServerConfig.builder()
                    .pingInterval(Duration.ofMillis(200)).pingMax(1).build());
            try (WireClient c = WireClient.connect(s).showServerPings(true)) {
                c.connectQuiet();
                c.expectLine("PING");
                String rest = c.expectClosed(Duration.ofSeconds(10));
                assertThat(rest).matches("(PING\r\n)*-ERR 'Stale Connection'\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aClientThatAnswersServerPingsStays(ServerKind kind) {
            ServerUnderTest s = server(kind, ServerConfig.builder()
                    .pingInterval(Duration.ofMillis(200)).pingMax(1).build());
            try (WireClient c = WireClient.connect(s).showServerPings(true)) {
                c.connectQuiet();
                // no PINGs of our own: a client PING postpones the server's
                for (int i = 0; i < 3; i++) {
                    c.expectLine("PING");
                    c.send("PONG\r\n");
                }
                c.showServerPings(false);
                assertThat(c.exchange("SUB pp.alive 1\r\nPUB pp.alive 0\r\n\r\n")).isEqualTo(Outcome.open("MSG pp.alive 1 0\r\n\r\n"));
            }
        }
    }

    // ================================================================================= +OK / -ERR from client

    @Nested
    class ClientOkAndErr {
        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void okFromTheClientIsIgnored(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("+OK\r\n+okay\r\n")).isEqualTo(Outcome.open(""));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void errFromTheClientClosesTheConnectionSilently(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("-ERR 'something'\r\n")).isEqualTo(Outcome.silentClose());
            }
        }
    }

    // ======================================================================================== auth / perms

    @Nested
    class Auth {
        final ServerConfig token = ServerConfig.builder().token("s3cret").build();
        final ServerConfig users = ServerConfig.builder()
                .user(UserSpec.of("alice", "pw-a"))
                .user(UserSpec.of("bob", "pw-b").publishDeny("secret.>").subscribeDeny("secret.>", "vault.* q"))
                .user(UserSpec.of("carol", "pw-c").publishAllow("allowed.>", "_INBOX.>").subscribeAllow("allowed.>"))
                .build();

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void theRightTokenIsAccepted(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind, token))) {
                assertThat(c.exchange("CONNECT {\"auth_token\":\"s3cret\"}\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aWrongOrMissingTokenIsAnAuthorizationViolation(ServerKind kind) {
            ServerUnderTest s = server(kind, token);
            for (String connect : List.of("{\"auth_token\":\"wrong\"}", "{}", "{\"user\":\"s3cret\"}")) {
                try (WireClient c = WireClient.connect(s)) {
                    assertThat(c.exchange("CONNECT " + connect + "\r\n")).as(connect)
                            .isEqualTo(Outcome.error("Authorization Violation"));
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void anyOperationBeforeConnectIsAnAuthorizationViolation(ServerKind kind) {
            ServerUnderTest s = server(kind, token);
            for (String op : List.of("PING\r\n", "SUB foo 1\r\n", "PUB foo 0\r\n\r\n")) {
                try (WireClient c = WireClient.connect(s)) {
                    assertThat(c.exchange(op)).as(op).isEqualTo(Outcome.error("Authorization Violation"));
                }
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void silenceOnAnAuthServerEndsInAuthenticationTimeout(ServerKind kind) {
            ServerUnderTest s = server(kind, token.toBuilder().authTimeout(Duration.ofMillis(300)).build());
            try (WireClient c = WireClient.connect(s)) {
                assertThat(c.expectClosed(Duration.ofSeconds(5))).isEqualTo("-ERR 'Authentication Timeout'\r\n");
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void userAndPassword(ServerKind kind) {
            ServerUnderTest s = server(kind, users);
            try (WireClient ok = WireClient.connect(s); WireClient bad = WireClient.connect(s);
                 WireClient unknown = WireClient.connect(s)) {
                assertThat(ok.info()).containsEntry("auth_required", true);
                assertThat(ok.exchange("CONNECT {\"user\":\"alice\",\"pass\":\"pw-a\"}\r\n")).isEqualTo(Outcome.open("+OK\r\n"));
                assertThat(bad.exchange("CONNECT {\"user\":\"alice\",\"pass\":\"pw-b\"}\r\n"))
                        .isEqualTo(Outcome.error("Authorization Violation"));
                assertThat(unknown.exchange("CONNECT {\"user\":\"mallory\",\"pass\":\"pw-a\"}\r\n"))
                        .isEqualTo(Outcome.error("Authorization Violation"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aDeniedPublishIsReportedDroppedAndNotAcknowledged(ServerKind kind) {
            ServerUnderTest s = server(kind, users);
            try (WireClient alice = WireClient.connect(s); WireClient bob = WireClient.connect(s)) {
                alice.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"pw-a\"}\r\nSUB secret.> 1\r\nSUB public.> 2\r\n").barrier();
                bob.send("CONNECT {\"verbose\":true,\"user\":\"bob\",\"pass\":\"pw-b\"}\r\n").barrier();
                assertThat(bob.exchange("PUB secret.plans 2\r\nhi\r\nPUB public.x 0\r\n\r\n"))
                        .isEqualTo(Outcome.open("-ERR 'Permissions Violation for Publish to \"secret.plans\"'\r\n+OK\r\n"));
                // public.x, published after the denied message, arrives first
                assertThat(alice.readUntilMsgOn("public.x")).isEmpty();
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aDeniedSubscriptionIsReportedAndNotAdded(ServerKind kind) {
            ServerUnderTest s = server(kind, users);
            try (WireClient bob = WireClient.connect(s)) {
                bob.send("CONNECT {\"verbose\":true,\"user\":\"bob\",\"pass\":\"pw-b\"}\r\n").barrier();
                assertThat(bob.exchange("SUB secret.x 1\r\nSUB vault.a q 2\r\nSUB vault.a 3\r\n")).isEqualTo(Outcome.open(
                        "-ERR 'Permissions Violation for Subscription to \"secret.x\"'\r\n"
                                + "-ERR 'Permissions Violation for Subscription to \"vault.a\" using queue \"q\"'\r\n"
                                + "+OK\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aWildcardSubscriptionOverlappingADenyIsFilteredAtDelivery(ServerKind kind) {
            ServerUnderTest s = server(kind, users);
            try (WireClient alice = WireClient.connect(s); WireClient bob = WireClient.connect(s)) {
                bob.send("CONNECT {\"verbose\":false,\"user\":\"bob\",\"pass\":\"pw-b\"}\r\nSUB > 1\r\n").barrier();
                alice.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"pw-a\"}\r\n"
                        + "PUB secret.x 0\r\n\r\nPUB public.x 0\r\n\r\n").barrier();
                // public.x, published after secret.x, arrives first
                assertThat(bob.readUntilMsgOn("public.x")).isEmpty();
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void allowListsRestrictPublishAndSubscribe(ServerKind kind) {
            ServerUnderTest s = server(kind, users);
            try (WireClient carol = WireClient.connect(s)) {
                carol.send("CONNECT {\"verbose\":false,\"user\":\"carol\",\"pass\":\"pw-c\"}\r\n").barrier();
                assertThat(carol.exchange("SUB allowed.x 1\r\nSUB other.x 2\r\nPUB allowed.x 0\r\n\r\nPUB other.x 0\r\n\r\n"))
                        .isEqualTo(Outcome.open("-ERR 'Permissions Violation for Subscription to \"other.x\"'\r\n"
                                + "MSG allowed.x 1 0\r\n\r\n"
                                + "-ERR 'Permissions Violation for Publish to \"other.x\"'\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void reservedSubjectsRepliesAndQueuesAreRefused(ServerKind kind) {
            try (WireClient c = WireClient.connect(server(kind))) {
                assertThat(c.exchange("PUB _GR_.x 0\r\n\r\nPUB foo _R_.x 0\r\n\r\nPUB foo $JS.ACK.x 0\r\n\r\nSUB foo _sys_ 1\r\n"))
                        .isEqualTo(Outcome.open("-ERR 'Permissions Violation for Publish to \"_GR_.x\"'\r\n"
                                + "-ERR 'Permissions Violation for Publish with Reply of \"_R_.x\"'\r\n"
                                + "-ERR 'Permissions Violation for Publish with Reply of \"$JS.ACK.x\"'\r\n"
                                + "-ERR 'Permissions Violation for Subscription to \"foo\" using queue \"_sys_\"'\r\n"));
            }
        }
    }

    // ============================================================================================== limits

    @Nested
    class Limits {
        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void maxConnectionsRefusesTheNextClientAfterInfo(ServerKind kind) {
            ServerUnderTest s = server(kind, ServerConfig.builder().maxConnections(1).build());
            try (WireClient first = WireClient.connect(s)) {
                first.barrier();
                try (WireClient second = WireClient.connectRaw(s)) {
                    String got = second.expectClosed();
                    assertThat(got).matches(Pattern.compile("INFO \\{.*\\} ?\r\n-ERR 'maximum connections exceeded'\r\n",
                            Pattern.DOTALL));
                }
                assertThat(first.exchange("PING\r\n")).isEqualTo(Outcome.open("PONG\r\n"));
            }
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(KINDS)
        void aLongControlLineIsRefused(ServerKind kind) {
            ServerUnderTest s = server(kind, ServerConfig.builder().maxControlLine(64).build());
            try (WireClient c = quietClient(s)) {
                String subject = "s".repeat(56); // "SUB " + 56 + " 1" = args of 58 bytes: fine
                assertThat(c.exchange("SUB " + subject + " 1\r\n")).isEqualTo(Outcome.open(""));
                assertThat(c.exchange("SUB " + subject + "xxxxxxxx 1\r\n")).isEqualTo(Outcome.error("maximum control line exceeded"));
            }
        }
    }
}
