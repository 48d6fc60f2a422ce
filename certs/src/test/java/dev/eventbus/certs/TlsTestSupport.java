package dev.eventbus.certs;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;

/** A real TLS echo server and client on loopback sockets (Netty NIO), for handshake tests. */
final class TlsTestSupport {
    static final int TIMEOUT_SECONDS = 10;

    private TlsTestSupport() {}

    static EventLoopGroup group() {
        return new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    /** What the server saw of one connection's handshake. */
    record ServerHandshake(boolean success, String peerSubject, Throwable cause) {}

    /** An echo server on 127.0.0.1; {@code firstHandler} makes the TLS handler (SslHandler or SniHandler) per connection. */
    static final class EchoServer implements AutoCloseable {
        final Channel channel;
        final BlockingQueue<ServerHandshake> handshakes = new LinkedBlockingQueue<>();

        EchoServer(EventLoopGroup group, Function<SocketChannel, ChannelHandler> firstHandler) throws InterruptedException {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(firstHandler.apply(ch), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    if (evt instanceof SslHandshakeCompletionEvent e) {
                                        if (e.isSuccess()) {
                                            String subject = null;
                                            try {
                                                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                                                subject = ((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0])
                                                        .getSubjectX500Principal().getName();
                                            } catch (SSLPeerUnverifiedException ignored) {
                                                // server without client auth
                                            }
                                            handshakes.add(new ServerHandshake(true, subject, null));
                                        } else {
                                            handshakes.add(new ServerHandshake(false, null, e.cause()));
                                        }
                                    }
                                    ctx.fireUserEventTriggered(evt);
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(msg);
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close();
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        ServerHandshake nextHandshake() throws InterruptedException {
            ServerHandshake h = handshakes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (h == null) throw new AssertionError("the server saw no handshake within " + TIMEOUT_SECONDS + " s");
            return h;
        }

        @Override
        public void close() throws InterruptedException {
            channel.close().sync();
        }
    }

    /** A TLS client connection that collects what it receives. */
    static final class EchoClient implements AutoCloseable {
        final Channel channel;
        final SslHandler ssl;
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        EchoClient(EventLoopGroup group, int port, SslContext ctx, String host) throws InterruptedException {
            SslHandler[] holder = new SslHandler[1];
            channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            holder[0] = ctx.newHandler(ch.alloc(), host, port);
                            ch.pipeline().addLast(holder[0], new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext c, Object msg) {
                                    ByteBuf b = (ByteBuf) msg;
                                    try {
                                        received.add(b.toString(StandardCharsets.US_ASCII));
                                    } finally {
                                        b.release();
                                    }
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                                    c.close();
                                }
                            });
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            ssl = holder[0];
        }

        /** Whether the client-side handshake succeeded (false: failed or timed out). */
        boolean handshake() {
            return ssl.handshakeFuture().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS) && ssl.handshakeFuture().isSuccess();
        }

        Throwable handshakeCause() {
            ssl.handshakeFuture().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return ssl.handshakeFuture().cause();
        }

        /** Sends text and waits for it to come back; null if it does not within the timeout. */
        String echo(String text) throws InterruptedException {
            channel.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
            StringBuilder sb = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (sb.length() < text.length()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                String part = received.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (part != null) sb.append(part);
                else if (!channel.isActive() && received.isEmpty()) return null;
            }
            return sb.toString();
        }

        /** Whether the connection got closed (by the peer) within the timeout. */
        boolean closedByPeer() {
            return channel.closeFuture().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        X509Certificate peerCertificate() throws SSLPeerUnverifiedException {
            return (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
        }

        String protocol() {
            return ssl.engine().getSession().getProtocol();
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
