package dev.respite.server.replication;

import dev.respite.server.config.ReplicationSettings;
import io.netty.channel.EventLoop;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's connection to its master, on a thread of its own with a blocking socket: the handshake
 * (PING, AUTH, REPLCONF, PSYNC), the payload of a full resynchronisation saved to a file and loaded on
 * the keyspace thread, then the command stream handed to the keyspace thread in batches. Reconnects
 * after a second whenever the link breaks, until stopped.
 */
final class MasterLink {
    private static final Logger log = LoggerFactory.getLogger(MasterLink.class);
    /** Batches handed to the keyspace thread and not yet applied, before reading waits. */
    private static final int BATCHES_IN_FLIGHT = 16;

    private static final int BATCH_COMMANDS = 512;

    /** Redis's link states, with the names ROLE prints. */
    enum State {
        CONNECT("connect"),
        CONNECTING("connecting"),
        HANDSHAKE("handshake"),
        TRANSFER("sync"),
        CONNECTED("connected");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    /** What the keyspace thread answers when asked where to continue from. */
    record Resume(String replid, long from) {}

    final String host;
    final int port;
    private final Replication replication;
    private final ReplicationSettings settings;
    private final EventLoop loop;
    private final int ownPort;
    private final Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);
    private volatile State state = State.CONNECT;
    private volatile boolean stopped;
    private volatile Socket socket;
    /** The connection's file descriptor, for CLIENT LIST; -1 if unknown. */
    private volatile int fd = -1;

    private OutputStream out;
    private Thread thread;
    volatile long lastIoMillis;
    volatile long transferSize = -1;
    volatile long transferRead;
    /** Stream bytes read past the sync's offset (slave_read_repl_offset counts them). */
    volatile long streamRead;

    volatile long streamBase;
    /** Set on a master failing over to this link's peer: its PSYNC carries FAILOVER, until accepted. */
    private volatile boolean failoverRequest;

    MasterLink(
            String host,
            int port,
            Replication replication,
            ReplicationSettings settings,
            EventLoop loop,
            int ownPort,
            boolean failoverRequest) {
        this.failoverRequest = failoverRequest;
        this.host = host;
        this.port = port;
        this.replication = replication;
        this.settings = settings;
        this.loop = loop;
        this.ownPort = ownPort;
    }

    State state() {
        return state;
    }

    void setConnected() {
        state = State.CONNECTED;
    }

    void start() {
        thread = new Thread(this::run, "respite-master-link");
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends the link for good (REPLICAOF NO ONE or another master). */
    void stop() {
        stopped = true;
        closeSocket();
    }

    boolean stopped() {
        return stopped;
    }

    /** The connection's peer and local addresses, for the master client CLIENT LIST shows. */
    SocketAddress[] addresses() {
        Socket s = socket;
        return s == null
                ? new SocketAddress[] {new InetSocketAddress(host, port), null}
                : new SocketAddress[] {s.getRemoteSocketAddress(), s.getLocalSocketAddress()};
    }

    int fd() {
        return fd;
    }

    /** Closes the connection; the link reconnects unless stopped. */
    void closeSocket() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing is all that is wanted.
            }
        }
    }

    private void run() {
        while (!stopped) {
            try {
                session();
            } catch (IOException | RuntimeException e) {
                if (!stopped) {
                    log.warn("Replication link with {}:{} lost: {}", host, port, e.getMessage());
                }
                if (failoverRequest && !stopped) {
                    String why = "Failover target unreachable or refused PSYNC: " + e.getMessage();
                    loop.execute(() -> replication.failoverLinkFailed(this, why));
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                closeSocket();
                state = State.CONNECT;
                if (!stopped) {
                    loop.execute(() -> replication.linkDown(this));
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void session() throws IOException, InterruptedException {
        state = State.CONNECTING;
        log.info("Connecting to MASTER {}:{}", host, port);
        Socket s = new Socket();
        socket = s;
        if (stopped) {
            return;
        }
        if (!settings.bindSourceAddr.isEmpty()) {
            s.bind(new InetSocketAddress(settings.bindSourceAddr, 0));
        }
        s.connect(new InetSocketAddress(host, port), settings.timeout * 1000);
        s.setSoTimeout(settings.timeout * 1000);
        s.setTcpNoDelay(true);
        fd = SocketDescriptors.find(s);
        Socket io = replication.secure(s, host, port);
        InputStream in = new BufferedInputStream(io.getInputStream(), 64 * 1024);
        synchronized (this) {
            out = io.getOutputStream();
        }
        state = State.HANDSHAKE;
        lastIoMillis = System.currentTimeMillis();
        send("PING");
        String pong = readLine(in);
        if (pong.startsWith("-")
                && !pong.startsWith("-NOAUTH")
                && !pong.startsWith("-NOPERM")
                && !pong.startsWith("-ERR operation not permitted")) {
            throw new IOException("Error reply to PING from master: '" + pong + "'");
        }
        if (!settings.masterauth.isEmpty()) {
            if (settings.masteruser.isEmpty()) {
                send("AUTH", settings.masterauth);
            } else {
                send("AUTH", settings.masteruser, settings.masterauth);
            }
            String auth = readLine(in);
            if (auth.startsWith("-")) {
                throw new IOException("Unable to AUTH to MASTER: " + auth);
            }
        }
        send(
                "REPLCONF",
                "listening-port",
                Integer.toString(settings.announcePort != 0 ? settings.announcePort : ownPort));
        readLine(in);
        if (!settings.announceIp.isEmpty()) {
            send("REPLCONF", "ip-address", settings.announceIp);
            readLine(in);
        }
        send("REPLCONF", "capa", "eof", "capa", "psync2");
        readLine(in);
        Resume resume = onLoop(replication::resumePoint);
        if (failoverRequest) {
            send("PSYNC", resume.replid(), Long.toString(resume.from()), "FAILOVER");
        } else {
            send("PSYNC", resume.replid(), Long.toString(resume.from()));
        }
        String reply = readLine(in);
        if (failoverRequest) {
            failoverRequest = false;
            if (reply.startsWith("+FULLRESYNC") || reply.startsWith("+CONTINUE")) {
                loop.execute(() -> replication.failoverAccepted(this));
            } else {
                // Redis's words, which tools and tests look for in the log.
                loop.execute(() -> replication.failoverLinkFailed(this, "Failover target rejected psync request"));
            }
        }
        if (reply.startsWith("+FULLRESYNC")) {
            String[] f = reply.split(" ");
            if (f.length < 3) {
                throw new IOException("Bad +FULLRESYNC reply from master: '" + reply + "'");
            }
            String replid = f[1];
            long offset = Long.parseLong(f[2].trim());
            log.info("Full resync from master: {}:{}", replid, offset);
            state = State.TRANSFER;
            Path payload = receivePayload(in);
            try {
                onLoop(() -> {
                    replication.fullSyncReceived(this, replid, offset, payload);
                    return null;
                });
            } finally {
                Files.deleteIfExists(payload);
            }
            streamBase = offset;
        } else if (reply.startsWith("+CONTINUE")) {
            String newId = reply.length() > "+CONTINUE ".length()
                    ? reply.substring("+CONTINUE ".length()).trim()
                    : null;
            log.info("Successful partial resynchronization with master.");
            streamBase = onLoop(() -> replication.continued(this, newId));
        } else {
            throw new IOException("Unexpected reply to PSYNC from master: '" + reply + "'");
        }
        streamRead = 0;
        stream(in);
    }

    /** Applies the stream until the link breaks: commands go to the keyspace thread in batches. */
    private void stream(InputStream in) throws IOException, InterruptedException {
        MasterStreamReader reader = new MasterStreamReader(in, BATCH_COMMANDS);
        while (!stopped) {
            MasterStreamReader.Batch batch = reader.next();
            lastIoMillis = System.currentTimeMillis();
            streamRead = reader.bytesRead();
            inFlight.acquire();
            loop.execute(() -> {
                try {
                    replication.applyFromMaster(this, batch);
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    /** Reads the payload after +FULLRESYNC, with a length or between EOF marks, into a temporary RDB file. */
    private Path receivePayload(InputStream in) throws IOException {
        String header = readLine(in);
        Path file = Path.of(replication.directory())
                .resolve("temp-" + System.currentTimeMillis() + "."
                        + ProcessHandle.current().pid() + ".rdb");
        try (OutputStream f = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024)) {
            if (header.startsWith("$EOF:")) {
                byte[] mark = header.substring(5).getBytes(StandardCharsets.US_ASCII);
                if (mark.length != 40) {
                    throw new IOException("Bad EOF mark from master: '" + header + "'");
                }
                log.info("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk");
                transferSize = 0;
                receiveUntilMark(in, f, mark);
            } else if (header.startsWith("$")) {
                long size = Long.parseLong(header.substring(1).trim());
                log.info("MASTER <-> REPLICA sync: receiving {} bytes from master to disk", size);
                transferSize = size;
                byte[] buf = new byte[64 * 1024];
                long left = size;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new EOFException("the master closed the connection during the transfer");
                    }
                    f.write(buf, 0, n);
                    left -= n;
                    transferRead += n;
                    lastIoMillis = System.currentTimeMillis();
                }
            } else {
                throw new IOException("Bad protocol from MASTER, the first byte is not '$': '" + header + "'");
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /**
     * Copies bytes until the last 40 read are the mark, which is not copied. The master sends nothing after the
     * mark before our acknowledgement, so the mark ends a read: only the last 40 bytes are held back each time.
     */
    private void receiveUntilMark(InputStream in, OutputStream f, byte[] mark) throws IOException {
        byte[] buf = new byte[64 * 1024 + mark.length];
        int held = 0;
        while (true) {
            int n = in.read(buf, held, buf.length - held);
            if (n < 0) {
                throw new EOFException("the master closed the connection during the transfer");
            }
            lastIoMillis = System.currentTimeMillis();
            transferRead += n;
            held += n;
            if (held < mark.length) {
                continue;
            }
            int keep = held - mark.length;
            if (Arrays.equals(buf, keep, held, mark, 0, mark.length)) {
                f.write(buf, 0, keep);
                return;
            }
            f.write(buf, 0, keep);
            System.arraycopy(buf, keep, buf, 0, mark.length);
            held = mark.length;
        }
    }

    /** REPLCONF ACK with the applied offset, and FACK with the fsynced one unless negative; from the keyspace thread. */
    void sendAck(long offset, long fsyncedOffset) {
        try {
            if (fsyncedOffset >= 0) {
                send("REPLCONF", "ACK", Long.toString(offset), "FACK", Long.toString(fsyncedOffset));
            } else {
                send("REPLCONF", "ACK", Long.toString(offset));
            }
        } catch (IOException e) {
            closeSocket();
        }
    }

    private synchronized void send(String... args) throws IOException {
        if (out == null) {
            return;
        }
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A reply line, skipping the newlines a master sends to keep the link alive while it prepares. */
    private String readLine(InputStream in) throws IOException {
        while (true) {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("the master closed the connection");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            lastIoMillis = System.currentTimeMillis();
            if (!sb.isEmpty()) {
                return sb.toString();
            }
        }
    }

    private <T> T onLoop(Callable<T> work) throws IOException, InterruptedException {
        try {
            return loop.submit(work).get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().toString(), e.getCause());
        }
    }
}
