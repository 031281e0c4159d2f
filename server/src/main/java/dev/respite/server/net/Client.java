package dev.respite.server.net;

import dev.respite.protocol.RespDecoder;
import dev.respite.protocol.RespWriter;
import dev.respite.server.acl.AclUser;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.config.ClientOutputBufferLimits;
import dev.respite.server.config.ClientOutputBufferLimits.ClientClass;
import dev.respite.server.tracking.TrackingMode;
import dev.respite.storage.Database;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected client: its session state (database, protocol, name, user, transaction, subscriptions)
 * and its pending output. Touched only on the keyspace thread (with io-threads, the connection's decoder
 * runs on its I/O thread).
 */
public final class Client {
    private static final Logger log = LoggerFactory.getLogger(Client.class);
    /** Replies past this size go to the socket before the read batch ends. */
    private static final int EARLY_FLUSH_BYTES = 64 * 1024;
    /**
     * Unsent replies past this stop the client's further commands until its peer reads (Redis has no such
     * bound): client-output-buffer-limit and maxmemory-clients act well before it, and without them one client
     * that pipelines without reading holds at most this much.
     */
    private static final long STALLED_OUTPUT_BYTES = 32L * 1024 * 1024;
    /** The fixed part of a client's memory figure: its structures and reply buffer (CLIENT LIST's rbs). */
    static final int BASE_MEMORY = 1024;
    /** Per argument held: the reference to it, as Redis counts a pointer per argument. */
    private static final int ARGUMENT_OVERHEAD = 8;
    /** Per command queued in MULTI: its entry in the queue besides its arguments. */
    private static final int QUEUED_OVERHEAD = 24;
    /** Per WATCHed key: the watch record and its place in the key's and the client's lists. */
    private static final int WATCH_OVERHEAD = 96;
    /** Per channel, pattern or shard channel subscribed: the client's set entry (the names are the hub's). */
    private static final int SUBSCRIPTION_OVERHEAD = 64;
    /** Per CLIENT TRACKING BCAST prefix: its entry in the client's list and in the prefix table. */
    private static final int PREFIX_OVERHEAD = 64;

    private final long id;
    private final ClientHost server;
    private boolean replaying;
    private final Channel channel;
    private final RespWriter reply;
    private final RespDecoder decoder;
    private final long createdMillis;
    private long lastInteractionMillis;
    private long queryBufferBytes;
    private final QueryBufferSize queryBuffer = new QueryBufferSize();
    private final ReplyBufferSize replyBuffer = new ReplyBufferSize();
    /** The decoder's memory for the request in progress, as of the last read (RespDecoder.heldBytes). */
    private long requestBytes;
    /** The command running, whose arguments count in argv-mem while it runs. */
    private byte[][] running;
    /** The arguments of the commands queued in MULTI, with their overhead (multi-mem without the watches). */
    private long queuedBytes;

    private int watchedKeys;
    /** This client's figure as last summed into {@link ClientMemory}, and the class it was summed under. */
    private long lastMemory;

    private int memoryKind = ClientMemory.EVICTABLE;
    /** Listed in {@link Clients}: only listed clients are summed (not the script or AOF-loading clients). */
    private boolean listed;
    /** Where the stream and the append-only log stood after this client's last write (WAITAOF waits for them). */
    private long writeOffset;

    private long writeLogMark;

    private Database db;
    private String name = "";
    private String libName = "";
    private String libVersion = "";
    private AclUser user;
    private boolean authenticated;
    private CommandSpec lastCommand;

    private List<byte[][]> transaction;
    private boolean transactionFailed;
    private boolean transactionHasWrites;
    private boolean watchBroken;
    private boolean executingTransaction;
    private boolean scriptClient;
    private boolean asking;
    private boolean clusterReadOnly;
    private int slot = -1;

    /** Commands that arrived while the client was blocked; run in order once it is released. */
    private final ArrayDeque<byte[][]> deferred = new ArrayDeque<>();

    private Object blockedOn;

    private int channelSubscriptions;
    private int patternSubscriptions;
    private int shardSubscriptions;

    private final OutputBufferWatch outputWatch = new OutputBufferWatch();
    private boolean flushScheduled;
    private boolean closing;
    private boolean skipNextReply;
    /** SCRIPT DEBUG: how this client's next EVAL is debugged (Scripts.DEBUG_*); 0 when it is not. */
    private int luaDebug;

    private boolean noTouch;
    private boolean noEvict;
    private TrackingMode tracking;
    /** A replica's connection (after SYNC or PSYNC) or this server's link to its own master. */
    private boolean replica;

    private boolean master;

    /** {@code decoder} is the connection's: the client sets its limits as its configuration and login change. */
    public Client(long id, ClientHost server, Channel channel, RespDecoder decoder) {
        this.id = id;
        this.server = server;
        this.channel = channel;
        this.decoder = decoder;
        this.reply = new RespWriter(channel.alloc());
        this.createdMillis = System.currentTimeMillis();
        this.lastInteractionMillis = createdMillis;
        this.db = server.keyspace().db(0);
        configChanged();
        this.user = server.acl().users().defaultUser();
        // As in Redis: a connection starts logged in as the default user when that user needs no password.
        setAuthenticated(user.enabled() && user.nopass());
    }

    /** The connection's decoder, for reading it while a busy script holds the keyspace thread. */
    RespDecoder decoder() {
        return decoder;
    }

    /** Picks up configuration this client caches (limits of its decoder). */
    public void configChanged() {
        decoder.setMaxBulkLength(server.config().protoMaxBulkLen);
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    /** Whether the connection came in on the TLS port: cluster replies and redirections name TLS ports to it. */
    public boolean isTls() {
        return channel.pipeline().get(SslHandler.class) != null;
    }

    public RespWriter reply() {
        return reply;
    }

    public Database db() {
        return db;
    }

    public void select(int index) {
        db = server.keyspace().db(index);
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void setLibName(String libName) {
        this.libName = libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void setLibVersion(String libVersion) {
        this.libVersion = libVersion;
    }

    public String user() {
        return user.name();
    }

    /** The ACL user this connection runs as; its permissions are checked before every command. */
    public AclUser aclUser() {
        return user;
    }

    public void setUser(AclUser user) {
        this.user = user;
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
        decoder.setAuthenticated(authenticated);
    }

    public int protocol() {
        return reply.protocol();
    }

    public void setProtocol(int protocol) {
        reply.setProtocol(protocol);
    }

    public long createdMillis() {
        return createdMillis;
    }

    public void wrote(long replicationOffset, long logMark) {
        writeOffset = replicationOffset;
        writeLogMark = logMark;
    }

    public long writeOffset() {
        return writeOffset;
    }

    public long writeLogMark() {
        return writeLogMark;
    }

    /**
     * CLIENT LIST's qbuf: the bytes read and not yet consumed, which include the commands of the read being run
     * (as in Redis, whose query buffer is trimmed only after the read's commands ran).
     */
    public long queryBufferBytes() {
        return queryBufferBytes;
    }

    /** CLIENT LIST's qbuf-free: the room left in the query buffer, sized as Redis sizes its own. */
    public long queryBufferFree() {
        return Math.max(0, queryBuffer.size() - queryBufferBytes);
    }

    /** CLIENT LIST's rbs: the reply buffer's size, as Redis sizes its own. */
    public long replyBufferSize() {
        return replyBuffer.size();
    }

    /** CLIENT LIST's rbp: the most the reply buffer held since its peak was last reset. */
    public long replyBufferPeak() {
        return replyBuffer.peak();
    }

    /**
     * A read of {@code bytes} arrived: qbuf counts it with {@code held} bytes read before; the query buffer's size
     * grows as Redis's would for a read after the bytes the last read left unconsumed.
     */
    void received(long held, int bytes) {
        queryBuffer.read(queryBufferBytes, bytes);
        queryBufferBytes = held + bytes;
    }

    /**
     * The read's commands ran: {@code held} bytes of an unfinished one wait, inside an argument announced as
     * {@code bulkLength} bytes (-1 between arguments), for which the decoder holds {@code request} bytes of memory
     * (RespDecoder.heldBytes).
     */
    void decoded(long held, long request, int bulkLength) {
        queryBufferBytes = held;
        requestBytes = request;
        queryBuffer.decoded(held, bulkLength);
    }

    /** The cron's visit: the query and reply buffers' sizes follow their recent use, as Redis's clientsCron. */
    void resizeBuffers(long nowMillis, long replyPeakResetMillis, boolean replyResizing) {
        queryBuffer.cron(queryBufferBytes, nowMillis, lastInteractionMillis);
        if (replyResizing) {
            replyBuffer.cron(pendingOutputBytes(), nowMillis, replyPeakResetMillis);
        }
    }

    /** The command now running (null after it): its arguments count in argv-mem while it runs. */
    void setRunning(byte[][] args) {
        running = args;
    }

    /** CLIENT LIST's argv-mem: the length of the running command's arguments. */
    public long argvBytes() {
        byte[][] args = running;
        if (args == null) {
            return 0;
        }
        long bytes = 0;
        for (byte[] a : args) {
            bytes += a.length;
        }
        return bytes;
    }

    /** CLIENT LIST's multi-mem: the commands queued in MULTI and the watched keys. */
    public long transactionBytes() {
        return queuedBytes + (long) watchedKeys * WATCH_OVERHEAD;
    }

    /** Set by WATCH and UNWATCH bookkeeping: how many keys this client watches. */
    public void setWatchedKeys(int count) {
        watchedKeys = count;
    }

    /**
     * CLIENT LIST's tot-mem, Redis's getClientMemoryUsage: the query buffer (a big argument counted at its
     * announced length from its header on), the running command's arguments, pending output, the MULTI queue
     * and watched keys, subscriptions and tracking prefixes, plus a fixed part.
     */
    public long memoryUsage() {
        long bytes = BASE_MEMORY
                + Math.max(queryBufferBytes, requestBytes)
                + argvBytes()
                + (running == null ? 0 : (long) running.length * ARGUMENT_OVERHEAD)
                + pendingOutputBytes()
                + transactionBytes()
                + (long) (channelSubscriptions + patternSubscriptions + shardSubscriptions) * SUBSCRIPTION_OVERHEAD;
        TrackingMode t = tracking;
        return t == null ? bytes : bytes + (long) t.prefixes().size() * PREFIX_OVERHEAD;
    }

    /**
     * Sums this client's figure anew into the clients' memory after its reads and commands and when output is
     * added for it. As in Redis, a CLIENT NO-EVICT client's figure is left to {@link #refreshMemory} (the cron,
     * INFO), so the limit is not pushed by the commands that set it.
     */
    public void updateMemory() {
        if (!noEvict || memoryKind != ClientMemory.EXEMPT) {
            refreshMemory();
        }
    }

    /** Sums this client's figure anew, whatever it is (the last figure of a closing client is 0). */
    void refreshMemory() {
        if (!listed) {
            return;
        }
        long bytes = closing ? 0 : memoryUsage();
        int kind = master
                ? ClientMemory.MASTER
                : replica ? ClientMemory.REPLICA : noEvict ? ClientMemory.EXEMPT : ClientMemory.EVICTABLE;
        server.clients().memory().moved(memoryKind, lastMemory, kind, bytes);
        memoryKind = kind;
        lastMemory = bytes;
    }

    /** Takes this client out of the clients' memory: it disconnected. */
    void forgetMemory() {
        server.clients().memory().moved(memoryKind, lastMemory, memoryKind, 0);
        lastMemory = 0;
        listed = false;
    }

    void listed() {
        listed = true;
    }

    long lastMemory() {
        return lastMemory;
    }

    int memoryKind() {
        return memoryKind;
    }

    /** Client eviction: the connection closes now, its pending output and waiting commands dropped. */
    void evict() {
        closing = true;
        reply.discard();
        deferred.clear();
        refreshMemory();
        channel.close();
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    public void touchInteraction(long now) {
        lastInteractionMillis = now;
    }

    public CommandSpec lastCommand() {
        return lastCommand;
    }

    public void setLastCommand(CommandSpec lastCommand) {
        this.lastCommand = lastCommand;
    }

    /**
     * For a write whose arguments do not determine its effect (a random pop, a blocked client served):
     * the append-only file records these deterministic commands instead of the one running.
     */
    public void propagate(byte[][]... commands) {
        server.propagate(commands);
    }

    /** False while nothing takes propagated commands: a handler can skip building its effects. */
    public boolean propagates() {
        return server.propagates();
    }

    /** True for the client that replays the append-only file: its commands are obeyed without limits. */
    public boolean isReplaying() {
        return replaying;
    }

    public void setReplaying(boolean replaying) {
        this.replaying = replaying;
    }

    // ---- replication

    /** A connection that asked for the replication stream: its output counts as the replica class. */
    public boolean isReplica() {
        return replica;
    }

    public void markReplica() {
        replica = true;
    }

    /** The client that applies the master's stream on a replica: obeyed even where others are refused. */
    public boolean isMaster() {
        return master;
    }

    public void markMaster() {
        master = true;
    }

    // ---- transactions

    public boolean inTransaction() {
        return transaction != null;
    }

    public void beginTransaction() {
        transaction = new ArrayList<>();
        queuedBytes = 0;
        transactionFailed = false;
        transactionHasWrites = false;
    }

    public List<byte[][]> transaction() {
        return transaction;
    }

    public void queue(byte[][] args, boolean write) {
        transaction.add(args);
        transactionHasWrites |= write;
        queuedBytes += QUEUED_OVERHEAD;
        for (byte[] a : args) {
            queuedBytes += a.length + ARGUMENT_OVERHEAD;
        }
    }

    public boolean transactionHasWrites() {
        return transactionHasWrites;
    }

    public void failTransaction() {
        transactionFailed = true;
    }

    public boolean transactionFailed() {
        return transactionFailed;
    }

    public void endTransaction() {
        transaction = null;
        transactionFailed = false;
        queuedBytes = 0;
    }

    // ---- cluster

    /** ASKING was sent: the next command (or transaction) may use a slot this node is importing. */
    public boolean asking() {
        return asking;
    }

    public void setAsking(boolean asking) {
        this.asking = asking;
    }

    /** READONLY was sent: a replica serves this client's reads of its master's slots. */
    public boolean clusterReadOnly() {
        return clusterReadOnly;
    }

    public void setClusterReadOnly(boolean readOnly) {
        this.clusterReadOnly = readOnly;
    }

    /** The hash slot of the running command's keys, -1 when it has none (scripts stay within it). */
    public int slot() {
        return slot;
    }

    public void setSlot(int slot) {
        this.slot = slot;
    }

    /** The server's own client that runs the commands of Lua scripts. */
    public boolean isScriptClient() {
        return scriptClient;
    }

    public void markScriptClient() {
        scriptClient = true;
    }

    public boolean isUnixSocket() {
        return channel instanceof DomainSocketChannel;
    }

    /** True while EXEC runs the queued commands: blocking commands must not block then. */
    public boolean executingTransaction() {
        return executingTransaction;
    }

    public void setExecutingTransaction(boolean executing) {
        this.executingTransaction = executing;
    }

    public boolean watchBroken() {
        return watchBroken;
    }

    public void setWatchBroken(boolean broken) {
        this.watchBroken = broken;
    }

    // ---- pub/sub

    public int channelSubscriptions() {
        return channelSubscriptions;
    }

    public int patternSubscriptions() {
        return patternSubscriptions;
    }

    public int shardSubscriptions() {
        return shardSubscriptions;
    }

    /** Set by the pub/sub hub whenever this client's subscriptions change. */
    public void setSubscriptionCounts(int channels, int patterns, int shards) {
        this.channelSubscriptions = channels;
        this.patternSubscriptions = patterns;
        this.shardSubscriptions = shards;
    }

    /** RESP2 clients with subscriptions are in the restricted pub/sub context. */
    public boolean inPubSubContext() {
        return channelSubscriptions + patternSubscriptions + shardSubscriptions > 0;
    }

    // ---- blocking

    public boolean isBlocked() {
        return blockedOn != null;
    }

    /** What the client waits on (the blocking registry's record); null when not blocked. */
    public Object blockedOn() {
        return blockedOn;
    }

    public void setBlockedOn(Object record) {
        this.blockedOn = record;
    }

    ArrayDeque<byte[][]> deferred() {
        return deferred;
    }

    /** Parks this client with its current command first in line (CLIENT PAUSE). */
    public void postpone(byte[][] args, Object reason) {
        deferred.addFirst(args);
        blockedOn = reason;
    }

    /** Runs commands that arrived while blocked, until the queue is empty or the client blocks again. */
    public void runDeferred() {
        while (!deferred.isEmpty() && !isBlocked() && !closing && !outputStalled()) {
            server.dispatch(this, deferred.poll());
        }
        if (!isBlocked() && channel.isWritable() && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        scheduleFlush();
    }

    // ---- output

    /** CLIENT NO-TOUCH: this client's reads do not change keys' access times. */
    public boolean noTouch() {
        return noTouch;
    }

    public void setNoTouch(boolean noTouch) {
        this.noTouch = noTouch;
    }

    /** CLIENT NO-EVICT: exempt from client eviction (maxmemory-clients). */
    public boolean noEvict() {
        return noEvict;
    }

    public void setNoEvict(boolean noEvict) {
        this.noEvict = noEvict;
        refreshMemory();
    }

    /** CLIENT TRACKING: how this client tracks keys it reads; null while tracking is off. */
    public TrackingMode tracking() {
        return tracking;
    }

    public void setTracking(TrackingMode tracking) {
        this.tracking = tracking;
    }

    public int luaDebug() {
        return luaDebug;
    }

    public void setLuaDebug(int mode) {
        luaDebug = mode;
    }

    /** CLIENT REPLY SKIP: the next command's reply is dropped. */
    public void skipNextReply() {
        skipNextReply = true;
    }

    public boolean consumeSkipNextReply() {
        boolean s = skipNextReply;
        skipNextReply = false;
        return s;
    }

    /** Marks this client's output for the flush at the end of the current batch of work. */
    public void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            server.clients().flushLater(this);
        }
    }

    /**
     * Bytes produced for this client and not yet taken by its socket: the reply buffer plus what Netty
     * holds for a peer that reads slower than we write.
     */
    public long pendingOutputBytes() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        return reply.pendingBytes() + (outbound == null ? 0 : outbound.totalPendingWriteBytes());
    }

    /** Output was written for this client from outside its own command (a published message). */
    public void outputAdded() {
        scheduleFlush();
        enforceOutputLimit();
        updateMemory();
    }

    /**
     * Applies client-output-buffer-limit for this client's class: over the limit, its output is dropped,
     * the event logged and counted, and the connection closed at the end of the batch.
     */
    public void enforceOutputLimit() {
        if (closing) {
            return;
        }
        ClientClass cls = outputClass();
        long pending = pendingOutputBytes();
        if (outputWatch.exceeded(server.config().clientOutputBufferLimits.of(cls), pending)) {
            log.warn(
                    "Client id={} addr={} name={} closed for overcoming of output buffer limits ({} class, {} bytes pending).",
                    id,
                    address(),
                    name,
                    cls.name().toLowerCase(),
                    pending);
            server.stats().outputLimitDisconnections++;
            reply.discard();
            closeAfterReply();
        }
    }

    private ClientClass outputClass() {
        return replica ? ClientClass.REPLICA : inPubSubContext() ? ClientClass.PUBSUB : ClientClass.NORMAL;
    }

    /**
     * Whether client-output-buffer-limit applies to this client's class. Such a client's replies stay until
     * the end of the batch, as in Redis, so that a pipeline whose replies pass the limit closes the
     * connection before any of them leaves.
     */
    private boolean outputLimited() {
        ClientOutputBufferLimits.Limit limit =
                server.config().clientOutputBufferLimits.of(outputClass());
        return limit.hardBytes() > 0 || limit.softBytes() > 0;
    }

    /**
     * True while the peer is not taking its output and {@link #STALLED_OUTPUT_BYTES} of it wait: its further
     * commands wait too. Below that, as in Redis, replies pile up in the server and count as the client's memory.
     */
    public boolean outputStalled() {
        if (reply.pendingBytes() >= EARLY_FLUSH_BYTES && !server.clients().outputHeld() && !outputLimited()) {
            flush();
        }
        // Past the high-water mark the socket is not writable; the channel turns writable again (and the
        // commands that waited run) once the peer drained it, so a stall always ends with that event.
        return !channel.isWritable() && pendingOutputBytes() >= STALLED_OUTPUT_BYTES;
    }

    /** Writes out pending replies in one system call; keeps them while the socket is not writable. */
    void flush() {
        send(takeOutput());
    }

    /** The pending replies, taken for {@link #send}; null if none or while the socket is not writable. */
    ByteBuf takeOutput() {
        flushScheduled = false;
        if (!closing && !channel.isWritable() && channel.isActive()) {
            // Resumed by ClientHandler.channelWritabilityChanged.
            return null;
        }
        ByteBuf out = reply.take();
        if (out != null) {
            replyBuffer.flushed(out.readableBytes());
        }
        return out;
    }

    void send(ByteBuf out) {
        if (out == null) {
            if (closing && channel.isActive()) {
                channel.close();
            }
            return;
        }
        server.stats().writesProcessed++;
        server.stats().netOutputBytes += out.readableBytes();
        if (closing) {
            channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.writeAndFlush(out, channel.voidPromise());
        }
        // What the socket took no longer counts (Redis updates the figure after writing to a client too).
        updateMemory();
    }

    /** Closes the connection once the replies written so far are out (QUIT, protocol errors, kills). */
    public void closeAfterReply() {
        closing = true;
        scheduleFlush();
    }

    public boolean isClosing() {
        return closing;
    }

    /** A loopback or Unix-socket peer ("local" for enable-debug-command and enable-module-command). */
    public boolean isLocal() {
        SocketAddress a = channel.remoteAddress();
        if (a instanceof InetSocketAddress in) {
            return in.getAddress() != null && in.getAddress().isLoopbackAddress();
        }
        return a != null;
    }

    /** The peer as Redis prints it; a Unix socket client shows the socket's path, as its peer has none. */
    public String address() {
        return format(isUnixSocket() ? channel.localAddress() : channel.remoteAddress());
    }

    /** The path of the Unix socket this client connected to. */
    public String unixSocketPath() {
        return ((DomainSocketAddress) channel.localAddress()).path();
    }

    public String localAddress() {
        return format(channel.localAddress());
    }

    private static String format(SocketAddress a) {
        if (a instanceof DomainSocketAddress unix) {
            return unix.path() + ":0";
        }
        if (a instanceof InetSocketAddress in) {
            String host = in.getAddress() == null
                    ? in.getHostString()
                    : in.getAddress().getHostAddress();
            return host + ":" + in.getPort();
        }
        return a == null ? "" : a.toString();
    }
}
