package dev.eventbus.broker.monitor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * nats-server's HTTP monitoring listener ({@code http_host:http_port}) on Netty: {@code /}, {@code /varz},
 * {@code /connz}, {@code /subsz} (alias {@code /subscriptionsz}) and {@code /healthz}; anything else is Go's
 * {@code 404 page not found}. It runs on the caller's event loops (the broker shares its own), and never blocks
 * them for long: every answer is computed from an in-memory snapshot.
 *
 * <pre>{@code
 * MonitorHttpServer http = new MonitorHttpServer(new Monitor(source), "0.0.0.0", 8222, group, NioServerSocketChannel.class);
 * int port = http.start();
 * ...
 * http.stop();
 * }</pre>
 */
public final class MonitorHttpServer {
    /** Requests are query strings; anything bigger is not a monitoring request (Netty answers 413). */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final String host;
    private final int port;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelClass;
    private final MonitorHttpHandler handler;
    private final ChannelGroup channels = new DefaultChannelGroup("monitor-http", GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    /**
     * @param port 0 picks a free port; {@link #start()} tells which
     * @param group serves both the listener and the accepted connections; not shut down by {@link #stop()}
     * @param channelClass a server channel class matching {@code group} (NIO or epoll)
     */
    public MonitorHttpServer(Monitor monitor, String host, int port, EventLoopGroup group,
                             Class<? extends ServerChannel> channelClass) {
        this.handler = new MonitorHttpHandler(Objects.requireNonNull(monitor, "monitor"));
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.group = Objects.requireNonNull(group, "group");
        this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
    }

    /**
     * Binds and starts serving. Must not be called on an event loop thread (it waits for the bind).
     *
     * @return the port bound
     * @throws IllegalStateException if already started, or the address cannot be bound (e.g. the port is in use);
     *                               the message names the address and the cause
     */
    public synchronized int start() {
        if (serverChannel != null) throw new IllegalStateException("monitoring already started on " + address());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                // like Go's listeners, so a restart does not wait for TIME_WAIT sockets of the previous run
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast("monitor", handler);
                    }
                });
        ChannelFuture bind = b.bind(host, port).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            Throwable cause = bind.cause();
            throw new IllegalStateException("can't listen to the monitor port " + host + ":" + port + ": "
                    + (cause == null ? "bind failed" : cause.getMessage()), cause);
        }
        serverChannel = bind.channel();
        channels.add(serverChannel);
        return boundPort();
    }

    /** The port bound, or -1 when not started. */
    public synchronized int boundPort() {
        if (serverChannel == null) return -1;
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Closes the listener and every open monitoring connection, and waits for that. Idempotent. */
    public synchronized void stop() {
        if (serverChannel == null) return;
        channels.close().awaitUninterruptibly();
        serverChannel = null;
    }

    private String address() { return host + ":" + boundPort(); }
}
