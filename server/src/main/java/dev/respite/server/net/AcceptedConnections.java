package dev.respite.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.bootstrap.ServerBootstrapConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Connections the listeners accepted, on their way to the keyspace thread. Netty would register each one with a
 * task on the keyspace loop, and that task cannot run while a script keeps the thread busy, so a client connecting
 * then to send SCRIPT KILL would wait for the script it wants to kill. Here they queue instead, and the keyspace
 * thread takes them in from either place: a task of its loop, or {@link BusyResponder} while a script runs.
 */
public final class AcceptedConnections {
    private record Accepted(Channel child, ServerBootstrapConfig from) {}

    private final EventLoop keyspace;
    private final Queue<Accepted> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean taskPending = new AtomicBoolean();
    private final Runnable takeTask = () -> {
        taskPending.set(false);
        takeIn();
    };

    public AcceptedConnections(EventLoop keyspace) {
        this.keyspace = keyspace;
    }

    /**
     * Makes the listeners of {@code b} hand their connections here, in place of Netty's own registration: the
     * handler sits before it on the listening channel and does not pass the connection on.
     */
    public ServerBootstrap routeThroughQueue(ServerBootstrap b) {
        ServerBootstrapConfig config = b.config();
        return b.handler(new Gate(config));
    }

    /** On the keyspace thread: registers every queued connection as Netty's acceptor would have. */
    public void takeIn() {
        Accepted a;
        while ((a = queue.poll()) != null) {
            Channel child = a.child();
            child.pipeline().addLast(a.from().childHandler());
            for (Map.Entry<ChannelOption<?>, Object> option :
                    a.from().childOptions().entrySet()) {
                setOption(child, option.getKey(), option.getValue());
            }
            a.from().childGroup().register(child).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    child.unsafe().closeForcibly();
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void setOption(Channel child, ChannelOption<T> option, Object value) {
        child.config().setOption(option, (T) value);
    }

    @ChannelHandler.Sharable
    private final class Gate extends ChannelInboundHandlerAdapter {
        private final ServerBootstrapConfig from;

        Gate(ServerBootstrapConfig from) {
            this.from = from;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            queue.add(new Accepted((Channel) msg, from));
            if (taskPending.compareAndSet(false, true)) {
                keyspace.execute(takeTask);
            }
        }
    }
}
