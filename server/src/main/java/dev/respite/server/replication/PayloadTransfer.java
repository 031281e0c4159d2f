package dev.respite.server.replication;

import dev.respite.server.RespiteServer;
import dev.respite.server.ServerVersion;
import dev.respite.server.persistence.KeySaveDelay;
import dev.respite.storage.Keyspace;
import dev.respite.storage.KeyspaceSnapshot;
import dev.respite.storage.persistence.RdbWriter;
import dev.respite.storage.persistence.SnapshotFile;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full resynchronisation payload on its way to the replicas that wait for it, produced without fork
 * from the point-in-time keyspace walk that BGSAVE uses, started at the exact stream offset their
 * +FULLRESYNC named. Diskless: the RDB goes straight to the sockets between {@code $EOF:<mark>} and the
 * mark. On disk: a background save writes the RDB file, which is then sent with a {@code $<length>} prefix.
 * Either way the walk or the file is paced by the slowest replica's pending output.
 */
final class PayloadTransfer {
    private static final Logger log = LoggerFactory.getLogger(PayloadTransfer.class);
    private static final int CHUNK = 64 * 1024;
    /** A replica's output past which the payload waits a turn. */
    private static final long MAX_QUEUED = 4L * 1024 * 1024;

    private static final long SLICE_NANOS = 2_000_000;

    private final RespiteServer server;
    private final EventLoop loop;
    private final boolean diskless;
    private final List<ReplicaLink> links;
    /** The database the stream that follows the payload is in (a replica passes its master's stream on). */
    private final int streamDb;

    private final Consumer<ReplicaLink> delivered;
    private final Runnable finished;
    private final KeySaveDelay delay;
    private KeyspaceSnapshot snapshot;
    private RdbWriter writer;
    private ChunkedOutput output;
    private int currentDb = -1;
    private byte[] mark;
    /** Disk mode: the saved file, open once it exists, and how far each replica got in it. */
    private FileChannel file;

    private long fileSize;
    private final Map<ReplicaLink, Long> positions = new IdentityHashMap<>();
    private boolean over;

    PayloadTransfer(
            RespiteServer server,
            EventLoop loop,
            boolean diskless,
            List<ReplicaLink> links,
            int streamDb,
            Consumer<ReplicaLink> delivered,
            Runnable finished) {
        this.streamDb = streamDb;
        this.server = server;
        this.loop = loop;
        this.diskless = diskless;
        this.links = new ArrayList<>(links);
        this.delivered = delivered;
        this.finished = finished;
        this.delay = new KeySaveDelay(() -> server.config().rdbKeySaveDelay);
    }

    boolean diskless() {
        return diskless;
    }

    /** Disk mode while the file is being written: the replicas get newlines meanwhile. */
    boolean awaitingFile() {
        return !diskless && file == null && !over;
    }

    /** Starts the walk (diskless) or the background save (disk); called on the event loop. */
    void start() throws IOException {
        if (diskless) {
            startDiskless();
        } else if (!server.snapshots().bgsave(loop, this::saved)) {
            throw new IOException("a background save is already running");
        }
    }

    /** A replica went away: it is no longer waited for. */
    void drop(ReplicaLink link) {
        links.remove(link);
        positions.remove(link);
    }

    private void startDiskless() throws IOException {
        mark = new byte[40];
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; i < mark.length; i++) {
            mark[i] = (byte) Character.forDigit(rnd.nextInt(16), 16);
        }
        sendAll(("$EOF:" + new String(mark, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        output = new ChunkedOutput();
        writer = new RdbWriter(output);
        Keyspace ks = server.keyspace();
        SnapshotFile.writeHeader(ks, writer, ServerVersion.REDIS_VERSION, "repl-stream-db", Integer.toString(streamDb));
        snapshot = ks.startSnapshot(this::entry);
        loop.execute(this::slice);
    }

    private void entry(int db, byte[] key, Object value, long expireAt) {
        try {
            if (db != currentDb) {
                currentDb = db;
                Keyspace ks = server.keyspace();
                writer.writeDatabaseSelector(db, ks.db(db).size(), ks.db(db).expiringKeys());
            }
            writer.writeEntry(key, value, expireAt);
            delay.keySaved();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void slice() {
        if (links.isEmpty()) {
            snapshot.finish();
            end();
            return;
        }
        if (slowestQueued() >= MAX_QUEUED) {
            loop.schedule(this::slice, 1, TimeUnit.MILLISECONDS);
            return;
        }
        if (delay.holding()) {
            loop.schedule(this::slice, delay.recheckNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        long stop = System.nanoTime() + SLICE_NANOS;
        try {
            while (System.nanoTime() < stop && !delay.holding()) {
                if (snapshot.step(delay.bucketsPerStep(64))) {
                    writer.writeFooter();
                    output.flush();
                    sendAll(mark);
                    server.clients().flushAll();
                    for (ReplicaLink link : links) {
                        delivered.accept(link);
                    }
                    end();
                    return;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Diskless replication payload failed: {}", e.toString());
            snapshot.finish();
            failAll();
            return;
        }
        server.clients().flushAll();
        loop.execute(this::slice);
    }

    /** Disk mode: the background save ended; its file goes to every replica that waited for it. */
    private void saved(boolean ok) {
        if (!ok) {
            log.warn("Background save for replication failed");
            failAll();
            return;
        }
        try {
            file = FileChannel.open(server.snapshots().file(), StandardOpenOption.READ);
            fileSize = file.size();
        } catch (IOException e) {
            log.warn("Can't open the RDB file for replication: {}", e.getMessage());
            failAll();
            return;
        }
        byte[] header = ("$" + fileSize + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (ReplicaLink link : links) {
            link.client.reply().encoded(header);
            link.client.scheduleFlush();
            positions.put(link, 0L);
        }
        pump();
    }

    private void pump() {
        try {
            for (ReplicaLink link : new ArrayList<>(links)) {
                long pos = positions.get(link);
                while (pos < fileSize && link.client.pendingOutputBytes() < MAX_QUEUED) {
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, fileSize - pos));
                    while (buf.hasRemaining()) {
                        if (file.read(buf, pos + buf.position()) < 0) {
                            throw new IOException("the RDB file shrank while being sent");
                        }
                    }
                    link.client.reply().encoded(buf.array());
                    link.client.scheduleFlush();
                    pos += buf.capacity();
                }
                positions.put(link, pos);
                if (pos == fileSize) {
                    links.remove(link);
                    positions.remove(link);
                    delivered.accept(link);
                }
            }
        } catch (IOException e) {
            log.warn("Sending the RDB file to replicas failed: {}", e.getMessage());
            failAll();
            return;
        }
        server.clients().flushAll();
        if (links.isEmpty()) {
            end();
        } else {
            loop.schedule(this::pump, 1, TimeUnit.MILLISECONDS);
        }
    }

    private long slowestQueued() {
        long max = 0;
        for (ReplicaLink link : links) {
            max = Math.max(max, link.client.pendingOutputBytes());
        }
        return max;
    }

    private void sendAll(byte[] bytes) {
        for (ReplicaLink link : links) {
            link.client.reply().encoded(bytes);
            link.client.scheduleFlush();
        }
    }

    private void failAll() {
        for (ReplicaLink link : links) {
            link.client.closeAfterReply();
        }
        server.clients().flushAll();
        end();
    }

    private void end() {
        if (over) {
            return;
        }
        over = true;
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // A read-only descriptor; nothing is lost.
            }
        }
        finished.run();
    }

    /** Collects the RDB bytes in chunks and hands each full chunk to every replica. */
    private final class ChunkedOutput extends OutputStream {
        private byte[] chunk = new byte[CHUNK];
        private int used;

        @Override
        public void write(int b) {
            if (used == chunk.length) {
                flush();
            }
            chunk[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (used == chunk.length) {
                    flush();
                }
                int n = Math.min(len, chunk.length - used);
                System.arraycopy(b, off, chunk, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() {
            if (used == 0) {
                return;
            }
            byte[] out = used == chunk.length ? chunk : Arrays.copyOf(chunk, used);
            sendAll(out);
            chunk = new byte[CHUNK];
            used = 0;
        }
    }
}
