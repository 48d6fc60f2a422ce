package dev.eventbus.broker.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import dev.eventbus.broker.TlsOptions;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Netty end of a client connection: keeps the bytes of an unfinished operation between reads, hands the
 * rest to the parser, and flushes once per read batch. All protocol logic lives in {@link ClientConnection}.
 */
final class ClientChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientChannelHandler.class);

    private final Server server;
    private ClientConnection conn;
    private ByteBuf cumulation;

    ClientChannelHandler(Server server) { this.server = server; }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        conn = server.accept(ctx.channel());
        TlsOptions tls = server.options().tls();
        if (tls != null && !conn.isClosed()) {
            // INFO has gone out in plaintext; everything after it is TLS, as nats-server 2.9 does it
            long timeout = tls.timeout().toMillis();
            if (tls.sni() != null) {
                ctx.pipeline().addFirst(new SniHandler(tls.sni(), timeout));
            } else {
                SslHandler h = tls.context().get().newHandler(ctx.alloc());
                h.setHandshakeTimeoutMillis(timeout);
                ctx.pipeline().addFirst(h);
            }
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                conn.tlsHandshakeDone(ctx.pipeline().get(SslHandler.class));
            } else {
                log.debug("cid {}: TLS handshake failed: {}", conn.cid(), e.cause().toString());
                conn.close(ClosedState.TLS_HANDSHAKE_ERROR);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (conn.isClosed()) {
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
        conn.onReadComplete();
        conn.loopContext().flushPending();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) server.watchWriteDeadline(conn);
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof javax.net.ssl.SSLException) {
            log.debug("cid {}: TLS error: {}", conn == null ? -1 : conn.cid(), cause.getCause().toString());
            if (conn != null) conn.close(ClosedState.TLS_HANDSHAKE_ERROR);
            else ctx.close();
            return;
        }
        if (!(cause instanceof IOException)) log.warn("cid {}: unexpected error", conn == null ? -1 : conn.cid(), cause);
        if (conn != null) conn.close(ClosedState.READ_ERROR);
        else ctx.close();
    }
}
