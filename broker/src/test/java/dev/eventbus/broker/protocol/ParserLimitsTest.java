package dev.eventbus.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser's limits as a peer trickling bytes sees them: a line is refused on the byte that takes it over the
 * limit, on gateway links as on clients, and waiting for the rest of a line or a payload never looks at the buffered
 * bytes again (a trickle costs O(1) per byte, not a rescan of everything so far).
 */
class ParserLimitsTest {
    /** A heap buffer that counts the bytes the parser inspects, through getByte and indexOf alike. */
    static final class CountingBuf extends UnpooledHeapByteBuf {
        long inspected;

        CountingBuf() { super(UnpooledByteBufAllocator.DEFAULT, 256, Integer.MAX_VALUE); }

        @Override
        public byte getByte(int index) {
            inspected++;
            return super.getByte(index);
        }

        @Override
        public int indexOf(int fromIndex, int toIndex, byte value) {
            int found = super.indexOf(fromIndex, toIndex, value);
            inspected += Math.abs((found < 0 ? toIndex : found + 1) - fromIndex);
            return found;
        }
    }

    /** A gateway link's parser past the handshake (an outbound link takes any op first). */
    private static Parser gatewayParser(RecordingHandler h, int maxControlLine) {
        Parser p = new Parser(h, maxControlLine, true);
        p.requireConnectFirst(false);
        return p;
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** Feeds {@code head} at once, then {@code trickle} one byte per parse call; returns the bytes inspected. */
    private static long trickle(Parser p, CountingBuf buf, byte[] head, byte[] trickle) {
        buf.writeBytes(head);
        p.parse(buf);
        for (byte x : trickle) {
            if (p.isStopped()) break;
            buf.writeByte(x);
            p.parse(buf);
        }
        return buf.inspected;
    }

    @Test
    void aTrickledLongLineCostsLinearNotQuadraticWork() {
        int n = 60_000; // under the gateway's handshake limit, so it is waited for to the end
        RecordingHandler h = new RecordingHandler();
        Parser p = gatewayParser(h, 4096);
        CountingBuf buf = new CountingBuf();
        String json = "{\"gateway\":\"x\",\"pad\":\"" + "p".repeat(n) + "\"}";
        long inspected = trickle(p, buf, b("INFO "), b(json + "\r\n"));
        assertThat(h.events).containsExactly("INFO " + json);
        // each byte is looked at a small constant number of times; a rescan per read would be ~n²/2 = 1.8e9
        assertThat(inspected).isLessThan(4L * n);
        buf.release();
    }

    @Test
    void aTrickledPayloadIsNotParsedAgainOnEveryByte() {
        RecordingHandler h = new RecordingHandler();
        Parser p = gatewayParser(h, 4096);
        CountingBuf buf = new CountingBuf();
        int size = 50_000;
        trickle(p, buf, b("RMSG $G orders.created " + size + "\r\n"), b("x".repeat(size) + "\r\n"));
        assertThat(h.events).containsExactly("RMSG orders.created size=" + size);
        // the control line was looked at when it came and once more when the payload was whole, not 50,000 times
        assertThat(h.routedArgsCalls).isEqualTo(2);
        assertThat(buf.inspected).isLessThan(1_000);
        buf.release();
    }

    @Test
    void aGatewayControlLineIsRefusedOnTheByteThatPassesTheLimit() {
        int limit = Parser.GATEWAY_MIN_CONTROL_LINE; // max_control_line (4096) is lower: the floor holds
        RecordingHandler h = new RecordingHandler();
        Parser p = gatewayParser(h, 4096);
        CountingBuf buf = new CountingBuf();
        buf.writeBytes(b("RMSG "));
        p.parse(buf);
        for (int i = 0; i < limit; i++) {
            buf.writeByte('x');
            p.parse(buf);
        }
        assertThat(h.events).as("%d bytes of arguments are within the limit", limit).isEmpty();
        buf.writeByte('x');
        p.parse(buf);
        assertThat(h.events).containsExactly("ERROR MAX_CONTROL_LINE");
        assertThat(p.isStopped()).isTrue();
        buf.release();
    }

    @Test
    void gatewayLinesMayBeLongerThanAClientsButNotWithoutEnd() {
        RecordingHandler h = new RecordingHandler();
        Parser p = gatewayParser(h, 4096);
        CountingBuf buf = new CountingBuf();
        String urls = "\"" + "10.0.0.1:7222\",\"".repeat(600) + "10.0.0.2:7222\"";
        String info = "{\"gateway\":\"A\",\"gateway_urls\":[" + urls + "]}";
        String subject = "events.agent-7." + "s".repeat(8000); // legal on event-gateway, whose max_control_line is larger
        assertThat(info.length()).isBetween(4097, Parser.GATEWAY_MIN_CONTROL_LINE);
        buf.writeBytes(b("INFO " + info + "\r\nRS+ $G foo\r\nRMSG $G " + subject + " 2\r\nhi\r\n"));
        p.parse(buf);
        assertThat(h.events).containsExactly("INFO " + info, "RS+ $G foo", "RMSG " + subject + " size=2");

        buf.writeBytes(b("INFO {\"x\":\"" + "y".repeat(Parser.GATEWAY_MIN_CONTROL_LINE) + "\"}"));
        p.parse(buf);
        assertThat(h.events).last().isEqualTo("ERROR MAX_CONTROL_LINE");
        buf.release();
    }

    @Test
    void aClientLineIsRefusedOnTheByteThatPassesTheLimitAndIsNeverRescanned() {
        RecordingHandler h = new RecordingHandler();
        Parser p = new Parser(h, 4096);
        CountingBuf buf = new CountingBuf();
        long inspected = trickle(p, buf, b("SUB "), b("s".repeat(5000)));
        assertThat(h.events).containsExactly("ERROR MAX_CONTROL_LINE");
        assertThat(buf.writerIndex()).as("refused at 4097 argument bytes, not later").isEqualTo(4 + 4097);
        assertThat(inspected).isLessThan(4L * 4097);
        buf.release();
    }

    @Test
    void splitOperationsStillParseAfterALineWasWaitedFor() {
        RecordingHandler h = new RecordingHandler();
        Parser p = new Parser(h, 4096);
        CountingBuf buf = new CountingBuf();
        trickle(p, buf, b(""), b("SUB a.b 1\r\nPUB a.b 5\r\nhello\r\nSUB c 2\r\nPING\r\n"));
        assertThat(h.events).isEqualTo(List.of("SUB a.b sid=1", "PUB a.b size=5 token=5 [hello]", "SUB c sid=2", "PING"));
        buf.release();
    }
}
