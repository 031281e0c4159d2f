package dev.respite.storage.types;

/**
 * An entry delivered to a consumer of a group and not yet acknowledged: who has it, when it was last
 * delivered (Unix ms) and how many times. Held in both the group's and the consumer's pending lists.
 */
public final class PendingEntry {
    private final StreamId id;
    private StreamConsumer consumer;
    private long deliveryTime;
    private long deliveryCount;

    public PendingEntry(StreamId id, StreamConsumer consumer, long deliveryTime, long deliveryCount) {
        this.id = id;
        this.consumer = consumer;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
    }

    public StreamId id() {
        return id;
    }

    public StreamConsumer consumer() {
        return consumer;
    }

    void setConsumer(StreamConsumer consumer) {
        this.consumer = consumer;
    }

    public long deliveryTime() {
        return deliveryTime;
    }

    public void setDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    public long deliveryCount() {
        return deliveryCount;
    }

    public void setDeliveryCount(long deliveryCount) {
        this.deliveryCount = deliveryCount;
    }
}
