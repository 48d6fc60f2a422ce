package dev.eventbus.broker.server;

import io.netty.channel.ChannelHandlerContext;

/** A gateway link's handler. With TLS (handshake first, before any protocol byte) the link starts on handshake. */
final class GatewayChannelHandler extends ConnectionChannelHandler {
    private final Gateways gateways;
    private final boolean outbound;
    private final String remoteName;
    private final boolean tls;

    GatewayChannelHandler(Gateways gateways, boolean outbound, String remoteName, boolean tls) {
        this.gateways = gateways;
        this.outbound = outbound;
        this.remoteName = remoteName;
        this.tls = tls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        GatewayConnection c = gateways.newConnection(ctx.channel(), outbound, remoteName);
        conn = c;
        if (!tls) c.start();
        ctx.fireChannelActive();
    }
}
