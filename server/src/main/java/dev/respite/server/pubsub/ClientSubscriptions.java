package dev.respite.server.pubsub;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one client is subscribed to, in subscription order (UNSUBSCRIBE without arguments confirms the
 * channels in this order).
 */
final class ClientSubscriptions {
    final Set<ChannelName> channels = new LinkedHashSet<>();
    final Set<ChannelName> patterns = new LinkedHashSet<>();
    final Set<ChannelName> shards = new LinkedHashSet<>();

    Set<ChannelName> of(SubscriptionKind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    boolean isEmpty() {
        return channels.isEmpty() && patterns.isEmpty() && shards.isEmpty();
    }
}
