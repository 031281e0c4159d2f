package dev.respite.server.net;

import dev.respite.protocol.CommandSink;
import dev.respite.protocol.ProtocolException;
import dev.respite.protocol.RespDecoder;
import dev.respite.server.RespiteServer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The Netty end of one connection whose socket lives on an I/O thread (io-threads N > 1): the socket reads,
 * TLS and request decoding happen here; each read batch's commands then run on the keyspace thread, in one
 * task, through the same {@link ClientHandler} methods a keyspace-thread connection uses. Replies are written
 * by the keyspace thread and reach the socket through Netty, which hands the write back to this thread.
 *
 * <p>Decoding runs ahead of execution, except where a command can change how the next one must be decoded:
 * until the keyspace thread has admitted the connection, nothing is decoded, and while it is not logged in
 * (so held to the unauthenticated size limits) one command is decoded at a time, the rest waiting until that
 * command has run.
 */
public final class IoThreadHandler extends ChannelInboundHandlerAdapter {
    private final RespiteServer server;
    private final EventLoop keyspace;
    private final ClientHandler session;
    private final RespDecoder decoder;
    private final CommandSink sink = this::add;

    // State of this I/O thread only.
    private ChannelHandlerContext ctx;
    private List<byte[][]> batch = new ArrayList<>();
    private int batchBytes;
    /** Bytes read but not decoded while waiting for the keyspace thread. */
    private ByteBuf held;
    /** Decoding waits for the keyspace thread; exactly one task on its way will call {@link #resume}. */
    private boolean waiting = true;
    /** The next task submitted carries the command decoding waits on, so it must call {@link #resume}. */
    private boolean resumeOwed;
    /** Decoding has ended for good: protocol error, query buffer limit, or closed. */
    private boolean done;

    private String failure;
    private boolean overLimit;

    public IoThreadHandler(RespiteServer server, EventLoop keyspace) {
        this.server = server;
        this.keyspace = keyspace;
        this.session = new ClientHandler(server);
        this.decoder = session.decoder();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        keyspace.execute(() -> {
            session.open(ctx.channel());
            ctx.executor().execute(this::resume);
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (done) {
            in.release();
            return;
        }
        batchBytes += in.readableBytes();
        if (waiting) {
            held = held == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), held, in);
            if (held.readableBytes() > server.config().clientQueryBufferLimit) {
                overLimit = true;
                finish();
            }
            return;
        }
        decodeAndKeep(in);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        submit();
    }

    /** Decodes what {@code in} holds; keeps the rest when decoding stops early, else releases it. */
    private void decodeAndKeep(ByteBuf in) {
        try {
            decoder.decode(in, sink);
            if (decoder.pendingBytes() > server.config().clientQueryBufferLimit) {
                overLimit = true;
                finish();
            }
        } catch (ProtocolException e) {
            failure = e.getMessage();
            finish();
        }
        if (in.isReadable() && !done) {
            held = in;
        } else {
            in.release();
        }
    }

    private boolean add(byte[][] args) {
        batch.add(args);
        if (decoder.authenticated()) {
            return true;
        }
        waiting = true;
        resumeOwed = true;
        return false;
    }

    private void finish() {
        done = true;
        if (held != null) {
            held.release();
            held = null;
        }
    }

    /** Hands the commands decoded in this read batch to the keyspace thread. */
    private void submit() {
        boolean nothingDecoded = batch.isEmpty() && failure == null && !overLimit && !resumeOwed;
        if (nothingDecoded && (batchBytes == 0 || waiting)) {
            // Bytes held while waiting are reported with the commands decoded from them (CLIENT LIST's qbuf).
            return;
        }
        List<byte[][]> commands = batch;
        int bytes = batchBytes;
        long held = decoder.pendingBytes();
        long request = decoder.heldBytes();
        int bulkLength = decoder.bulkLength();
        String error = failure;
        boolean exceeded = overLimit;
        boolean resumeAfter = resumeOwed;
        resumeOwed = false;
        batch = new ArrayList<>();
        batchBytes = 0;
        failure = null;
        overLimit = false;
        keyspace.execute(() -> {
            long start = System.nanoTime();
            if (session.accepting()) {
                if (bytes > 0) {
                    session.received(bytes, 0, System.currentTimeMillis());
                }
                for (int i = 0; i < commands.size(); i++) {
                    session.command(commands.get(i));
                }
                session.decoded(held, request, bulkLength);
                if (exceeded) {
                    session.queryBufferExceeded();
                } else if (error != null) {
                    session.protocolError(error);
                }
            }
            session.batchEnded();
            server.stats().cycles().cycle(System.nanoTime() - start, commands.size());
            if (resumeAfter) {
                ctx.executor().execute(this::resume);
            }
        });
    }

    /** The keyspace thread has run what it was given: decoding may go on with the bytes held meanwhile. */
    private void resume() {
        waiting = false;
        if (done) {
            return;
        }
        if (held != null) {
            ByteBuf in = held;
            held = null;
            decodeAndKeep(in);
            submit();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        keyspace.execute(session::writable);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        keyspace.execute(session::closed);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientHandler.closeOnError(ctx, cause);
    }
}
