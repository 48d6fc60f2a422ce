package dev.eventbus.broker.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A real ProtocolHandler that writes down every call as text, for parser tests without sockets. */
final class RecordingHandler implements ProtocolHandler {
    final List<String> events = new ArrayList<>();
    int maxPayload = Integer.MAX_VALUE;

    private static String s(ByteBuf b, int off, int len) {
        return b.toString(off, len, StandardCharsets.UTF_8);
    }

    @Override public void processConnect(ByteBuf b, int o, int l) { events.add("CONNECT " + s(b, o, l)); }
    @Override public void processInfo(ByteBuf b, int o, int l) { events.add("INFO " + s(b, o, l)); }

    @Override
    public boolean processPubArgs(ByteBuf b, PubArgs a) { return withinMaxPayload(a); }

    private boolean withinMaxPayload(PubArgs a) {
        if (a.totalSize > maxPayload) {
            events.add("MAX_PAYLOAD");
            return false;
        }
        return true;
    }

    @Override
    public void processMsg(ByteBuf b, PubArgs a) {
        String op = a.headerSize >= 0 ? "HPUB" : "PUB";
        events.add(op + " " + s(b, a.subjectOffset, a.subjectLength)
                + (a.hasReply() ? " reply=" + s(b, a.replyOffset, a.replyLength) : "")
                + (a.headerSize >= 0 ? " hdr=" + a.headerSize : "")
                + " size=" + a.totalSize + " token=" + s(b, a.totalTokenOffset, a.totalTokenLength)
                + " [" + s(b, a.payloadOffset, a.totalSize) + "]");
    }

    @Override
    public void processSub(ByteBuf b, int so, int sl, int qo, int ql, int io, int il) {
        events.add("SUB " + s(b, so, sl) + (ql == 0 ? "" : " q=" + s(b, qo, ql)) + " sid=" + s(b, io, il));
    }

    @Override public void processUnsub(ByteBuf b, int io, int il, int max) { events.add("UNSUB " + s(b, io, il) + " max=" + max); }
    @Override public void processPing() { events.add("PING"); }
    @Override public void processPong() { events.add("PONG"); }
    @Override public void processOk() { events.add("+OK"); }
    @Override public void processErr(ByteBuf b, int o, int l) { events.add("-ERR " + s(b, o, l)); }
    @Override public void protocolError(ParseError e, String detail) { events.add("ERROR " + e); }

    // ---- gateway ops ----

    /** How often a routed message's control line was handed over (each time the parser looked at it again). */
    int routedArgsCalls;

    @Override public void processRemoteSub(boolean add, ByteBuf b, int o, int l) { events.add((add ? "RS+ " : "RS- ") + s(b, o, l)); }

    @Override
    public boolean processRoutedMsgArgs(ByteBuf b, PubArgs a) {
        routedArgsCalls++;
        return withinMaxPayload(a);
    }

    @Override
    public void processRoutedMsg(ByteBuf b, PubArgs a) {
        events.add("RMSG " + s(b, a.subjectOffset, a.subjectLength) + " size=" + a.totalSize);
    }
}
