package dev.eventbus.broker.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
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
        ctx.fireChannelActive();
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
            // keep the unfinished operation; retained payload slices make the cumulator copy rather than overwrite
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
        if (!(cause instanceof IOException)) log.warn("cid {}: unexpected error", conn == null ? -1 : conn.cid(), cause);
        if (conn != null) conn.close(ClosedState.READ_ERROR);
        else ctx.close();
    }
}
