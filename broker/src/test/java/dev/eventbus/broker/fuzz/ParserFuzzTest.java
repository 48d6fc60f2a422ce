package dev.eventbus.broker.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eventbus.broker.protocol.ParseError;
import dev.eventbus.broker.protocol.Parser;
import dev.eventbus.broker.protocol.ProtocolHandler;
import dev.eventbus.broker.protocol.PubArgs;
import dev.eventbus.broker.testing.ServerConfig;
import dev.eventbus.broker.testing.ServerKind;
import dev.eventbus.broker.testing.ServerUnderTest;
import dev.eventbus.broker.wire.WireClient;
import dev.eventbus.broker.wire.WireClient.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz tests. In the normal build they run in regression mode over the seed corpus in
 * {@code src/test/resources/dev/eventbus/broker/fuzz/ParserFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} makes
 * them fuzz, one target at a time:
 * {@code JAZZER_FUZZ=1 mvn -pl broker test -Dtest='ParserFuzzTest#parserIsSplitInvariantAndBounded' -Djazzer.hooks=true}
 * (hooks are off in {@code junit-platform.properties} for the normal build). Findings land next to the seeds.
 *
 * <p>{@link #parserIsSplitInvariantAndBounded}: arbitrary bytes go straight to {@link Parser}, fed the way Netty's
 * cumulation feeds it (unconsumed bytes stay in the buffer for the next call). Properties: no exception escapes;
 * every offset handed to the handler lies inside the readable bytes; the sequence of callbacks is the same whether
 * the bytes arrive whole, split at any offset, or one byte per read; and while the parser waits for more input it
 * retains no more than one control line (plus, inside a PUB, its announced payload), as nats-server, which consumes
 * op names and blanks as they arrive, does. Small limits (max_control_line 32, max_payload 64) keep them reachable.
 *
 * <p>{@link #brokerSurvivesArbitraryInput}: the same bytes over a socket to an in-process broker, after which a
 * fresh well-behaved connection must still complete a pub/sub round trip.
 */
class ParserFuzzTest {
    static final int MAX_CONTROL_LINE = 32;
    static final int MAX_PAYLOAD = 64;
    /** Longest op name plus its separator ("CONNECT " / "UNSUB "), and CRLF. */
    static final int LINE_SLACK = 8 + 2;
    /** Exhaustive split checks up to this input length; longer inputs get a sample of offsets. */
    static final int EXHAUSTIVE = 300;

    @FuzzTest(maxDuration = "2m")
    void parserIsSplitInvariantAndBounded(byte[] data) {
        List<String> whole = run(data, new int[] {data.length});
        if (data.length <= EXHAUSTIVE) {
            for (int at = 1; at < data.length; at++) {
                assertThat(run(data, new int[] {at, data.length - at})).as("split at %d", at).isEqualTo(whole);
            }
        } else {
            for (int i = 1; i <= 16; i++) {
                int at = (int) ((long) data.length * i / 17);
                assertThat(run(data, new int[] {at, data.length - at})).as("split at %d", at).isEqualTo(whole);
            }
        }
        int[] ones = new int[data.length];
        java.util.Arrays.fill(ones, 1);
        assertThat(run(data, ones)).as("one byte per read").isEqualTo(whole);
    }

    /** Feeds {@code data} in reads of the given sizes through a cumulation buffer; returns the callbacks seen. */
    static List<String> run(byte[] data, int[] reads) {
        Recorder rec = new Recorder();
        Parser parser = new Parser(rec, MAX_CONTROL_LINE);
        ByteBuf cumulation = Unpooled.buffer();
        try {
            int pos = 0;
            for (int n : reads) {
                if (parser.isStopped()) break;
                cumulation.discardReadBytes();
                cumulation.writeBytes(data, pos, n);
                pos += n;
                rec.buf = cumulation;
                parser.parse(cumulation);
                if (!parser.isStopped()) {
                    int allowed = LINE_SLACK + MAX_CONTROL_LINE + (rec.pendingPayload >= 0 ? rec.pendingPayload + 2 : 0);
                    assertThat(cumulation.readableBytes())
                            .as("bytes retained while waiting for more input, after %s",
                                    Outcome.visible(new String(data, 0, pos, ISO_8859_1)))
                            .isLessThanOrEqualTo(allowed);
                }
            }
        } finally {
            cumulation.release();
        }
        return rec.events;
    }

    /** Records every callback as text, checking the offsets it is given. */
    static final class Recorder implements ProtocolHandler {
        final List<String> events = new ArrayList<>();
        ByteBuf buf;
        /** totalSize of a PUB whose arguments were accepted and whose payload has not come yet, else -1. */
        int pendingPayload = -1;

        private String text(ByteBuf in, int offset, int length) {
            assertThat(in).isSameAs(buf);
            assertThat(length).isNotNegative();
            assertThat(offset).isGreaterThanOrEqualTo(in.readerIndex());
            assertThat(offset + length).isLessThanOrEqualTo(in.writerIndex());
            return in.toString(offset, length, ISO_8859_1);
        }

        @Override
        public void processConnect(ByteBuf in, int offset, int length) { events.add("CONNECT " + text(in, offset, length)); }

        @Override
        public void processInfo(ByteBuf in, int offset, int length) { events.add("INFO " + text(in, offset, length)); }

        @Override
        public boolean processPubArgs(ByteBuf in, PubArgs a) {
            String subject = text(in, a.subjectOffset, a.subjectLength);
            assertThat(subject).isNotEmpty();
            if (a.hasReply()) text(in, a.replyOffset, a.replyLength);
            text(in, a.totalTokenOffset, a.totalTokenLength);
            assertThat(a.totalSize).isNotNegative();
            if (a.headerSize >= 0) assertThat(a.headerSize).isLessThanOrEqualTo(a.totalSize);
            if (a.totalSize > MAX_PAYLOAD) {
                events.add("MAX_PAYLOAD " + subject + " " + a.totalSize);
                pendingPayload = -1;
                return false;
            }
            pendingPayload = a.totalSize;
            return true;
        }

        @Override
        public void processMsg(ByteBuf in, PubArgs a) {
            String subject = text(in, a.subjectOffset, a.subjectLength);
            String reply = a.hasReply() ? text(in, a.replyOffset, a.replyLength) : "-";
            String hdr = a.headerSize >= 0 ? text(in, a.headerTokenOffset, a.headerTokenLength) + "/" + a.headerSize : "-";
            String total = text(in, a.totalTokenOffset, a.totalTokenLength) + "/" + a.totalSize;
            String payload = text(in, a.payloadOffset, a.totalSize);
            assertThat(a.payloadOffset + a.totalSize + 2).isLessThanOrEqualTo(in.writerIndex());
            events.add((a.headerSize >= 0 ? "HPUB " : "PUB ") + subject + " " + reply + " " + hdr + " " + total + " "
                    + Outcome.visible(payload));
            pendingPayload = -1;
        }

        @Override
        public void processSub(ByteBuf in, int so, int sl, int qo, int ql, int ido, int idl) {
            assertThat(sl).isPositive();
            assertThat(idl).isPositive();
            events.add("SUB " + text(in, so, sl) + " " + (ql == 0 ? "-" : text(in, qo, ql)) + " " + text(in, ido, idl));
        }

        @Override
        public void processUnsub(ByteBuf in, int ido, int idl, int max) {
            assertThat(idl).isPositive();
            events.add("UNSUB " + text(in, ido, idl) + " " + max);
        }

        @Override
        public void processPing() { events.add("PING"); }

        @Override
        public void processPong() { events.add("PONG"); }

        @Override
        public void processOk() { events.add("+OK"); }

        @Override
        public void processErr(ByteBuf in, int offset, int length) { events.add("-ERR " + text(in, offset, length)); }

        @Override
        public void protocolError(ParseError error, String detail) {
            assertThat(error).isNotNull();
            // the detail quotes whatever bytes were buffered, which depends on the split: compare the kind only
            events.add("ERROR " + error);
            pendingPayload = -1;
        }
    }

    // ================================================================================ over a socket

    private static ServerUnderTest broker;

    private static synchronized ServerUnderTest broker() {
        if (broker == null) broker = ServerKind.EVENTBUS.start(ServerConfig.builder().maxPayload(4096).maxControlLine(256).build());
        return broker;
    }

    @AfterAll
    static synchronized void stopBroker() {
        if (broker != null) broker.close();
        broker = null;
    }

    @FuzzTest(maxDuration = "2m")
    void brokerSurvivesArbitraryInput(byte[] data) throws IOException {
        ServerUnderTest s = broker();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.host(), s.port()), 5000);
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(data);
                out.flush();
            } catch (IOException closedByServer) {
                // fine: the server may hang up at the first bad byte
            }
        }
        try (WireClient c = WireClient.connect(s)) {
            assertThat(c.exchange("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB fuzz.alive 1\r\nPUB fuzz.alive 2\r\nok\r\n"))
                    .isEqualTo(Outcome.open("MSG fuzz.alive 1 2\r\nok\r\n"));
        }
    }
}
