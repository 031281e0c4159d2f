package dev.respite.server.pubsub;

/**
 * The three subscription spaces of Redis 7: plain channels, glob patterns and shard channels, with the
 * words their confirmation and message frames carry.
 */
public enum SubscriptionKind {
    CHANNEL("subscribe", "unsubscribe"),
    PATTERN("psubscribe", "punsubscribe"),
    SHARD("ssubscribe", "sunsubscribe");

    private final String subscribeWord;
    private final String unsubscribeWord;

    SubscriptionKind(String subscribeWord, String unsubscribeWord) {
        this.subscribeWord = subscribeWord;
        this.unsubscribeWord = unsubscribeWord;
    }

    public String subscribeWord() {
        return subscribeWord;
    }

    public String unsubscribeWord() {
        return unsubscribeWord;
    }
}
