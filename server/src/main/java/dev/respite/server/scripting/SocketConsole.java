package dev.respite.server.scripting;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The debugging client's socket, read and written by the keyspace thread itself while the script is stopped,
 * as Redis's debugger does with its blocking connection: the server waits for the session. Only plain
 * sockets of the epoll transport qualify: not TLS, not io_uring (whose reads are queued in the kernel ahead
 * of time) and not NIO.
 */
final class SocketConsole implements DebugConsole {
    private static final long POLL_NANOS = 1_000_000L;
    /** How long a write may wait for the client to take its output (Redis's debugger send timeout). */
    private static final long WRITE_TIMEOUT_NANOS = 5_000_000_000L;

    private final Channel channel;
    private final FileDescriptor fd;
    private final EventLoop ioThread;
    private final BooleanSupplier stopping;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1024);
    private boolean gone;

    private SocketConsole(Channel channel, FileDescriptor fd, EventLoop ioThread, BooleanSupplier stopping) {
        this.channel = channel;
        this.fd = fd;
        this.ioThread = ioThread;
        this.stopping = stopping;
    }

    /** A console on {@code channel}, or null when this connection cannot be read directly. */
    static SocketConsole of(Channel channel, BooleanSupplier stopping) {
        if (!(channel instanceof AbstractEpollStreamChannel epoll)
                || !channel.isActive()
                || channel.pipeline().get(SslHandler.class) != null) {
            return null;
        }
        EventLoop ioThread = null;
        if (!channel.eventLoop().inEventLoop()) {
            // An I/O thread serves this connection (io-threads): the connection leaves its loop for the session,
            // so that it neither reads the debugger's input nor closes the socket under it.
            ioThread = channel.eventLoop();
            if (!await(channel.deregister())) {
                return null;
            }
        }
        return new SocketConsole(channel, epoll.fd(), ioThread, stopping);
    }

    /** At the end of the session: a connection taken from its I/O thread goes back to it. */
    void release() {
        if (ioThread != null) {
            await(ioThread.register(channel));
        }
    }

    private static boolean await(ChannelFuture f) {
        try {
            return f.await(5, TimeUnit.SECONDS) && f.isSuccess();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public int read(byte[] into) {
        // A server asked to stop ends the wait as a client that left would: the script runs to its end.
        while (!gone && !stopping.getAsBoolean()) {
            try {
                buffer.clear();
                int n = fd.read(buffer, 0, Math.min(into.length, buffer.capacity()));
                if (n > 0) {
                    buffer.get(0, into, 0, n);
                    return n;
                }
                if (n < 0) {
                    gone = true;
                    break;
                }
            } catch (IOException e) {
                gone = true;
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return -1;
    }

    @Override
    public void write(byte[] data) {
        if (gone) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocateDirect(data.length).put(data).flip();
        long deadline = System.nanoTime() + WRITE_TIMEOUT_NANOS;
        try {
            while (out.hasRemaining()) {
                int n = fd.write(out, out.position(), out.limit());
                if (n > 0) {
                    out.position(out.position() + n);
                } else if (System.nanoTime() > deadline) {
                    gone = true;
                    return;
                } else {
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
        } catch (IOException e) {
            gone = true;
        }
    }
}
