package dev.respite.storage.types;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * A consumer group: the last ID delivered to it, how many entries it has read (-1 when unknown), its
 * pending entries list and its consumers, both ordered as Redis orders them (IDs; names bytewise).
 */
public final class StreamGroup {
    /** entries-read when it cannot be known (Redis's SCG_INVALID_ENTRIES_READ). */
    public static final long UNKNOWN_ENTRIES_READ = -1;

    private final byte[] name;
    private StreamId lastId;
    private long entriesRead;
    private final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();
    private final TreeMap<byte[], StreamConsumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    public StreamGroup(byte[] name, StreamId lastId, long entriesRead) {
        this.name = name;
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public byte[] name() {
        return name;
    }

    public StreamId lastId() {
        return lastId;
    }

    public void setLastId(StreamId lastId) {
        this.lastId = lastId;
    }

    public long entriesRead() {
        return entriesRead;
    }

    public void setEntriesRead(long entriesRead) {
        this.entriesRead = entriesRead;
    }

    /** The group's pending entries by ID; change them only through this class. */
    public TreeMap<StreamId, PendingEntry> pending() {
        return pending;
    }

    public TreeMap<byte[], StreamConsumer> consumers() {
        return consumers;
    }

    public StreamConsumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** The consumer, created with both times {@code now} if absent; {@code created[0]} tells which. */
    public StreamConsumer consumerOrCreate(byte[] name, long now, boolean[] created) {
        StreamConsumer c = consumers.get(name);
        created[0] = c == null;
        if (c == null) {
            c = new StreamConsumer(name, now, -1);
            consumers.put(name, c);
        }
        return c;
    }

    /** Adds a consumer that must not exist yet (loading, CREATECONSUMER). */
    public StreamConsumer addConsumer(byte[] name, long seenTime, long activeTime) {
        StreamConsumer c = new StreamConsumer(name, seenTime, activeTime);
        consumers.put(name, c);
        return c;
    }

    /** Removes a consumer and its pending entries from the group; returns how many were pending. */
    public long removeConsumer(StreamConsumer c) {
        long n = c.pending.size();
        for (StreamId id : c.pending.keySet()) {
            pending.remove(id);
        }
        c.pending.clear();
        consumers.remove(c.name());
        return n;
    }

    /** Records a delivery of {@code id} to {@code c}, replacing any pending record of it. */
    public PendingEntry deliver(StreamId id, StreamConsumer c, long now, long deliveryCount) {
        PendingEntry p = pending.get(id);
        if (p != null) {
            p.consumer().pending.remove(id);
            p.setConsumer(c);
            p.setDeliveryTime(now);
            p.setDeliveryCount(deliveryCount);
        } else {
            p = new PendingEntry(id, c, now, deliveryCount);
            pending.put(id, p);
        }
        c.pending.put(id, p);
        return p;
    }

    /** Moves a pending entry to another consumer. */
    public void transfer(PendingEntry p, StreamConsumer to) {
        if (p.consumer() != to) {
            p.consumer().pending.remove(p.id());
            p.setConsumer(to);
            to.pending.put(p.id(), p);
        }
    }

    /** Acknowledges {@code id}: true if it was pending. */
    public boolean acknowledge(StreamId id) {
        PendingEntry p = pending.remove(id);
        if (p == null) {
            return false;
        }
        p.consumer().pending.remove(id);
        return true;
    }

    /** An independent copy, consumers and pending entries included (COPY). */
    StreamGroup copy() {
        StreamGroup g = new StreamGroup(name.clone(), lastId, entriesRead);
        for (StreamConsumer c : consumers.values()) {
            StreamConsumer nc = g.addConsumer(c.name().clone(), c.seenTime(), c.activeTime());
            for (PendingEntry p : c.pending.values()) {
                PendingEntry np = new PendingEntry(p.id(), nc, p.deliveryTime(), p.deliveryCount());
                nc.pending.put(p.id(), np);
                g.pending.put(p.id(), np);
            }
        }
        return g;
    }
}
