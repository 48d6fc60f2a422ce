package dev.eventbus.broker.server;

import dev.eventbus.broker.BrokerOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Client connections of a real {@link Server} on Netty's {@code EmbeddedChannel}, without sockets: each channel is
 * one client on an event loop of its own, a {@link #read} is one read batch (channelRead, then channelReadComplete,
 * as a socket read delivers it), and {@link #written} drains what the broker wrote to it.
 */
final class EmbeddedWire {
    final Server server;

    EmbeddedWire(BrokerOptions options) {
        this.server = new Server(options);
    }

    /**
     * {@code n} connected clients (INFO already sent). Every loop is adopted before any client is accepted, because a
     * connection sizes its per-loop staging slots when it is created.
     */
    EmbeddedChannel[] clients(int n) throws Exception {
        EmbeddedChannel[] chs = new EmbeddedChannel[n];
        for (int i = 0; i < n; i++) {
            int port = 40000 + i;
            chs[i] = new EmbeddedChannel(false, true, new ClientChannelHandler(server)) {
                @Override
                protected SocketAddress remoteAddress0() {
                    return isActive() ? new InetSocketAddress("127.0.0.1", port) : null;
                }
            };
            server.adoptLoop(loopOf(chs[i]));
        }
        for (EmbeddedChannel ch : chs) ch.register();
        return chs;
    }

    /** The loop an unregistered EmbeddedChannel will run on (it is only reachable once registered otherwise). */
    private static EventLoop loopOf(EmbeddedChannel ch) throws ReflectiveOperationException {
        Field f = EmbeddedChannel.class.getDeclaredField("loop");
        f.setAccessible(true);
        return (EventLoop) f.get(ch);
    }

    /** One read batch carrying these bytes. */
    static void read(EmbeddedChannel ch, String... reads) {
        Object[] bufs = new Object[reads.length];
        for (int i = 0; i < reads.length; i++) bufs[i] = Unpooled.copiedBuffer(reads[i], StandardCharsets.ISO_8859_1);
        ch.writeInbound(bufs);
    }

    /** Everything written to this client so far (after running tasks handed to its loop), as text. */
    static String written(EmbeddedChannel ch) {
        ch.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }
}
