package dev.eventbus.broker.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Netty end of any connection: keeps the bytes of an unfinished operation between reads, hands the rest
 * to the connection's parser, and lets the loop flush once per read batch. Protocol logic lives in the
 * {@link Connection}; subclasses only say how the connection is created.
 */
abstract class ConnectionChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionChannelHandler.class);

    /** Enough for any ordinary split operation: a control line and a payload of a few KiB. */
    private static final int SPLIT_PREFETCH = 8192;

    Connection conn;
    private ByteBuf cumulation;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (conn == null || conn.isClosed()) {
            in.release();
            return;
        }
        conn.onRead();
        ByteBuf buf = in;
        if (cumulation != null) {
            if (cumulation.readableBytes() <= SPLIT_PREFETCH) {
                buf = finishSplitFrame(ctx, in);
                if (buf == null) return;
            } else {
                // a large payload is arriving: append (amortised) until it is whole
                buf = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
                cumulation = null;
            }
        }
        if (!parse(buf)) return;
        if (buf.isReadable() && !conn.isClosed()) {
            int tail = buf.readableBytes();
            if (tail <= SPLIT_PREFETCH) {
                // keep a small unfinished operation in a buffer of its size, not the whole read buffer
                cumulation = ctx.alloc().buffer(tail).writeBytes(buf);
                buf.release();
            } else {
                // drop the bytes already parsed, or the buffer grows with every read; not while payload slices
                // still point into it (the cumulator then copies)
                if (buf.refCnt() == 1) buf.discardSomeReadBytes();
                cumulation = buf;
            }
        } else {
            buf.release();
        }
    }

    /** Parses; false (with {@code buf} released) when the connection closed. */
    private boolean parse(ByteBuf buf) {
        try {
            conn.parser().parse(buf);
        } catch (RuntimeException e) {
            log.warn("cid {}: internal error while parsing, closing", conn.cid(), e);
            conn.close(ClosedState.PARSE_ERROR);
        }
        if (conn.isClosed()) {
            buf.release();
            return false;
        }
        return true;
    }

    /**
     * The previous read ended inside an operation. Rather than copying the whole new read behind the kept bytes
     * (a full extra copy of the stream when reads end mid-message, as they do with 1 KiB messages), copy only the
     * kept bytes and the start of the new read into a small buffer, finish the split operation there, and go on
     * parsing the new read in place. Falls back to merging when the split operation is larger than the prefetch.
     *
     * @return the buffer to parse next (the new read, advanced), or null when the connection closed
     */
    private ByteBuf finishSplitFrame(ChannelHandlerContext ctx, ByteBuf in) {
        ByteBuf kept = cumulation;
        cumulation = null;
        int leftover = kept.readableBytes();
        int take = Math.min(in.readableBytes(), SPLIT_PREFETCH);
        ByteBuf head = ctx.alloc().buffer(leftover + take);
        head.writeBytes(kept);
        kept.release();
        head.writeBytes(in, in.readerIndex(), take);
        if (!parse(head)) {
            in.release();
            return null;
        }
        if (head.readerIndex() >= leftover) {
            // the split operation is done: what head parsed past it is the start of `in`, parsed already
            in.skipBytes(head.readerIndex() - leftover);
            head.release();
            return in;
        }
        head.writerIndex(leftover); // still inside the kept bytes: keep them, drop the prefetched copy, merge
        return ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), head, in);
    }

    /** Parses what was kept while the parser was paused, as if it had just been read, then ends the batch. */
    final void resumeParsing(ChannelHandlerContext ctx) {
        channelRead(ctx, io.netty.buffer.Unpooled.EMPTY_BUFFER);
        channelReadComplete(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (conn == null) return;
        conn.onReadComplete();
        conn.loopContext().flushPending();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && conn != null) {
            if (e.isSuccess()) {
                conn.tlsHandshakeDone(ctx.pipeline().get(SslHandler.class));
            } else {
                // the client is only told by the TLS alert; the operator gets the reason
                log.info("cid {} {}: TLS handshake failed: {}", conn.cid(), ctx.channel().remoteAddress(), rootMessage(e.cause()));
                conn.close(ClosedState.TLS_HANDSHAKE_ERROR);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (conn != null && !ctx.channel().isWritable()) conn.server.watchWriteDeadline(conn);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (conn != null) conn.close(ClosedState.CLIENT_CLOSED);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        return r.getClass().getSimpleName() + ": " + r.getMessage();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        long cid = conn == null ? -1 : conn.cid();
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            log.info("cid {} {}: TLS error: {}", cid, ctx.channel().remoteAddress(), rootMessage(cause));
            if (conn != null) conn.close(ClosedState.TLS_HANDSHAKE_ERROR);
            else ctx.close();
            return;
        }
        if (!(cause instanceof IOException)) log.warn("cid {}: unexpected error", cid, cause);
        if (conn != null) conn.close(ClosedState.READ_ERROR);
        else ctx.close();
    }
}
