package dev.eventbus.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser alone, no sockets: nats-server's parser_test.go and split_test.go, ported. */
class ParserTest {
    /** Every op nats-server accepts from a client, with awkward but legal spacing and casing. */
    static final String TRANSCRIPT = "CONNECT {\"verbose\":false}\r\n"
            + "pub foo 5\r\nhello\r\n"
            + "PUB \t foo  bar\t 2 \r\nhi\r\n"
            + "PUB foo 0\r\n\r\n"
            + "PUB foo 4\r\na\r\nb\r\n"
            + "HPUB foo reply 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
            + "SUB foo 1\r\nsub foo.* q 2\r\n"
            + "UNSUB 1\r\nUNSUB 2 10\r\n"
            + "PING\r\nPONG\r\n+OK\r\nPINGxyz\r\n"
            + "PUB bare 1\nx\r\n";

    static final List<String> EXPECTED = List.of(
            "CONNECT {\"verbose\":false}",
            "PUB foo size=5 token=5 [hello]",
            "PUB foo reply=bar size=2 token=2 [hi]",
            "PUB foo size=0 token=0 []",
            "PUB foo size=4 token=4 [a\r\nb]",
            "HPUB foo reply=reply hdr=12 size=14 token=14 [NATS/1.0\r\n\r\nhi]",
            "SUB foo sid=1", "SUB foo.* q=q sid=2",
            "UNSUB 1 max=-1", "UNSUB 2 max=10",
            "PING", "PONG", "+OK", "PING",
            "PUB bare size=1 token=1 [x]");

    private static List<String> parse(int maxControlLine, byte[]... chunks) {
        RecordingHandler h = new RecordingHandler();
        Parser p = new Parser(h, maxControlLine);
        ByteBuf cum = Unpooled.buffer();
        for (byte[] c : chunks) {
            cum.writeBytes(c);
            p.parse(cum);
            cum.discardReadBytes();
        }
        cum.release();
        return h.events;
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void parsesEveryOperationInOneRead() {
        assertThat(parse(4096, b(TRANSCRIPT))).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void byteAtATimeGivesTheSameResult() {
        byte[] all = b(TRANSCRIPT);
        byte[][] chunks = new byte[all.length][];
        for (int i = 0; i < all.length; i++) chunks[i] = new byte[] {all[i]};
        assertThat(parse(4096, chunks)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void everySplitOffsetGivesTheSameResult() {
        byte[] all = b(TRANSCRIPT);
        for (int cut = 1; cut < all.length; cut++) {
            byte[] a = java.util.Arrays.copyOfRange(all, 0, cut);
            byte[] z = java.util.Arrays.copyOfRange(all, cut, all.length);
            assertThat(parse(4096, a, z)).as("split at %d", cut).containsExactlyElementsOf(EXPECTED);
        }
    }

    static List<Arguments> badInputs() {
        return List.of(
                Arguments.of("xxx", "ERROR UNKNOWN_OPERATION"), Arguments.of("Px", "ERROR UNKNOWN_OPERATION"),
                Arguments.of("PIx", "ERROR UNKNOWN_OPERATION"), Arguments.of(" PING\r\n", "ERROR UNKNOWN_OPERATION"),
                Arguments.of("POx", "ERROR UNKNOWN_OPERATION"), Arguments.of("+Ox", "ERROR UNKNOWN_OPERATION"),
                Arguments.of("-ERx", "ERROR UNKNOWN_OPERATION"), Arguments.of("CONNECx", "ERROR UNKNOWN_OPERATION"),
                Arguments.of("PUBS foo 1\r\n", "ERROR UNKNOWN_OPERATION"), Arguments.of("SUB\r\n", "ERROR UNKNOWN_OPERATION"),
                Arguments.of("UNSUB_2\r\n", "ERROR UNKNOWN_OPERATION"), Arguments.of("MSG foo 1 1\r\n", "ERROR UNKNOWN_OPERATION"),
                Arguments.of("HMSG foo 1 1 1\r\n", "ERROR UNKNOWN_OPERATION"),
                Arguments.of("PUB foo\r\n", "ERROR BAD_ARGUMENTS"), Arguments.of("PUB  \r\n", "ERROR BAD_ARGUMENTS"),
                Arguments.of("PUB foo bar       \r\n", "ERROR BAD_ARGUMENTS"), Arguments.of("PUB a b c 2\r\n", "ERROR BAD_ARGUMENTS"),
                Arguments.of("PUB foo 2\r\nok \r\n", "ERROR UNKNOWN_OPERATION"), Arguments.of("PUB foo 2\r\nok\r \n", "ERROR UNKNOWN_OPERATION"),
                Arguments.of("SUB foo\r\n", "ERROR BAD_ARGUMENTS"), Arguments.of("SUB foo bar baz 22\r\n", "ERROR BAD_ARGUMENTS"),
                Arguments.of("UNSUB \r\n", "ERROR BAD_ARGUMENTS"), Arguments.of("UNSUB  \t \r\n", "ERROR BAD_ARGUMENTS"),
                Arguments.of("PUB foo 1234567890\r\n", "ERROR BAD_ARGUMENTS"),
                Arguments.of("PUB foo " + "3".repeat(64) + "\r\n", "ERROR BAD_ARGUMENTS"),
                Arguments.of("PUB foo 2\r\r\nhi\r\n", "ERROR BAD_ARGUMENTS"),
                Arguments.of("HPUB foo 10 8\r\n", "ERROR BAD_ARGUMENTS"), Arguments.of("HPUB foo 12 1234567890\r\n", "ERROR BAD_ARGUMENTS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsMalformedInput(String input, String expected) {
        assertThat(parse(4096, b(input))).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsMalformedInputByteAtATime(String input, String expected) {
        byte[] all = b(input);
        byte[][] chunks = new byte[all.length][];
        for (int i = 0; i < all.length; i++) chunks[i] = new byte[] {all[i]};
        assertThat(parse(4096, chunks)).containsExactly(expected);
    }

    @Test
    void subArgumentsAreAlsoSplitOnCarriageReturn() {
        assertThat(parse(4096, b("SUB foo 1\r\r\n"))).containsExactly("SUB foo sid=1");
    }

    @Test
    void controlLineLimitAppliesToCompleteAndPartialLines() {
        assertThat(parse(8, b("SUB foo.bar.baz 1\r\n"))).containsExactly("ERROR MAX_CONTROL_LINE");
        assertThat(parse(8, b("SUB foo.b"), b("ar.baz 1"))).containsExactly("ERROR MAX_CONTROL_LINE");
        assertThat(parse(4096, b("PUB foo " + "x".repeat(5000)))).containsExactly("ERROR MAX_CONTROL_LINE");
    }

    @Test
    void pingMayCarryUnboundedGarbageUpToTheNewline() {
        assertThat(parse(16, b("PING" + " ".repeat(5000)), b(" \r\n"))).containsExactly("PING");
    }

    @Test
    void maxPayloadIsCheckedBeforeThePayloadArrives() {
        RecordingHandler h = new RecordingHandler();
        h.maxPayload = 10;
        Parser p = new Parser(h, 4096);
        p.parse(Unpooled.wrappedBuffer(b("PUB foo 199380988\r\n")));
        assertThat(h.events).containsExactly("MAX_PAYLOAD");
        assertThat(p.isStopped()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUB foo 000000002\r\nhi\r\n"})
    void sizeTokenIsKeptVerbatimForEcho(String input) {
        assertThat(parse(4096, b(input))).containsExactly("PUB foo size=2 token=000000002 [hi]");
    }

    @Test
    void stopsAtTheFirstErrorAndIgnoresTheRest() {
        assertThat(parse(4096, b("PING\r\nxxx\r\nPING\r\n"))).containsExactly("PING", "ERROR UNKNOWN_OPERATION");
    }
}
