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
        ByteBuf buf = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        cumulation = null;
        try {
            conn.parser().parse(buf);
        } catch (RuntimeException e) {
            log.warn("cid {}: internal error while parsing, closing", conn.cid(), e);
            conn.close(ClosedState.PARSE_ERROR);
        }
        if (buf.isReadable() && !conn.isClosed()) {
            // keep the unfinished operation. Drop the bytes already parsed, or the buffer grows with every read
            // that ends mid-message; not while payload slices still point into it (the cumulator then copies).
            if (buf.refCnt() == 1) buf.discardSomeReadBytes();
            cumulation = buf;
        } else {
            buf.release();
        }
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
