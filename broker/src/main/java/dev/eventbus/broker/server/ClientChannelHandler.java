package dev.eventbus.broker.server;

import dev.eventbus.broker.TlsOptions;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslHandler;

/** A client connection's handler: INFO goes out in plaintext on accept, then TLS when configured. */
final class ClientChannelHandler extends ConnectionChannelHandler {
    private final Server server;

    ClientChannelHandler(Server server) { this.server = server; }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ClientConnection c = server.accept(ctx.channel());
        conn = c;
        TlsOptions tls = server.options().tls();
        if (tls != null && !c.isClosed()) {
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
}
