package dev.eventbus.bench.jmh;

import dev.eventbus.broker.protocol.ParseError;
import dev.eventbus.broker.protocol.Parser;
import dev.eventbus.broker.protocol.ProtocolHandler;
import dev.eventbus.broker.protocol.PubArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Client-protocol parsing cost, on a 64 KiB buffer of back-to-back {@code PUB subject size\r\npayload\r\n} frames
 * (what one socket read delivers under load); scores are ns per buffer, i.e. per {@link #frames} frames.
 *
 * <ul>
 *   <li>{@link #parseBroker}: the broker's {@link Parser} over a direct {@link ByteBuf} (as epoll reads deliver it),
 *       with a handler that sinks each PUB's subject length and payload offset into the Blackhole.</li>
 *   <li>{@link #scanBaseline}: a minimal hand-written PUB scanner (find CRLF, split, parse the size, skip the
 *       payload) that validates nothing and allocates nothing: a lower bound to compare the Parser against.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ParserBenchmark {
    @Param({"16", "128", "1024"})
    public int payloadSize;

    /** Whole frames only, about 64 KiB. */
    byte[] wire;
    int frames;

    private ByteBuf direct;
    private Parser parser;
    private CountingHandler handler;

    @Setup(Level.Trial)
    public void setUp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(70_000);
        byte[] payload = new byte[payloadSize];
        java.util.Arrays.fill(payload, (byte) 'x');
        int n = 0;
        while (out.size() < 64 * 1024) {
            byte[] head = ("PUB bench.orders.eu.created." + (n % 100) + " " + payloadSize + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            out.writeBytes(head);
            out.writeBytes(payload);
            out.writeBytes(new byte[] {'\r', '\n'});
            n++;
        }
        wire = out.toByteArray();
        frames = n;
        if (scan(wire, null) != frames) throw new IllegalStateException("baseline scanner miscounted");
        direct = Unpooled.directBuffer(wire.length).writeBytes(wire);
        handler = new CountingHandler();
        parser = new Parser(handler, 4096);
        handler.bh = null;
        if (parseBroker(null) != frames) throw new IllegalStateException("Parser saw " + handler.msgs + " of " + frames);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        direct.release();
    }

    @Benchmark
    public int parseBroker(Blackhole bh) {
        handler.bh = bh;
        handler.msgs = 0;
        direct.readerIndex(0);
        parser.parse(direct);
        if (direct.isReadable() || parser.isStopped()) throw new IllegalStateException("parser did not consume the buffer");
        return handler.msgs;
    }

    @Benchmark
    public int scanBaseline(Blackhole bh) {
        return scan(wire, bh);
    }

    /** Counts PUB frames: {@code PUB <subject> [reply] <size>\r\n<payload>\r\n}. */
    static int scan(byte[] b, Blackhole bh) {
        int i = 0, n = 0, len = b.length;
        while (i < len) {
            int eol = i;
            while (b[eol] != '\r') eol++;
            // the size is the last space-separated token of the control line
            int sp = eol - 1;
            while (b[sp] != ' ') sp--;
            int size = 0;
            for (int k = sp + 1; k < eol; k++) size = size * 10 + (b[k] - '0');
            int subjectStart = i + 4;
            int subjectEnd = subjectStart;
            while (b[subjectEnd] != ' ') subjectEnd++;
            if (bh != null) {
                bh.consume(subjectEnd - subjectStart);
                bh.consume(size);
            }
            i = eol + 2 + size + 2;
            n++;
        }
        return n;
    }
}

/** Counts PUBs; any other operation or a protocol error is a bug in the benchmark input. */
final class CountingHandler implements ProtocolHandler {
    Blackhole bh;
    int msgs;

    @Override public void processConnect(ByteBuf buf, int offset, int length) { throw new IllegalStateException(); }
    @Override public void processInfo(ByteBuf buf, int offset, int length) { throw new IllegalStateException(); }
    @Override public boolean processPubArgs(ByteBuf buf, PubArgs args) { return true; }

    @Override
    public void processMsg(ByteBuf buf, PubArgs args) {
        msgs++;
        if (bh != null) {
            bh.consume(args.subjectLength);
            bh.consume(args.payloadOffset);
        }
    }

    @Override
    public void processSub(ByteBuf buf, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                           int sidOffset, int sidLength) { throw new IllegalStateException(); }
    @Override public void processUnsub(ByteBuf buf, int sidOffset, int sidLength, int max) { throw new IllegalStateException(); }
    @Override public void processPing() { throw new IllegalStateException(); }
    @Override public void processPong() { throw new IllegalStateException(); }
    @Override public void processOk() { throw new IllegalStateException(); }
    @Override public void processErr(ByteBuf buf, int offset, int length) { throw new IllegalStateException(); }
    @Override public void protocolError(ParseError error, String detail) { throw new IllegalStateException(error + ": " + detail); }
}
