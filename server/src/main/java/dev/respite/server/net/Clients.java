package dev.respite.server.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every connected client by id, and the ones with output to flush at the end of the current batch. */
public final class Clients {
    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private final List<Client> toFlush = new ArrayList<>();
    private long nextId = 1;
    private long totalConnections;
    private long rejectedConnections;
    private OutputGate gate = OutputGate.OPEN;
    private final ClientMemory memory = new ClientMemory(this);
    /** DEBUG REPLYBUFFER PEAK-RESET-TIME: how often reply buffer peaks are reset; negative for never. */
    private long replyPeakResetMillis = ReplyBufferSize.DEFAULT_PEAK_RESET_MILLIS;
    /** DEBUG REPLYBUFFER RESIZING: whether the cron resizes reply buffers. */
    private boolean replyResizing = true;

    private long resizeCalls;

    long nextId() {
        return nextId++;
    }

    private Runnable beforeFlush = () -> {};

    void add(Client c) {
        byId.put(c.id(), c);
        c.listed();
        totalConnections++;
    }

    void remove(Client c) {
        byId.remove(c.id());
        c.forgetMemory();
    }

    /**
     * Lists a client that is no accepted connection (a replica's master client) under a fresh id, without
     * counting a connection; {@link #unregister} removes it.
     */
    public long register(java.util.function.LongFunction<Client> make) {
        Client c = make.apply(nextId());
        byId.put(c.id(), c);
        c.listed();
        return c.id();
    }

    public void unregister(Client c) {
        if (byId.remove(c.id(), c)) {
            c.forgetMemory();
        }
    }

    /** The clients' memory by class, and client eviction. */
    public ClientMemory memory() {
        return memory;
    }

    public void setReplyBufferPeakResetMillis(long millis) {
        replyPeakResetMillis = millis;
    }

    public void resetReplyBufferPeakResetMillis() {
        replyPeakResetMillis = ReplyBufferSize.DEFAULT_PEAK_RESET_MILLIS;
    }

    public void setReplyBufferResizing(boolean resizing) {
        replyResizing = resizing;
    }

    /**
     * The cron's pass over the query and reply buffer sizes, called {@code hz} times a second. As in Redis, each
     * call visits a share of the clients, so that every client is visited about once a second, and all of them at
     * each call while there are at most five: the buffers' peaks span the time between two visits.
     */
    public void resizeBuffers(long nowMillis, int hz) {
        int n = byId.size();
        if (n == 0) {
            return;
        }
        int perCall = Math.max(Math.min(n, 5), n / hz);
        long callsPerVisit = (n + perCall - 1) / perCall;
        long turn = resizeCalls++ % callsPerVisit;
        for (Client c : byId.values()) {
            if (c.id() % callsPerVisit == turn) {
                c.resizeBuffers(nowMillis, replyPeakResetMillis, replyResizing);
            }
        }
    }

    public Client get(long id) {
        return byId.get(id);
    }

    public Collection<Client> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int count() {
        return byId.size();
    }

    public long totalConnections() {
        return totalConnections;
    }

    public long rejectedConnections() {
        return rejectedConnections;
    }

    void countRejected() {
        rejectedConnections++;
    }

    void flushLater(Client c) {
        toFlush.add(c);
    }

    /** Work that must write its output just before each batch's flush (BCAST invalidations). */
    public void beforeFlush(Runnable task) {
        this.beforeFlush = task;
    }

    public void setGate(OutputGate gate) {
        this.gate = gate;
    }

    /** True while replies must wait for the append-only file (see {@link OutputGate}). */
    boolean outputHeld() {
        return gate.holdsOutput();
    }

    /** Flushes every client that got output during the batch of work that just ended. */
    public void flushAll() {
        beforeFlush.run();
        if (!gate.holdsOutput()) {
            gate.endBatch(null);
            for (int i = 0; i < toFlush.size(); i++) {
                toFlush.get(i).flush();
            }
            toFlush.clear();
            return;
        }
        if (toFlush.isEmpty()) {
            gate.endBatch(null);
            return;
        }
        // Taken now, so that replies produced after this batch cannot leave with them before their own fsync.
        Client[] held = toFlush.toArray(new Client[0]);
        io.netty.buffer.ByteBuf[] outputs = new io.netty.buffer.ByteBuf[held.length];
        for (int i = 0; i < held.length; i++) {
            outputs[i] = held[i].takeOutput();
        }
        toFlush.clear();
        gate.endBatch(() -> {
            for (int i = 0; i < held.length; i++) {
                held[i].send(outputs[i]);
            }
        });
    }
}
