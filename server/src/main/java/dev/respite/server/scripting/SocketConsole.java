package dev.respite.server.scripting;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private final FileDescriptor fd;
    private final BooleanSupplier stopping;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1024);
    private boolean gone;

    private SocketConsole(FileDescriptor fd, BooleanSupplier stopping) {
        this.fd = fd;
        this.stopping = stopping;
    }

    /** A console on {@code channel}, or null when this connection cannot be read directly. */
    static SocketConsole of(Channel channel, BooleanSupplier stopping) {
        if (!(channel instanceof AbstractEpollStreamChannel epoll)
                || !channel.isActive()
                || channel.pipeline().get(SslHandler.class) != null) {
            return null;
        }
        if (!channel.eventLoop().inEventLoop()) {
            // An I/O thread serves this connection (io-threads): it stops reading, so that only the debugger does.
            try {
                channel.eventLoop()
                        .submit(() -> channel.config().setAutoRead(false))
                        .get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return new SocketConsole(epoll.fd(), stopping);
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
