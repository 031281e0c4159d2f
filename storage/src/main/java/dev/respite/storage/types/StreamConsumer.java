package dev.respite.storage.types;

import java.util.TreeMap;

/**
 * A consumer of a group: its name, when it last interacted with the group (seen-time) and last read or
 * claimed something (active-time, -1 until then), in Unix ms, and the pending entries it holds.
 */
public final class StreamConsumer {
    private final byte[] name;
    private long seenTime;
    private long activeTime;
    final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();

    public StreamConsumer(byte[] name, long seenTime, long activeTime) {
        this.name = name;
        this.seenTime = seenTime;
        this.activeTime = activeTime;
    }

    public byte[] name() {
        return name;
    }

    public long seenTime() {
        return seenTime;
    }

    public void setSeenTime(long seenTime) {
        this.seenTime = seenTime;
    }

    public long activeTime() {
        return activeTime;
    }

    public void setActiveTime(long activeTime) {
        this.activeTime = activeTime;
    }

    /** The consumer's pending entries by ID; read-only for callers (changes go through the group). */
    public TreeMap<StreamId, PendingEntry> pending() {
        return pending;
    }
}
