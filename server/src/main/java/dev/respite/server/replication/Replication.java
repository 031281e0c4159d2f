package dev.respite.server.replication;

import dev.respite.protocol.RespDecoder;
import dev.respite.server.RespiteServer;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.config.ClientOutputBufferLimits;
import dev.respite.server.config.ReplicationSettings;
import dev.respite.server.net.Client;
import dev.respite.server.persistence.PropagationSink;
import dev.respite.storage.persistence.CommandBuffer;
import dev.respite.storage.persistence.SnapshotFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's place in a replication group: the replication id and offset, the backlog, the replicas
 * and their synchronisation, the stream they receive and, on a replica, the link to its master. On a
 * master every propagated command reaches it through {@link PropagationSink}, encoded once into the RESP
 * bytes whose count is the replication offset; on a replica the master's stream is applied, counted and
 * passed on verbatim instead. Runs on the keyspace thread.
 */
public final class Replication implements PropagationSink {
    private static final Logger log = LoggerFactory.getLogger(Replication.class);
    static final String NO_ID = "0000000000000000000000000000000000000000";
    private static final byte[] SELECT = ascii("SELECT");
    private static final byte[] DEL = ascii("DEL");
    private static final byte[][] PING = {ascii("PING")};
    private static final byte[][] GETACK = {ascii("REPLCONF"), ascii("GETACK"), ascii("*")};
    private static final byte[] NEWLINE = {'\n'};
    /** Stream bytes a replica's socket queue holds at most; more waits in the shared buffer. */
    private static final int STREAM_IN_FLIGHT = 256 * 1024;

    private final RespiteServer server;
    private final ReplicationSettings settings;
    private EventLoop loop;
    private String replid = newId();
    private String replid2 = NO_ID;
    private long secondOffset = -1;
    /** master_repl_offset: bytes of stream produced (or, on a replica, applied) so far. */
    private long offset;

    /** The shared replication buffer: the backlog and every replica's output; null while there is no backlog. */
    private ReplicationBuffer backlog;

    private long noReplicasSinceMillis = System.currentTimeMillis();
    private final Map<Client, ReplicaLink> links = new LinkedHashMap<>();
    private int streamDb = -1;
    private final CommandBuffer scratch = new CommandBuffer(4096);
    private PayloadTransfer transfer;
    private final WaitingClients waiting = new WaitingClients();
    private boolean getackQueued;
    private boolean replicaFlushQueued;
    private long lastPingMillis = System.currentTimeMillis();
    private long lastKeepAliveMillis;
    private long syncFull;
    private long syncPartialOk;
    private long syncPartialErr;
    /** On a replica: the link to the master, and the client that applies its stream. */
    private MasterLink masterLink;

    private Client masterClient;
    /** The master's transaction being received: applied and counted only once EXEC arrives, as Redis does. */
    private final ByteArrayOutputStream masterTransaction = new ByteArrayOutputStream();
    /** Whether replid and offset describe the data held, so that PSYNC may continue from them. */
    private boolean resumable;

    /** When an established link went down, 0 while up or never up (INFO then shows -1, as Redis does). */
    private long linkDownSinceMillis;

    private boolean linkIsUp;
    private long lastAckMillis;
    private final Failover failover;
    /** On a replica with appendonly on: the replication offset its append-only file is fsynced up to (FACK). */
    private long fsyncedOffset;
    /**
     * (log mark, offset) pairs taken when acknowledging: once the log is on disk up to a mark, FACK reaches its
     * offset. Fsyncs come by appendfsync, as in Redis: under no, never.
     */
    private final java.util.ArrayDeque<long[]> fsyncCheckpoints = new java.util.ArrayDeque<>();
    /** After a full synchronization: the offset FACK reaches once the rewrite of the loaded data ends; -1 if none. */
    private long fullSyncOffsetOnDisk = -1;
    /** A shutdown waits for the replicas to reach the offset: no PING or GETACK of our own makes it grow. */
    private boolean shutdownHold;

    public Replication(RespiteServer server) {
        this.server = server;
        this.settings = server.config().replication;
        this.failover = new Failover(this, server.pause());
        server.disconnectHooks().add(this::disconnected);
        server.snapshots().addAuxFields(this::snapshotAux);
        server.snapshots().onExpiredAtLoad(this::expiredAtLoad);
        server.persistence().onAofFsynced(this::aofFsynced);
        server.stats().alsoReset(() -> {
            syncFull = 0;
            syncPartialOk = 0;
            syncPartialErr = 0;
        });
    }

    /**
     * Called once the event loop exists and the dataset is loaded: a configured replicaof starts the link,
     * continuing from the replication id and offset the snapshot recorded if it has them.
     */
    public void start(EventLoop loop) {
        this.loop = loop;
        Map<String, String> aux = server.snapshots().loadedAux();
        if (settings.replicaof.isEmpty()) {
            resumeAsMaster(aux);
            return;
        }
        String[] hostPort = settings.replicaof.split(" ");
        if (aux.containsKey("repl-id") && aux.containsKey("repl-offset")) {
            replid = aux.get("repl-id");
            offset = Long.parseLong(aux.get("repl-offset"));
            resumable = true;
            log.info("Restored replication id {} and offset {} from the RDB file", replid, offset);
        }
        masterClient = newMasterClient();
        if (aux.containsKey("repl-stream-db")) {
            masterClient.select(Integer.parseInt(aux.get("repl-stream-db")));
        }
        connect(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    /**
     * A master restarted from a snapshot that recorded its replication id and offset keeps them as its secondary
     * id, as Redis does: its replicas continue with PSYNC (getting the deletions of the keys that expired
     * meanwhile) instead of a full resynchronisation.
     */
    private void resumeAsMaster(Map<String, String> aux) {
        String id = aux.get("repl-id");
        String savedOffset = aux.get("repl-offset");
        String streamDb = aux.get("repl-stream-db");
        if (id == null || savedOffset == null || streamDb == null || streamDb.equals("-1")) {
            // Only the deletions of keys expired at load went there: with no history to continue, no backlog.
            backlog = null;
            return;
        }
        long base = Long.parseLong(savedOffset);
        replid2 = id;
        secondOffset = base + 1;
        offset += base;
        if (backlog == null) {
            createBacklog();
        } else {
            backlog.rebase(base);
        }
        noReplicasSinceMillis = System.currentTimeMillis();
        log.info("Restored replication id {} and offset {} from the RDB file as the secondary id", id, base);
    }

    /** A master loading its snapshot propagates the deletion of each key whose time passed, as Redis does. */
    private void expiredAtLoad(int db, byte[] key) {
        if (!settings.replicaof.isEmpty()) {
            return;
        }
        if (backlog == null) {
            createBacklog();
        }
        feed(db, new byte[][] {DEL, key});
    }

    /**
     * What snapshots record so that, restarted, a replica continues with PSYNC, and a master's replicas with it: as
     * in Redis, a master records its id and offset only while it has a backlog (a replication history).
     */
    private String[] snapshotAux() {
        if (masterLink == null) {
            if (backlog == null) {
                return new String[0];
            }
            return new String[] {
                "repl-stream-db",
                Integer.toString(Math.max(0, streamDb)),
                "repl-id",
                replid,
                "repl-offset",
                Long.toString(offset)
            };
        }
        if (masterClient == null || !resumable) {
            return new String[0];
        }
        return new String[] {
            "repl-stream-db",
            Integer.toString(masterClient.db().index()),
            "repl-id",
            replid,
            "repl-offset",
            Long.toString(offset)
        };
    }

    public boolean isReplica() {
        return masterLink != null;
    }

    String directory() {
        return server.config().dir;
    }

    // ---- the stream

    @Override
    public boolean accepting() {
        return masterLink == null && (backlog != null || !links.isEmpty());
    }

    @Override
    public void feed(int db, byte[][] cmd) {
        if (db >= 0 && db != streamDb) {
            scratch.command(SELECT, ascii(Integer.toString(db)));
            streamDb = db;
        }
        scratch.command(cmd);
        // Encoded once, then copied where it goes: the backlog and each replica's output.
        append(scratch.buffer(), 0, scratch.size());
        scratch.clear();
    }

    @Override
    public void unreplicated() {
        if (masterLink == null) {
            offset++;
        }
    }

    /**
     * Adds stream bytes: to the offset and, copied once, to the shared buffer, from which every replica's socket
     * is written at the end of the event loop's pass.
     */
    private void append(byte[] bytes, int from, int length) {
        offset += length;
        if (backlog == null) {
            return;
        }
        backlog.append(bytes, from, length);
        if (!links.isEmpty()) {
            scheduleReplicaFlush();
        }
    }

    /**
     * The stream leaves for the replicas once per pass of the event loop, as Redis writes to replicas before it
     * sleeps: one write however many clients' commands the pass ran, instead of one per client's read batch.
     */
    private void scheduleReplicaFlush() {
        if (!replicaFlushQueued) {
            replicaFlushQueued = true;
            loop.execute(this::flushReplicas);
        }
    }

    private void flushReplicas() {
        replicaFlushQueued = false;
        long now = System.currentTimeMillis();
        for (ReplicaLink link : links.values()) {
            if (link.cursor == null || link.client.isClosing() || overOutputLimit(link, now)) {
                continue;
            }
            if (link.streaming) {
                sendStream(link);
            }
        }
    }

    /**
     * Hands the replica's socket what it has not received yet, as slices of the shared blocks (no copy), in one
     * flush; at most {@link #STREAM_IN_FLIGHT} bytes wait in the socket's queue, the rest stays in the shared
     * buffer (counted as the replica's share) until those left.
     */
    private void sendStream(ReplicaLink link) {
        Channel ch = link.client.channel();
        ReplicationBuffer.Cursor cursor = link.cursor;
        ChannelOutboundBuffer queued = ch.unsafe().outboundBuffer();
        long room = STREAM_IN_FLIGHT - (queued == null ? 0 : queued.totalPendingWriteBytes());
        int sent = 0;
        while (room > 0) {
            int n = (int) Math.min(cursor.available(), room);
            if (n == 0) {
                break;
            }
            ch.write(Unpooled.wrappedBuffer(cursor.block().data, cursor.position(), n), ch.voidPromise());
            cursor.advance(n);
            room -= n;
            sent += n;
        }
        boolean more = cursor.hasMore();
        if (more) {
            // The queue is full: once what it holds left, the rest follows.
            ch.write(Unpooled.EMPTY_BUFFER).addListener(f -> loop.execute(this::scheduleReplicaFlush));
        }
        if (sent > 0 || more) {
            server.stats().netReplOutputBytes += sent;
            ch.flush();
        }
    }

    /**
     * client-output-buffer-limit replica, applied to the replica's share of the shared buffer as Redis does: a
     * hard limit below repl-backlog-size counts as repl-backlog-size, since the backlog holds that much anyway.
     */
    private boolean overOutputLimit(ReplicaLink link, long now) {
        ClientOutputBufferLimits.Limit limit =
                server.config().clientOutputBufferLimits.of(ClientOutputBufferLimits.ClientClass.REPLICA);
        long hard = limit.hardBytes();
        if (hard > 0 && hard < settings.backlogSize) {
            limit = new ClientOutputBufferLimits.Limit(settings.backlogSize, limit.softBytes(), limit.softSeconds());
        }
        long share = link.cursor.share();
        if (!link.outputWatch.exceeded(limit, share, now)) {
            return false;
        }
        log.warn(
                "Client id={} addr={} closed for overcoming of output buffer limits (replica class, {} bytes pending).",
                link.client.id(),
                link.client.address(),
                share);
        server.stats().outputLimitDisconnections++;
        link.cursor.release();
        link.client.closeAfterReply();
        return true;
    }

    @Override
    public long offset() {
        return offset;
    }

    public String replid() {
        return replid;
    }

    // ---- REPLCONF, SYNC, PSYNC

    /** The link of a client that announced itself as a replica, made on its first REPLCONF. */
    ReplicaLink link(Client c) {
        return links.computeIfAbsent(c, ReplicaLink::new);
    }

    ReplicaLink existingLink(Client c) {
        return links.get(c);
    }

    /** REPLCONF ACK: how far the replica applied the stream and, with FACK (-1 without), fsynced it. */
    void acknowledged(Client c, long ackOffset, long aofOffset) {
        ReplicaLink link = links.get(c);
        if (link == null || link.state == null) {
            return;
        }
        if (ackOffset > link.ackOffset) {
            link.ackOffset = ackOffset;
        }
        if (aofOffset > link.aofAckOffset) {
            link.aofAckOffset = aofOffset;
        }
        link.ackMillis = System.currentTimeMillis();
        if (link.streamOnAck && link.state == ReplicaLink.State.ONLINE) {
            link.streamOnAck = false;
            releasePending(link);
        }
        waiting.acknowledged(this);
    }

    /**
     * PSYNC replid offset (or SYNC, with {@code replid} null): continues the replica from the backlog when it
     * can, else schedules a full resynchronisation.
     */
    void synchronize(Client c, String requestedId, long from) {
        if (failover.active()) {
            throw new CommandError("NOMASTERLINK Can't SYNC while failing over");
        }
        if (masterLink != null && masterLink.state() != MasterLink.State.CONNECTED) {
            throw new CommandError("NOMASTERLINK Can't SYNC while not connected with my master");
        }
        ReplicaLink link = link(c);
        if (requestedId != null && continuePartially(link, requestedId, from)) {
            syncPartialOk++;
            return;
        }
        if (requestedId != null && !requestedId.equals("?")) {
            syncPartialErr++;
        }
        link.legacySync = requestedId == null;
        c.markReplica();
        if (backlog == null) {
            // A new history starts with the first replica: nobody can hold the old id's stream.
            replid = newId();
            clearReplid2();
            createBacklog();
        }
        link.state = ReplicaLink.State.WAIT_BGSAVE;
        link.waitingSinceMillis = System.currentTimeMillis();
        syncFull++;
        log.info("Replica {} asks for synchronization; full resync scheduled", link.ip() + ":" + link.listeningPort);
        startTransferIfReady();
    }

    private boolean continuePartially(ReplicaLink link, String requestedId, long from) {
        boolean known = requestedId.equals(replid) || (requestedId.equals(replid2) && from <= secondOffset);
        if (!known || backlog == null || !backlog.covers(from)) {
            if (!requestedId.equals("?")) {
                log.info(
                        "Partial resynchronization not accepted for {}: {}",
                        link.client.address(),
                        known ? "offset " + from + " is not in the backlog" : "replication id mismatch");
            }
            return false;
        }
        Client c = link.client;
        c.markReplica();
        link.state = ReplicaLink.State.ONLINE;
        link.ackMillis = System.currentTimeMillis();
        noReplicasSinceMillis = 0;
        c.reply().encoded(ascii(link.capaPsync2 ? "+CONTINUE " + replid + "\r\n" : "+CONTINUE\r\n"));
        // What it missed is read from the shared buffer, where it still is: no copy.
        link.cursor = backlog.cursorAt(from);
        startStreaming(link);
        log.info(
                "Partial resynchronization request from {} accepted, sending {} bytes of backlog",
                c.address(),
                offset + 1 - from);
        return true;
    }

    private void createBacklog() {
        backlog = new ReplicationBuffer(() -> settings.backlogSize, offset);
    }

    private void clearReplid2() {
        replid2 = NO_ID;
        secondOffset = -1;
    }

    /** Starts the payload for the replicas waiting for one, unless a snapshot runs or the diskless delay lasts. */
    private void startTransferIfReady() {
        if (transfer != null
                || server.keyspace().snapshot() != null
                || server.snapshots().bgsaveInProgress()) {
            return;
        }
        List<ReplicaLink> ready = new ArrayList<>();
        boolean allEof = true;
        long oldest = Long.MAX_VALUE;
        for (ReplicaLink link : links.values()) {
            if (link.state == ReplicaLink.State.WAIT_BGSAVE && !link.client.isClosing()) {
                ready.add(link);
                allEof &= link.capaEof;
                oldest = Math.min(oldest, link.waitingSinceMillis);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        boolean diskless = settings.disklessSync && allEof;
        if (diskless
                && settings.disklessSyncDelay > 0
                && System.currentTimeMillis() - oldest < settings.disklessSyncDelay * 1000L
                && (settings.disklessSyncMaxReplicas == 0 || ready.size() < settings.disklessSyncMaxReplicas)) {
            return;
        }
        for (ReplicaLink link : ready) {
            if (!link.legacySync) {
                link.client.reply().encoded(ascii("+FULLRESYNC " + replid + " " + offset + "\r\n"));
            }
            link.client.scheduleFlush();
            link.state = ReplicaLink.State.SEND_BULK;
            // The replica's share of the stream starts here; the buffer holds it until the payload is through.
            if (!link.rdbOnly) {
                link.cursor = backlog.cursorAtEnd();
            }
            link.ackOffset = 0;
        }
        if (masterLink == null) {
            // The replicas start from the payload's database: the stream names its database again.
            streamDb = -1;
        }
        int payloadDb =
                masterLink != null && masterClient != null ? masterClient.db().index() : 0;
        transfer =
                new PayloadTransfer(server, loop, diskless, ready, payloadDb, this::delivered, () -> transfer = null);
        try {
            log.info(
                    "Starting {} full resynchronization of {} replica(s) at offset {}",
                    diskless ? "diskless" : "disk-based",
                    ready.size(),
                    offset);
            transfer.start();
        } catch (IOException | RuntimeException e) {
            log.warn("Can't start the replication payload: {}", e.toString());
            transfer = null;
            for (ReplicaLink link : ready) {
                link.client.closeAfterReply();
            }
        }
        server.clients().flushAll();
    }

    /** A diskless payload being written to replicas: Redis's forked child for it counts as an RDB save in INFO. */
    public boolean disklessPayloadInProgress() {
        return transfer != null && transfer.diskless();
    }

    /** The whole payload is queued for {@code link}: it is a replica online. */
    private void delivered(ReplicaLink link) {
        if (link.client.isClosing() || links.get(link.client) != link) {
            return;
        }
        link.state = ReplicaLink.State.ONLINE;
        link.ackMillis = System.currentTimeMillis();
        noReplicasSinceMillis = 0;
        log.info("Synchronization with replica {}:{} succeeded", link.ip(), link.listeningPort);
        if (link.rdbOnly) {
            link.client.closeAfterReply();
        } else if (transfer != null && transfer.diskless()) {
            // The replica reads the payload up to the mark; the stream waits for its first acknowledgement.
            link.streamOnAck = true;
        } else {
            releasePending(link);
        }
    }

    private void releasePending(ReplicaLink link) {
        if (link.cursor != null && !link.streaming) {
            startStreaming(link);
        }
    }

    /**
     * From now on the replica's socket takes the stream from its cursor on. What was written for it before (the
     * +CONTINUE line, the end of the payload) leaves first; replies to what an online replica sends are dropped,
     * since they would land in the middle of the stream (Redis disconnects a replica that makes one).
     */
    private void startStreaming(ReplicaLink link) {
        Client c = link.client;
        ByteBuf before = c.reply().take();
        if (before != null) {
            c.channel().writeAndFlush(before, c.channel().voidPromise());
        }
        c.reply().setMuted(true);
        link.streaming = true;
        scheduleReplicaFlush();
    }

    private void disconnected(Client c) {
        ReplicaLink link = links.remove(c);
        waiting.disconnected(c);
        if (link == null) {
            return;
        }
        if (link.cursor != null) {
            link.cursor.release();
            if (backlog != null) {
                // Letting go of blocks only drops references here (Redis frees memory, hence its increments), so
                // what the replica alone held goes at once, as INFO shows right after the disconnection.
                backlog.trim(Integer.MAX_VALUE);
            }
        }
        if (transfer != null) {
            transfer.drop(link);
        }
        if (link.state != null) {
            log.info("Connection with replica {}:{} lost.", link.ip(), link.listeningPort);
        }
        if (links.isEmpty()) {
            noReplicasSinceMillis = System.currentTimeMillis();
        }
    }

    // ---- replica side

    /** REPLICAOF host port: follows that master, continuing from this server's own history if it can. */
    String replicaOf(String host, int port) {
        if (masterLink != null && masterLink.host.equalsIgnoreCase(host) && masterLink.port == port) {
            return "OK Already connected to specified master";
        }
        follow(host, port, false);
        return "OK";
    }

    /** FAILOVER's switch: this master follows the caught-up replica and asks it to take over. */
    void replicaOfForFailover(String host, int port) {
        follow(host, port, true);
    }

    private void follow(String host, int port, boolean failoverRequest) {
        disconnectBlockedClients();
        if (masterLink == null) {
            // Our own id and offset are what the new master may know us by (it may be our promoted replica).
            resumable = true;
            masterClient = newMasterClient();
        } else {
            masterLink.stop();
            dropMasterTransaction();
            unlistMasterClient();
            markLinkDown();
        }
        disconnectReplicas();
        connect(host, port, failoverRequest);
    }

    // ---- cluster mode: the cluster's node logic chooses the master

    /** The controls the cluster's node logic uses. */
    public dev.respite.server.cluster.ReplicaControl clusterControl() {
        return new dev.respite.server.cluster.ReplicaControl() {
            @Override
            public void follow(String host, int port) {
                followClusterMaster(host, port);
            }

            @Override
            public void becomeMaster() {
                promote();
            }

            @Override
            public long offset() {
                return offset;
            }

            @Override
            public long masterSilenceMillis(long now) {
                return silenceOfMaster(now);
            }
        };
    }

    /** Follows the master at {@code host:port} unless already following it (CLUSTER REPLICATE, a failover). */
    private void followClusterMaster(String host, int port) {
        if (masterLink == null || !masterLink.host.equalsIgnoreCase(host) || masterLink.port != port) {
            follow(host, port, false);
        }
    }

    /**
     * How long the data has been without news from the master, as Redis's failover measures it: since the
     * last byte from the master while the link is up, since the link went down otherwise.
     */
    private long silenceOfMaster(long now) {
        if (masterLink == null) {
            return 0;
        }
        if (linkIsUp) {
            return now - masterLink.lastIoMillis;
        }
        return linkDownSinceMillis == 0 ? Long.MAX_VALUE / 2 : now - linkDownSinceMillis;
    }

    /**
     * Becoming a replica (or following another master): clients blocked here (BLPOP, WAIT, WAITAOF...) get an
     * error and are disconnected, as Redis does, since what they wait for will not happen on this node. Clients
     * whose commands are only held (CLIENT PAUSE, a failover holding writes) stay: their commands run later.
     */
    private void disconnectBlockedClients() {
        String error = "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";
        for (Client c : new ArrayList<>(server.clients().all())) {
            if (c.isBlocked() && c != masterClient) {
                if (waiting.abort(c, error) || server.blocking().unblock(c, error)) {
                    c.closeAfterReply();
                }
            }
        }
    }

    private void markLinkDown() {
        if (linkIsUp) {
            linkIsUp = false;
            linkDownSinceMillis = System.currentTimeMillis();
        }
    }

    /** FAILOVER, once its arguments are checked: starts waiting for a replica to catch up. */
    void startFailover(String host, long port, long timeoutMillis, boolean force) {
        if (failover.active()) {
            throw new CommandError("ERR FAILOVER already in progress.");
        }
        if (masterLink != null) {
            throw new CommandError("ERR FAILOVER is not valid when server is a replica.");
        }
        if (!hasReplicas()) {
            throw new CommandError("ERR FAILOVER requires connected replicas.");
        }
        if (force && (timeoutMillis == 0 || host == null)) {
            throw new CommandError("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
        }
        if (host != null) {
            ReplicaLink target = findReplica(host, port);
            if (target == null) {
                throw new CommandError("ERR FAILOVER target HOST and PORT is not a replica.");
            }
            if (target.state != ReplicaLink.State.ONLINE) {
                throw new CommandError("ERR FAILOVER target replica is not online.");
            }
        }
        failover.start(host, (int) port, timeoutMillis, force, loop);
    }

    /** FAILOVER ABORT. */
    void abortFailover() {
        if (!failover.active()) {
            throw new CommandError("ERR No failover in progress.");
        }
        failover.abort("Failover manually aborted");
    }

    boolean failingOver() {
        return failover.active();
    }

    /** A replica at {@code host} and listening port {@code port}, as Redis matches FAILOVER's target. */
    ReplicaLink findReplica(String host, long port) {
        for (ReplicaLink link : links.values()) {
            if (link.state != null && link.listeningPort == port && link.ip().equalsIgnoreCase(host)) {
                return link;
            }
        }
        return null;
    }

    /** The first replica that acknowledged exactly {@code ackOffset}, or null. */
    ReplicaLink replicaAt(long ackOffset) {
        for (ReplicaLink link : links.values()) {
            if (link.state != null && link.ackOffset == ackOffset) {
                return link;
            }
        }
        return null;
    }

    /**
     * PSYNC ... FAILOVER from our master: it hands over to us. We become a master at once (the PSYNC then
     * continues under our new id, which the old master knows as our second one).
     */
    void failoverRequested(Client c, String requestedId) {
        log.info("Failover request received for replid {}.", requestedId);
        if (masterLink == null) {
            throw new CommandError("ERR PSYNC FAILOVER can't be sent to a master.");
        }
        if (!requestedId.equals(replid)) {
            throw new CommandError("ERR PSYNC FAILOVER replid must match my replid.");
        }
        promote();
        log.info("MASTER MODE enabled (failover request from {})", c.address());
    }

    /** The failover's target answered our PSYNC FAILOVER with +CONTINUE or +FULLRESYNC. */
    void failoverAccepted(MasterLink link) {
        if (link == masterLink) {
            failover.succeeded();
        }
    }

    /** The failover's link failed before its PSYNC was accepted: this server is a master again. */
    void failoverLinkFailed(MasterLink link, String why) {
        if (link == masterLink && failover.state() == Failover.State.IN_PROGRESS) {
            failover.abort(why);
        }
    }

    /** REPLICAOF NO ONE: a master again, under a new id, still answering PSYNC for the old one. */
    void promote() {
        if (masterLink == null) {
            return;
        }
        masterLink.stop();
        masterLink = null;
        server.config().oomScore.apply();
        linkIsUp = false;
        linkDownSinceMillis = 0;
        server.keyspace().setExpiryDeletes(true);
        dropMasterTransaction();
        unlistMasterClient();
        masterClient = null;
        replid2 = replid;
        secondOffset = offset + 1;
        replid = newId();
        streamDb = -1;
        if (backlog == null) {
            createBacklog();
        }
        // Our replicas reconnect and continue under the new id (they know the old one as replid2).
        disconnectReplicas();
        log.info(
                "MASTER MODE enabled; new replication id {}, secondary id {} valid up to offset {}",
                replid,
                replid2,
                secondOffset);
    }

    private void connect(String host, int port) {
        connect(host, port, false);
    }

    private void connect(String host, int port, boolean failoverRequest) {
        server.keyspace().setExpiryDeletes(false);
        // The port the master lists this replica at: its TLS port when it replicates over TLS, as Redis announces.
        int ownPort = server.config().tls.replication && server.config().tls.port != 0
                ? server.config().tls.port
                : server.config().port;
        masterLink = new MasterLink(host, port, this, settings, loop, ownPort, failoverRequest);
        server.config().oomScore.apply();
        masterLink.start();
    }

    /** tls-replication: the link to the master in TLS, its handshake done; otherwise the socket as it is. */
    Socket secure(Socket s, String host, int port) throws IOException {
        return server.config().tls.replication ? server.tls().connect(s, host, port) : s;
    }

    private Client newMasterClient() {
        return newMasterClient(0, new EmbeddedChannel());
    }

    private Client newMasterClient(long id, EmbeddedChannel channel) {
        Client c = new Client(id, server, channel, new RespDecoder());
        c.markMaster();
        c.setAuthenticated(true);
        c.reply().setMuted(true);
        c.reply().onDroppedError(error -> masterCommandFailed(c, error));
        return c;
    }

    /**
     * A command of the master's stream failed here: the data may now differ from the master's, which Redis
     * reports in these words (operators and Redis's tests look for them).
     */
    private void masterCommandFailed(Client c, String error) {
        String command = c.lastCommand() == null ? "<unknown>" : c.lastCommand().fullName();
        // As Redis words it: a plain error without its "ERR " code, any other with its code after a dash.
        String shown = error.startsWith("ERR ") ? error.substring(4) : "-" + error;
        String text = shown.length() > 4096 ? shown.substring(0, 4096) : shown;
        log.warn(
                "== CRITICAL == This replica is sending an error to its master: '{}' after processing the command '{}'",
                text,
                command);
        server.stats().unexpectedErrorReplies++;
    }

    /**
     * While the link is up the master client is listed among the clients (CLIENT LIST shows it with flags=M,
     * CLIENT KILL TYPE master drops the link), under a new id for each connection, as in Redis.
     */
    private void listMasterClient(MasterLink link) {
        unlistMasterClient();
        SocketAddress[] addresses = link.addresses();
        int fd = link.fd();
        int db = masterClient == null ? 0 : masterClient.db().index();
        server.clients().register(id -> {
            masterClient = newMasterClient(id, new MasterClientChannel(addresses[0], addresses[1], fd));
            masterClient.select(db);
            return masterClient;
        });
    }

    private void unlistMasterClient() {
        if (masterClient != null) {
            server.clients().unregister(masterClient);
        }
    }

    /** Where the link's PSYNC continues from: this history's id and next offset, or "?" for a full copy. */
    MasterLink.Resume resumePoint() {
        return resumable ? new MasterLink.Resume(replid, offset + 1) : new MasterLink.Resume("?", -1);
    }

    /** +FULLRESYNC: the payload replaces the dataset; the stream continues from {@code fromOffset}. */
    void fullSyncReceived(MasterLink link, String newId, long fromOffset, Path payload) throws IOException {
        if (link != masterLink) {
            throw new IOException("the link was replaced");
        }
        disconnectReplicas();
        dropMasterTransaction();
        for (int i = 0; i < server.keyspace().count(); i++) {
            server.watches().touchedDatabase(server.keyspace().db(i));
        }
        server.keyspace().flushAll();
        server.keyspace().functions().clear();
        int[] streamDbOfPayload = {0};
        log.info("MASTER <-> REPLICA sync: Loading DB in memory");
        SnapshotFile.LoadResult r = SnapshotFile.load(
                payload,
                server.keyspace(),
                (keys, read, total) -> {},
                (name, value) -> {
                    if (name.equals("repl-stream-db")) {
                        streamDbOfPayload[0] = Integer.parseInt(new String(value, StandardCharsets.US_ASCII));
                    }
                },
                false);
        log.info("MASTER <-> REPLICA sync: Finished with success ({} keys)", r.keys());
        replid = newId;
        offset = fromOffset;
        fsyncedOffset = 0;
        fsyncCheckpoints.clear();
        if (server.config().appendonly) {
            fullSyncOffsetOnDisk = fromOffset;
            server.persistence().rewriteAfterFullSync();
        }
        clearReplid2();
        backlog = null;
        createBacklog();
        resumable = true;
        unlistMasterClient();
        masterClient = newMasterClient();
        masterClient.select(Math.max(0, streamDbOfPayload[0]));
        linkUp(link);
    }

    /** +CONTINUE: the stream goes on from our offset, perhaps under the master's new id; returns that offset. */
    long continued(MasterLink link, String newId) {
        if (link != masterLink) {
            return offset;
        }
        if (newId != null && !newId.isEmpty() && !newId.equals(replid)) {
            replid2 = replid;
            secondOffset = offset + 1;
            replid = newId;
            disconnectReplicas();
        }
        if (backlog == null) {
            createBacklog();
        }
        if (masterClient == null) {
            masterClient = newMasterClient();
        }
        linkUp(link);
        return offset;
    }

    private void linkUp(MasterLink link) {
        listMasterClient(link);
        link.setConnected();
        linkDownSinceMillis = 0;
        linkIsUp = true;
        lastAckMillis = System.currentTimeMillis();
        sendAck();
    }

    /** The link broke: a transaction half received is dropped (the master resends it from our offset). */
    void linkDown(MasterLink link) {
        if (link != masterLink) {
            return;
        }
        dropMasterTransaction();
        unlistMasterClient();
        markLinkDown();
    }

    private void dropMasterTransaction() {
        if (masterClient != null && masterClient.inTransaction()) {
            masterClient.endTransaction();
        }
        masterTransaction.reset();
    }

    /**
     * Applies commands from the master as the master client; each command's bytes count in the offset and
     * go on verbatim to our replicas once applied (a transaction once its EXEC is).
     */
    void applyFromMaster(MasterLink link, MasterStreamReader.Batch batch) {
        if (link != masterLink || masterClient == null) {
            return;
        }
        masterClient.touchInteraction(System.currentTimeMillis());
        byte[] raw = batch.raw();
        // As in Redis, the master client finds every key its master still has, expired here or not.
        server.keyspace().holdExpiry(true);
        try {
            for (int i = 0; i < batch.count(); i++) {
                byte[][] args = batch.args()[i];
                if (args.length > 0) {
                    server.dispatcher().execute(masterClient, args);
                }
                int from = batch.start(i);
                int length = batch.ends()[i] - from;
                if (masterClient.inTransaction()) {
                    masterTransaction.write(raw, from, length);
                    continue;
                }
                if (masterTransaction.size() > 0) {
                    byte[] transaction = masterTransaction.toByteArray();
                    append(transaction, 0, transaction.length);
                    masterTransaction.reset();
                }
                append(raw, from, length);
            }
        } finally {
            server.keyspace().holdExpiry(false);
        }
        server.clients().flushAll();
    }

    /**
     * REPLCONF GETACK from the master: the offset applied before this command; with appendonly on, a second
     * acknowledgement follows once that much is fsynced, for the master's WAITAOF.
     */
    void ackRequested(Client c) {
        if (c.isMaster() && masterLink != null && c == masterClient) {
            sendAck();
            fsyncThenAck();
        }
    }

    /** REPLCONF ACK, with FACK (the fsynced offset) when appendonly is on, as a Redis 7.2 replica sends it. */
    private void sendAck() {
        masterLink.sendAck(offset, server.config().appendonly ? fsyncedOffset : -1);
    }

    /**
     * With appendonly on, FACK follows the fsyncs: the offset applied now is acknowledged as fsynced once the log
     * holding it is on disk. Under appendfsync always that is forced now, as Redis fsyncs before it sleeps.
     */
    private void fsyncThenAck() {
        if (!server.config().appendonly) {
            return;
        }
        long mark = server.persistence().aofLoggedMark();
        long[] last = fsyncCheckpoints.peekLast();
        if (last == null || last[1] < offset) {
            fsyncCheckpoints.add(new long[] {mark, offset});
        }
        if (server.config().appendfsync.equals("always")) {
            server.persistence().aofFsyncThen(this::aofFsynced);
        } else {
            aofFsynced();
        }
    }

    /** More of the log is on disk: WAITAOF waiters are looked at again, and a replica's FACK moves on. */
    private void aofFsynced() {
        waiting.acknowledged(this);
        if (masterLink == null) {
            fsyncCheckpoints.clear();
            fullSyncOffsetOnDisk = -1;
            return;
        }
        long before = fsyncedOffset;
        if (fullSyncOffsetOnDisk >= 0 && !server.persistence().writingInitialAof()) {
            fsyncedOffset = Math.max(fsyncedOffset, fullSyncOffsetOnDisk);
            fullSyncOffsetOnDisk = -1;
        }
        while (!fsyncCheckpoints.isEmpty()
                && server.persistence().aofFsyncedUpTo(fsyncCheckpoints.peekFirst()[0])) {
            fsyncedOffset = Math.max(fsyncedOffset, fsyncCheckpoints.pollFirst()[1]);
        }
        if (fsyncedOffset != before && masterLink.state() == MasterLink.State.CONNECTED && server.config().appendonly) {
            sendAck();
        }
    }

    private void disconnectReplicas() {
        for (ReplicaLink link : links.values()) {
            if (link.state != null) {
                link.client.closeAfterReply();
            }
        }
    }

    // ---- WAIT and min-replicas-to-write

    /** Replicas online that acknowledged at least {@code target}. */
    int acknowledgedAtLeast(long target) {
        int n = 0;
        for (ReplicaLink link : links.values()) {
            if (link.state == ReplicaLink.State.ONLINE && link.ackOffset >= target) {
                n++;
            }
        }
        return n;
    }

    /** Replicas online whose append-only file holds at least {@code target} (WAITAOF). */
    int aofAcknowledgedAtLeast(long target) {
        int n = 0;
        for (ReplicaLink link : links.values()) {
            if (link.state == ReplicaLink.State.ONLINE && link.aofAckOffset >= target) {
                n++;
            }
        }
        return n;
    }

    boolean clusterEnabled() {
        return server.config().cluster.enabled;
    }

    boolean appendOnly() {
        return server.config().appendonly;
    }

    /** Whether appendonly is on and everything logged up to {@code mark} is fsynced. */
    boolean locallyFsynced(long mark) {
        return server.config().appendonly && server.persistence().aofFsyncedUpTo(mark);
    }

    /**
     * WAITAOF's local part: under appendfsync always an fsync now, after which the waiters are looked at again.
     * Under everysec they wait for the once-a-second fsync, and under no, as in Redis, nothing is known on disk.
     */
    void fsyncForWaiters() {
        if (server.config().appendfsync.equals("always")) {
            server.persistence().aofFsyncThen(() -> waiting.acknowledged(this));
        }
    }

    /** Clients blocked in WAIT or WAITAOF (they count in INFO blocked_clients, as in Redis). */
    public int waitingCount() {
        return waiting.count();
    }

    WaitingClients waiting() {
        return waiting;
    }

    /** Asks every replica for its offset, once per pass of the event loop however many clients WAIT. */
    void requestAcks() {
        if (getackQueued) {
            return;
        }
        getackQueued = true;
        loop.execute(() -> {
            getackQueued = false;
            // During a failover the stream must not grow: the target has to reach our offset exactly.
            if (!links.isEmpty() && !streamHeld()) {
                feed(-1, GETACK);
                server.clients().flushAll();
            }
        });
    }

    /** Replicas online whose last acknowledgement is at most min-replicas-max-lag seconds old. */
    public int goodReplicas() {
        long now = System.currentTimeMillis();
        int n = 0;
        for (ReplicaLink link : links.values()) {
            if (link.state == ReplicaLink.State.ONLINE && (now - link.ackMillis) / 1000 <= settings.minReplicasMaxLag) {
                n++;
            }
        }
        return n;
    }

    /**
     * Why {@code spec} from {@code c} must be refused now, or null: min-replicas-to-write not met on a master;
     * on a replica, a write while read-only, or any command not allowed on stale data while the link is down.
     */
    public String refusal(Client c, CommandSpec spec) {
        if (c.isMaster()) {
            return null;
        }
        if (masterLink == null) {
            if (spec.isWrite() && !enoughGoodReplicas()) {
                return "NOREPLICAS Not enough good replicas to write.";
            }
            return null;
        }
        if (spec.isWrite() && settings.readOnly) {
            return "READONLY You can't write against a read only replica.";
        }
        if (runningStale() && !spec.has(CommandFlag.STALE)) {
            return "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
        }
        return null;
    }

    /** False on a master whose min-replicas-to-write is not met. */
    public boolean enoughGoodReplicas() {
        return masterLink != null
                || settings.minReplicasToWrite == 0
                || settings.minReplicasMaxLag == 0
                || goodReplicas() >= settings.minReplicasToWrite;
    }

    /** A replica whose link is down while replica-serve-stale-data is no. */
    public boolean runningStale() {
        return masterLink != null && !settings.serveStaleData && masterLink.state() != MasterLink.State.CONNECTED;
    }

    /** A replica that refuses writes from its clients (replica-read-only). */
    public boolean readOnlyReplica() {
        return masterLink != null && settings.readOnly;
    }

    // ---- periodic work

    /** Called from the server's cron: payloads to start, PINGs, keep-alives, timeouts, the backlog's lifetime. */
    public void cron() {
        long now = System.currentTimeMillis();
        startTransferIfReady();
        if (now - lastKeepAliveMillis >= 1000) {
            lastKeepAliveMillis = now;
            for (ReplicaLink link : links.values()) {
                if (link.state == ReplicaLink.State.WAIT_BGSAVE
                        || (link.state == ReplicaLink.State.SEND_BULK && transfer != null && transfer.awaitingFile())) {
                    link.client.reply().encoded(NEWLINE);
                    link.client.scheduleFlush();
                }
            }
        }
        if (masterLink != null && masterClient != null && masterClient.isClosing()) {
            // CLIENT KILL of the master client: the link drops and continues with PSYNC, as in Redis.
            dropMasterTransaction();
            unlistMasterClient();
            int db = masterClient.db().index();
            masterClient = newMasterClient();
            masterClient.select(db);
            masterLink.closeSocket();
        }
        if (masterLink != null && masterLink.state() == MasterLink.State.CONNECTED) {
            if (now - lastAckMillis >= 1000) {
                lastAckMillis = now;
                sendAck();
                fsyncThenAck();
            }
            if (now - masterLink.lastIoMillis > settings.timeout * 1000L) {
                log.warn("MASTER timeout: no data nor PING received...");
                masterLink.closeSocket();
            }
        }
        if (masterLink != null && now - masterLink.lastIoMillis > settings.timeout * 1000L) {
            // Silence while connecting or receiving the payload (no newline from a master preparing it): start over.
            if (masterLink.state() == MasterLink.State.HANDSHAKE) {
                log.warn("Timeout connecting to the MASTER...");
                masterLink.closeSocket();
            } else if (masterLink.state() == MasterLink.State.TRANSFER) {
                log.warn("Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                        + "'repl-timeout' parameter in redis.conf to a larger value.");
                masterLink.closeSocket();
            }
        }
        if (now - lastPingMillis >= settings.pingReplicaPeriod * 1000L) {
            lastPingMillis = now;
            // A replica passes its master's PINGs on instead of sending its own.
            if (masterLink == null && hasReplicas() && !streamHeld()) {
                feed(-1, PING);
            }
        }
        for (ReplicaLink link : links.values()) {
            if (link.state == ReplicaLink.State.ONLINE
                    && !link.rdbOnly
                    && now - link.ackMillis > settings.timeout * 1000L) {
                log.warn("Disconnecting timedout replica {}:{}", link.ip(), link.listeningPort);
                link.client.closeAfterReply();
            }
        }
        if (masterLink == null
                && backlog != null
                && links.isEmpty()
                && settings.backlogTtl > 0
                && noReplicasSinceMillis > 0
                && now - noReplicasSinceMillis > settings.backlogTtl * 1000L) {
            backlog = null;
            replid = newId();
            clearReplid2();
            log.info("Replication backlog freed after {} seconds without connected replicas.", settings.backlogTtl);
        }
        if (backlog != null) {
            backlog.trim(10 * ReplicationBuffer.TRIM_BLOCKS_PER_CALL);
        }
        waiting.expire(this, now);
    }

    /** While a failover or a shutdown waits for the replicas to reach the offset, it must stay put. */
    private boolean streamHeld() {
        return failover.active() || shutdownHold;
    }

    /** Replicas that asked for the stream (SYNC or PSYNC): INFO's connected_clients leaves them out, as Redis does. */
    public int replicaCount() {
        int n = 0;
        for (ReplicaLink link : links.values()) {
            if (link.state != null) {
                n++;
            }
        }
        return n;
    }

    // ---- shutdown

    /** Whether every replica acknowledged the whole stream, so that a shutdown need not wait for them. */
    public boolean replicasInSync() {
        for (ReplicaLink link : links.values()) {
            if (link.state != null && link.ackOffset != offset) {
                return false;
            }
        }
        return true;
    }

    /**
     * A shutdown starts waiting for the replicas (or stops waiting): they are asked for their offsets at once,
     * unless the stream is already held, and the stream then stays put.
     */
    public void holdForShutdown(boolean hold) {
        if (hold && !streamHeld() && hasReplicas()) {
            feed(-1, GETACK);
            server.clients().flushAll();
        }
        shutdownHold = hold;
    }

    /** Logs, as Redis does when it shuts down, each replica still behind and how many are in sync. */
    public void logReplicasAtShutdown() {
        long nowSeconds = System.currentTimeMillis() / 1000;
        int replicas = 0;
        int lagging = 0;
        for (ReplicaLink link : links.values()) {
            if (link.state == null) {
                continue;
            }
            replicas++;
            if (link.ackOffset != offset) {
                lagging++;
                long lag = link.state == ReplicaLink.State.ONLINE ? nowSeconds - link.ackMillis / 1000 : 0;
                log.info(
                        "Lagging replica {}:{} reported offset {} behind master, lag={}, state={}.",
                        link.ip(),
                        link.listeningPort,
                        offset - link.ackOffset,
                        lag,
                        link.state.label);
            }
        }
        if (replicas > 0) {
            log.info("{} of {} replicas are in sync when shutting down.", replicas - lagging, replicas);
        }
    }

    private boolean hasReplicas() {
        for (ReplicaLink link : links.values()) {
            if (link.state != null) {
                return true;
            }
        }
        return false;
    }

    // ---- reporting

    /** ROLE's master form: offset, then each replica's address, listening port and acknowledged offset. */
    List<String[]> replicaRows() {
        List<String[]> rows = new ArrayList<>();
        for (ReplicaLink link : links.values()) {
            if (link.state == ReplicaLink.State.ONLINE) {
                rows.add(new String[] {link.ip(), Integer.toString(link.listeningPort), Long.toString(link.ackOffset)});
            }
        }
        return rows;
    }

    /** ROLE's replica form: master host and port, link state, applied offset (-1 while not connected). */
    MasterLink masterLink() {
        return masterLink;
    }

    /** The lines of INFO replication, Redis 7.2's fields in Redis's order. */
    public void appendInfo(StringBuilder sb) {
        line(sb, "role", masterLink == null ? "master" : "slave");
        if (masterLink != null) {
            long now = System.currentTimeMillis();
            boolean up = masterLink.state() == MasterLink.State.CONNECTED;
            boolean transfer = masterLink.state() == MasterLink.State.TRANSFER;
            line(sb, "master_host", masterLink.host);
            line(sb, "master_port", masterLink.port);
            line(sb, "master_link_status", up ? "up" : "down");
            line(sb, "master_last_io_seconds_ago", up ? (now - masterLink.lastIoMillis) / 1000 : -1);
            line(sb, "master_sync_in_progress", transfer ? 1 : 0);
            line(
                    sb,
                    "slave_read_repl_offset",
                    up ? Math.max(offset, masterLink.streamBase + masterLink.streamRead) : offset);
            line(sb, "slave_repl_offset", offset);
            if (transfer) {
                long size = masterLink.transferSize;
                long read = masterLink.transferRead;
                line(sb, "master_sync_total_bytes", size);
                line(sb, "master_sync_read_bytes", read);
                line(sb, "master_sync_left_bytes", size - read);
                line(sb, "master_sync_perc", String.format(Locale.ROOT, "%.2f", size > 0 ? read * 100.0 / size : 0.0));
                line(sb, "master_sync_last_io_seconds_ago", (now - masterLink.lastIoMillis) / 1000);
            }
            if (!up) {
                line(
                        sb,
                        "master_link_down_since_seconds",
                        linkDownSinceMillis == 0 ? -1 : (now - linkDownSinceMillis) / 1000);
            }
            line(sb, "slave_priority", settings.priority);
            line(sb, "slave_read_only", settings.readOnly ? 1 : 0);
            line(sb, "replica_announced", settings.announced ? 1 : 0);
        }
        int count = 0;
        StringBuilder rows = new StringBuilder();
        long now = System.currentTimeMillis();
        for (ReplicaLink link : links.values()) {
            if (link.state == null) {
                continue;
            }
            long lag = link.state == ReplicaLink.State.ONLINE ? (now - link.ackMillis) / 1000 : 0;
            rows.append("slave")
                    .append(count++)
                    .append(":ip=")
                    .append(link.ip())
                    .append(",port=")
                    .append(link.listeningPort)
                    .append(",state=")
                    .append(link.state.label)
                    .append(",offset=")
                    .append(link.ackOffset)
                    .append(",lag=")
                    .append(lag)
                    .append("\r\n");
        }
        line(sb, "connected_slaves", count);
        if (settings.minReplicasToWrite > 0 && settings.minReplicasMaxLag > 0) {
            line(sb, "min_slaves_good_slaves", goodReplicas());
        }
        sb.append(rows);
        line(sb, "master_failover_state", failover.state().label);
        line(sb, "master_replid", replid);
        line(sb, "master_replid2", replid2);
        line(sb, "master_repl_offset", offset);
        line(sb, "second_repl_offset", secondOffset);
        line(sb, "repl_backlog_active", backlog == null ? 0 : 1);
        line(sb, "repl_backlog_size", settings.backlogSize);
        line(sb, "repl_backlog_first_byte_offset", backlog == null ? 0 : backlog.firstByteOffset());
        line(sb, "repl_backlog_histlen", backlog == null ? 0 : backlog.histlen());
    }

    public long syncFull() {
        return syncFull;
    }

    public long syncPartialOk() {
        return syncPartialOk;
    }

    public long syncPartialErr() {
        return syncPartialErr;
    }

    /** mem_total_replication_buffers: the shared buffer's blocks, which the backlog and the replicas share. */
    public long replicationBufferBytes() {
        return backlog == null ? 0 : backlog.memory();
    }

    /** mem_replication_backlog: as Redis splits the shared buffer, up to repl-backlog-size while replicas use it. */
    public long backlogBytes() {
        long total = replicationBufferBytes();
        return hasLiveReplicas() ? Math.min(total, settings.backlogSize) : total;
    }

    /** What the replicas hold of the shared buffer beyond repl-backlog-size (in mem_clients_slaves, as Redis counts it). */
    public long replicaBufferBytes() {
        return hasLiveReplicas() ? Math.max(0, replicationBufferBytes() - settings.backlogSize) : 0;
    }

    /** Replicas not being disconnected: one that is killed counts no more, as Redis frees it at once. */
    private boolean hasLiveReplicas() {
        for (ReplicaLink link : links.values()) {
            if (link.state != null && !link.client.isClosing()) {
                return true;
            }
        }
        return false;
    }

    private static void line(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    static String newId() {
        SecureRandom rnd = new SecureRandom();
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            sb.append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return sb.toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
