package dev.eventbus.broker.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The NATS client-protocol parser: recognises operations in a {@link ByteBuf} byte by byte and hands them to a
 * {@link ProtocolHandler}, as nats-server's {@code parser.go} hands them to {@code processPub} and friends.
 *
 * <p>Design: frames are parsed in place, straight from the read buffer, with no line decoder and no copy. An
 * operation whose bytes have not all arrived is left unconsumed and parsed again when more come, so a read split at
 * any byte gives the same result as an unsplit one by construction; the only state carried between reads is the
 * "skip the rest of this PING/PONG/+OK line" case, which nats-server also leaves unbounded. Op names are matched
 * case-insensitively as they arrive, so garbage is refused as soon as its first wrong byte is seen; argument lines
 * are bounded by max_control_line while they are still incomplete, so a client that never sends a newline cannot
 * grow our memory. A whole PUB payload is waited for before dispatch (bounded by max_payload, checked on the
 * control line first).
 *
 * <p>Not thread-safe: one parser per connection, used on its event loop.
 */
public final class Parser {
    private static final int NEED_MORE = -1;
    private static final int STOP = -2;
    private static final int MAX_ARGS = 5;
    /** nats-server's parseSize takes at most 9 digits. */
    private static final int MAX_SIZE_DIGITS = 9;

    private enum Op { PUB, HPUB, SUB, UNSUB, CONNECT, INFO, PING, PONG, OK, ERR, RS_PLUS, RS_MINUS, A_PLUS, A_MINUS, RMSG, HMSG }

    /** Gateway RMSG lines carry one argument per queue group; this many is plenty. */
    private static final int MAX_GATEWAY_ARGS = 128;

    private final ProtocolHandler handler;
    private final int maxControlLine;
    private final PubArgs pa = new PubArgs();
    private final boolean gateway;
    private final int maxArgs;
    private final int[] argStart;
    private final int[] argLen;
    /** Non-null while the rest of a PING/PONG/+OK line is being skipped across reads. */
    private Op skipping;
    /**
     * Non-null when a read ended right after an op name and its blanks: those bytes were consumed (so endless blanks
     * cannot grow our memory, as nats-server discards them) and the arguments are parsed when they come.
     */
    private Op resumeArgs;
    /** When auth is required, nats-server refuses anything but CONNECT as the first operation. */
    private boolean connectFirst;
    private boolean stopped;
    private boolean paused;

    public Parser(ProtocolHandler handler, int maxControlLine) {
        this(handler, maxControlLine, false);
    }

    /**
     * @param gateway parse a gateway link: RS+/RS-/A+/A-/RMSG/HMSG instead of the client's PUB/HPUB/SUB/UNSUB, and
     *                no control-line limit (nats-server enforces it for clients only)
     */
    public Parser(ProtocolHandler handler, int maxControlLine, boolean gateway) {
        this.handler = handler;
        this.gateway = gateway;
        this.maxControlLine = gateway ? Integer.MAX_VALUE : maxControlLine;
        this.maxArgs = gateway ? MAX_GATEWAY_ARGS : MAX_ARGS;
        this.argStart = new int[maxArgs];
        this.argLen = new int[maxArgs];
    }

    /** Whether the next operation must be CONNECT (any other first byte is an authorization violation). */
    public void requireConnectFirst(boolean required) { connectFirst = required; }

    /** Stops parsing for good; the connection calls it when it closes. */
    public void stop() { stopped = true; }

    public boolean isStopped() { return stopped; }

    /**
     * Stops after the operation being processed, leaving the rest unread until {@link #resume()} (a publisher over
     * its rate waits with its bytes where they are).
     */
    public void pause() { paused = true; }

    public void resume() { paused = false; }

    public boolean isPaused() { return paused; }

    /**
     * Parses every whole operation in {@code in}, advancing its reader index past them; an incomplete operation at
     * the end stays unread for the next call.
     */
    public void parse(ByteBuf in) {
        while (!stopped && !paused && in.isReadable()) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int n;
            if (skipping != null) {
                n = skipLine(in, start, end);
            } else if (resumeArgs != null) {
                Op op = resumeArgs;
                resumeArgs = null;
                n = args(op, in, start, start, end);
                if (n == NEED_MORE) resumeArgs = op;
            } else {
                n = parseOne(in, start, end);
            }
            if (n == NEED_MORE) return;
            if (n == STOP) {
                stopped = true;
                return;
            }
            in.readerIndex(start + n);
        }
    }

    private int skipLine(ByteBuf in, int start, int end) {
        int nl = in.indexOf(start, end, (byte) '\n');
        if (nl < 0) return end - start; // consume what we have; still skipping
        Op op = skipping;
        skipping = null;
        dispatchSimple(op);
        return nl + 1 - start;
    }

    private void dispatchSimple(Op op) {
        switch (op) {
            case PING -> handler.processPing();
            case PONG -> handler.processPong();
            case OK -> handler.processOk();
            default -> throw new IllegalStateException(op.name());
        }
    }

    /** Returns bytes consumed, NEED_MORE or STOP. */
    private int parseOne(ByteBuf in, int start, int end) {
        byte b0 = in.getByte(start);
        if (connectFirst && (b0 | 0x20) != 'c') {
            handler.protocolError(ParseError.AUTHORIZATION_VIOLATION, "first operation is not CONNECT");
            return STOP;
        }
        if (gateway) return parseGatewayOp(in, b0, start, end);
        switch (b0 | 0x20) {
            case 'p': {
                if (start + 1 >= end) return NEED_MORE;
                int b1 = in.getByte(start + 1) | 0x20;
                if (b1 == 'u') return opWithArgs(Op.PUB, in, start, end, "pub");
                if (b1 == 'i') return simpleOp(Op.PING, in, start, end, "ping");
                if (b1 == 'o') return simpleOp(Op.PONG, in, start, end, "pong");
                return unknown(in, start, end);
            }
            case 'h': return opWithArgs(Op.HPUB, in, start, end, "hpub");
            case 's': return opWithArgs(Op.SUB, in, start, end, "sub");
            case 'u': return opWithArgs(Op.UNSUB, in, start, end, "unsub");
            case 'c': return opWithArgs(Op.CONNECT, in, start, end, "connect");
            case 'i': return opWithArgs(Op.INFO, in, start, end, "info");
            default:
                if (b0 == '+') return simpleOp(Op.OK, in, start, end, "+ok");
                if (b0 == '-') return opWithArgs(Op.ERR, in, start, end, "-err");
                return unknown(in, start, end);
        }
    }

    private int parseGatewayOp(ByteBuf in, byte b0, int start, int end) {
        switch (b0 | 0x20) {
            case 'p': {
                if (start + 1 >= end) return NEED_MORE;
                int b1 = in.getByte(start + 1) | 0x20;
                if (b1 == 'i') return simpleOp(Op.PING, in, start, end, "ping");
                if (b1 == 'o') return simpleOp(Op.PONG, in, start, end, "pong");
                return unknown(in, start, end);
            }
            case 'r': {
                if (start + 1 >= end) return NEED_MORE;
                int b1 = in.getByte(start + 1) | 0x20;
                if (b1 == 'm') return opWithArgs(Op.RMSG, in, start, end, "rmsg");
                if (start + 2 >= end) return NEED_MORE;
                byte b2 = in.getByte(start + 2);
                if (b1 == 's' && b2 == '+') return opWithArgs(Op.RS_PLUS, in, start, end, "rs+");
                if (b1 == 's' && b2 == '-') return opWithArgs(Op.RS_MINUS, in, start, end, "rs-");
                return unknown(in, start, end);
            }
            case 'a': {
                if (start + 1 >= end) return NEED_MORE;
                byte b1 = in.getByte(start + 1);
                if (b1 == '+') return opWithArgs(Op.A_PLUS, in, start, end, "a+");
                if (b1 == '-') return opWithArgs(Op.A_MINUS, in, start, end, "a-");
                return unknown(in, start, end);
            }
            case 'h': return opWithArgs(Op.HMSG, in, start, end, "hmsg");
            case 'c': return opWithArgs(Op.CONNECT, in, start, end, "connect");
            case 'i': return opWithArgs(Op.INFO, in, start, end, "info");
            default:
                if (b0 == '+') return simpleOp(Op.OK, in, start, end, "+ok");
                if (b0 == '-') return opWithArgs(Op.ERR, in, start, end, "-err");
                return unknown(in, start, end);
        }
    }

    /**
     * Matches the op name case-insensitively. Returns the name length, NEED_MORE, or STOP after reporting an unknown
     * operation.
     */
    private int matchName(ByteBuf in, int start, int end, String name) {
        int n = name.length();
        for (int i = 0; i < n; i++) {
            if (start + i >= end) return NEED_MORE;
            int b = in.getByte(start + i);
            char want = name.charAt(i);
            if (want >= 'a' && want <= 'z') b |= 0x20;
            if (b != want) return unknown(in, start, end);
        }
        return n;
    }

    private int simpleOp(Op op, ByteBuf in, int start, int end, String name) {
        int n = matchName(in, start, end, name);
        if (n < 0) return n;
        // nats-server ignores everything after PING/PONG/+OK up to the newline
        int nl = in.indexOf(start + n, end, (byte) '\n');
        if (nl < 0) {
            skipping = op;
            return end - start;
        }
        dispatchSimple(op);
        return nl + 1 - start;
    }

    private int opWithArgs(Op op, ByteBuf in, int start, int end, String name) {
        int n = matchName(in, start, end, name);
        if (n < 0) return n;
        int p = start + n;
        boolean separatorRequired = op != Op.CONNECT && op != Op.INFO;
        if (separatorRequired) {
            if (p >= end) return NEED_MORE;
            byte sep = in.getByte(p);
            if (sep != ' ' && sep != '\t') return unknown(in, start, end);
        }
        return args(op, in, start, p, end);
    }

    /** Parses from just after the op name (and its required separator): blanks, arguments, payload. */
    private int args(Op op, ByteBuf in, int start, int p, int end) {
        while (p < end) {
            byte c = in.getByte(p);
            if (c != ' ' && c != '\t') break;
            p++;
        }
        if (p == end) {
            resumeArgs = op;
            return end - start;
        }
        int argBegin = p;
        int r = line(op, in, start, argBegin, end);
        if (r == NEED_MORE && argBegin > start) {
            // drop the op name and blanks now, so that only the argument line is ever retained
            resumeArgs = op;
            return argBegin - start;
        }
        return r;
    }

    private int line(Op op, ByteBuf in, int start, int argBegin, int end) {
        int nl = in.indexOf(argBegin, end, (byte) '\n');
        if (nl < 0) {
            // a trailing CR may be the line's own; nats-server leaves it out of the limit
            int partial = end - argBegin - (in.getByte(end - 1) == '\r' ? 1 : 0);
            if (partial > maxControlLine) return controlLineExceeded();
            return NEED_MORE;
        }
        int argEnd = nl;
        if (argEnd > argBegin && in.getByte(argEnd - 1) == '\r') argEnd--;
        if (argEnd - argBegin > maxControlLine) return controlLineExceeded();
        int lineLen = nl + 1 - start;
        switch (op) {
            case PUB: return pub(in, start, end, argBegin, argEnd, nl, false);
            case HPUB: return pub(in, start, end, argBegin, argEnd, nl, true);
            case SUB: {
                int argc = split(in, argBegin, nl, true);
                if (argc == 2) {
                    handler.processSub(in, argStart[0], argLen[0], 0, 0, argStart[1], argLen[1]);
                } else if (argc == 3) {
                    handler.processSub(in, argStart[0], argLen[0], argStart[1], argLen[1], argStart[2], argLen[2]);
                } else {
                    return badArgs("processSub Parse Error: wrong number of arguments");
                }
                return lineLen;
            }
            case UNSUB: {
                int argc = split(in, argBegin, argEnd, false);
                if (argc == 1) handler.processUnsub(in, argStart[0], argLen[0], -1);
                else if (argc == 2) handler.processUnsub(in, argStart[0], argLen[0], parseSize(in, argStart[1], argLen[1]));
                else return badArgs("processUnsub Parse Error: wrong number of arguments");
                return lineLen;
            }
            case CONNECT:
                handler.processConnect(in, argBegin, argEnd - argBegin);
                return lineLen;
            case INFO:
                handler.processInfo(in, argBegin, argEnd - argBegin);
                return lineLen;
            case ERR:
                handler.processErr(in, argBegin, argEnd - argBegin);
                return lineLen;
            case RS_PLUS, RS_MINUS:
                handler.processRemoteSub(op == Op.RS_PLUS, in, argBegin, argEnd - argBegin);
                return lineLen;
            case A_PLUS, A_MINUS:
                handler.processAccountInterest(op == Op.A_PLUS, in, argBegin, argEnd - argBegin);
                return lineLen;
            case RMSG: return routedMsg(in, start, end, argBegin, argEnd, nl, false);
            case HMSG: return routedMsg(in, start, end, argBegin, argEnd, nl, true);
            default:
                throw new IllegalStateException(op.name());
        }
    }

    private int pub(ByteBuf in, int start, int end, int argBegin, int argEnd, int nl, boolean headers) {
        int argc = split(in, argBegin, argEnd, false);
        PubArgs a = pa;
        a.replyOffset = 0;
        a.replyLength = 0;
        int sizeArg;
        if (headers) {
            if (argc != 3 && argc != 4) return badArgs("processHeaderPub Parse Error: wrong number of arguments");
            sizeArg = argc - 1;
            a.headerTokenOffset = argStart[argc - 2];
            a.headerTokenLength = argLen[argc - 2];
            a.headerSize = parseSize(in, a.headerTokenOffset, a.headerTokenLength);
            if (a.headerSize < 0) return badArgs("processHeaderPub Bad or Missing Header Size");
        } else {
            if (argc != 2 && argc != 3) return badArgs("processPub Parse Error: wrong number of arguments");
            sizeArg = argc - 1;
            a.headerSize = -1;
            a.headerTokenOffset = 0;
            a.headerTokenLength = 0;
        }
        a.subjectOffset = argStart[0];
        a.subjectLength = argLen[0];
        if ((headers && argc == 4) || (!headers && argc == 3)) {
            a.replyOffset = argStart[1];
            a.replyLength = argLen[1];
        }
        a.totalTokenOffset = argStart[sizeArg];
        a.totalTokenLength = argLen[sizeArg];
        a.totalSize = parseSize(in, a.totalTokenOffset, a.totalTokenLength);
        if (a.totalSize < 0) return badArgs(headers ? "processHeaderPub Bad or Missing Total Size" : "processPub Bad or Missing Size");
        if (headers && a.headerSize > a.totalSize) return badArgs("processHeaderPub Header Size larger then TotalSize");
        if (!handler.processPubArgs(in, a)) return STOP;
        int payload = nl + 1;
        // the payload and its CRLF must all be here; int overflow impossible: totalSize <= 999,999,999
        if ((long) end - payload < (long) a.totalSize + 2) return NEED_MORE;
        int after = payload + a.totalSize;
        if (in.getByte(after) != '\r' || in.getByte(after + 1) != '\n') return unknown(in, start, end);
        a.payloadOffset = payload;
        handler.processMsg(in, a);
        return after + 2 - start;
    }

    /**
     * {@code RMSG <acc> <subject> [<reply> | + <reply> <q>… | | <q>…] <size>} and the HMSG form with
     * {@code <hdr> <total>} (nats-server's processRoutedMsgArgs).
     */
    private int routedMsg(ByteBuf in, int start, int end, int argBegin, int argEnd, int nl, boolean headers) {
        int argc = split(in, argBegin, argEnd, false);
        int sizes = headers ? 2 : 1;
        if (argc > maxArgs || argc < 2 + sizes) return badArgs("processRoutedMsgArgs Parse Error: wrong number of arguments");
        PubArgs a = pa;
        a.accountOffset = argStart[0];
        a.accountLength = argLen[0];
        a.subjectOffset = argStart[1];
        a.subjectLength = argLen[1];
        a.replyOffset = 0;
        a.replyLength = 0;
        a.queueCount = 0;
        int middle = argc - 2 - sizes;
        if (middle == 1) {
            a.replyOffset = argStart[2];
            a.replyLength = argLen[2];
        } else if (middle > 1) {
            boolean plus = argLen[2] == 1 && in.getByte(argStart[2]) == '+';
            boolean bar = argLen[2] == 1 && in.getByte(argStart[2]) == '|';
            if (!plus && !bar) return badArgs("processRoutedMsgArgs Bad or Missing Reply Indicator");
            int q = 3;
            if (plus) {
                a.replyOffset = argStart[3];
                a.replyLength = argLen[3];
                q = 4;
            }
            int n = argc - sizes - q;
            if (a.queueOffsets.length < n) {
                a.queueOffsets = new int[n];
                a.queueLengths = new int[n];
            }
            for (int i = 0; i < n; i++) {
                a.queueOffsets[i] = argStart[q + i];
                a.queueLengths[i] = argLen[q + i];
            }
            a.queueCount = n;
        }
        if (headers) {
            a.headerTokenOffset = argStart[argc - 2];
            a.headerTokenLength = argLen[argc - 2];
            a.headerSize = parseSize(in, a.headerTokenOffset, a.headerTokenLength);
            if (a.headerSize < 0) return badArgs("processRoutedHeaderMsgArgs Bad or Missing Header Size");
        } else {
            a.headerSize = -1;
        }
        a.totalTokenOffset = argStart[argc - 1];
        a.totalTokenLength = argLen[argc - 1];
        a.totalSize = parseSize(in, a.totalTokenOffset, a.totalTokenLength);
        if (a.totalSize < 0 || (headers && a.headerSize > a.totalSize)) return badArgs("processRoutedMsgArgs Bad or Missing Size");
        if (!handler.processRoutedMsgArgs(in, a)) return STOP;
        int payload = nl + 1;
        if ((long) end - payload < (long) a.totalSize + 2) return NEED_MORE;
        int after = payload + a.totalSize;
        if (in.getByte(after) != '\r' || in.getByte(after + 1) != '\n') return unknown(in, start, end);
        a.payloadOffset = payload;
        handler.processRoutedMsg(in, a);
        return after + 2 - start;
    }

    /** Splits on spaces and tabs (and CR/LF for SUB, as nats-server does); returns the count, capped at MAX_ARGS. */
    private int split(ByteBuf in, int from, int to, boolean crlfSeparates) {
        int argc = 0;
        int tokenStart = -1;
        for (int i = from; i < to; i++) {
            byte c = in.getByte(i);
            boolean sep = c == ' ' || c == '\t' || (crlfSeparates && (c == '\r' || c == '\n'));
            if (sep) {
                if (tokenStart >= 0) {
                    if (argc == maxArgs) return maxArgs + 1;
                    argStart[argc] = tokenStart;
                    argLen[argc++] = i - tokenStart;
                    tokenStart = -1;
                }
            } else if (tokenStart < 0) {
                tokenStart = i;
            }
        }
        if (tokenStart >= 0) {
            if (argc == maxArgs) return maxArgs + 1;
            argStart[argc] = tokenStart;
            argLen[argc++] = to - tokenStart;
        }
        return argc;
    }

    /** nats-server's parseSize: 1 to 9 ASCII digits, else -1. */
    public static int parseSize(ByteBuf in, int offset, int length) {
        if (length == 0 || length > MAX_SIZE_DIGITS) return -1;
        int n = 0;
        for (int i = 0; i < length; i++) {
            int d = in.getByte(offset + i) - '0';
            if (d < 0 || d > 9) return -1;
            n = n * 10 + d;
        }
        return n;
    }

    private int unknown(ByteBuf in, int start, int end) {
        handler.protocolError(ParseError.UNKNOWN_OPERATION, snippet(in, start, end));
        return STOP;
    }

    private int controlLineExceeded() {
        handler.protocolError(ParseError.MAX_CONTROL_LINE, "maximum control line exceeded");
        return STOP;
    }

    private int badArgs(String detail) {
        handler.protocolError(ParseError.BAD_ARGUMENTS, detail);
        return STOP;
    }

    /** Up to 32 bytes of the offending input for logs, as nats-server's protoSnippet quotes it. */
    private static String snippet(ByteBuf in, int start, int end) {
        int n = Math.min(32, end - start);
        StringBuilder sb = new StringBuilder(n + 2).append('"');
        for (int i = 0; i < n; i++) {
            int c = in.getByte(start + i) & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.append('"').toString();
    }
}
