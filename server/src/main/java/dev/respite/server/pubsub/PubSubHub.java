package dev.respite.server.pubsub;

import dev.respite.protocol.RespWriter;
import dev.respite.server.cluster.KeySlot;
import dev.respite.server.net.Client;
import dev.respite.storage.Glob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who listens to what: channel, pattern and shard-channel subscribers, and each client's own
 * subscriptions. Delivers published messages into the subscribers' output. Keyspace thread only.
 */
public final class PubSubHub {
    private static final byte[] MESSAGE = "message".getBytes();
    private static final byte[] PMESSAGE = "pmessage".getBytes();
    private static final byte[] SMESSAGE = "smessage".getBytes();

    private final Map<ChannelName, Set<Client>> channels = new HashMap<>();
    private final Map<ChannelName, Set<Client>> patterns = new LinkedHashMap<>();
    private final Map<ChannelName, Set<Client>> shardChannels = new HashMap<>();
    /** Shard channels with subscribers by hash slot, so that a slot's owner change finds its own quickly. */
    private final Map<Integer, Set<ChannelName>> shardChannelsBySlot = new HashMap<>();

    private final Map<Client, ClientSubscriptions> byClient = new HashMap<>();
    /** In cluster mode: carries PUBLISH and SPUBLISH to the other nodes; null otherwise. */
    private ClusterRelay relay;

    /** Where a cluster node sends what its clients publish, instead of the replication stream. */
    public interface ClusterRelay {
        void publish(byte[] channel, byte[] message, boolean shard);
    }

    public void useClusterRelay(ClusterRelay relay) {
        this.relay = relay;
    }

    public ClusterRelay clusterRelay() {
        return relay;
    }
    /** The client whose command is running, and messages for it held until its reply is written. */
    private Client running;

    private final List<HeldMessage> held = new ArrayList<>();

    private record HeldMessage(Client client, byte[] kind, byte[] pattern, byte[] channel, byte[] message) {}

    /** Adds a subscription; false if the client already had it. */
    public boolean subscribe(Client c, SubscriptionKind kind, byte[] name) {
        ChannelName n = new ChannelName(name);
        ClientSubscriptions subs = byClient.computeIfAbsent(c, k -> new ClientSubscriptions());
        if (!subs.of(kind).add(n)) {
            return false;
        }
        registry(kind).computeIfAbsent(n, k -> new LinkedHashSet<>()).add(c);
        if (kind == SubscriptionKind.SHARD) {
            shardChannelsBySlot
                    .computeIfAbsent(KeySlot.of(name), k -> new LinkedHashSet<>())
                    .add(n);
        }
        updateCounts(c, subs);
        return true;
    }

    /** Removes a subscription; false if the client did not have it. */
    public boolean unsubscribe(Client c, SubscriptionKind kind, byte[] name) {
        ClientSubscriptions subs = byClient.get(c);
        ChannelName n = new ChannelName(name);
        if (subs == null || !subs.of(kind).remove(n)) {
            return false;
        }
        Map<ChannelName, Set<Client>> registry = registry(kind);
        Set<Client> members = registry.get(n);
        members.remove(c);
        if (members.isEmpty()) {
            registry.remove(n);
            if (kind == SubscriptionKind.SHARD) {
                int slot = KeySlot.of(name);
                Set<ChannelName> inSlot = shardChannelsBySlot.get(slot);
                inSlot.remove(n);
                if (inSlot.isEmpty()) {
                    shardChannelsBySlot.remove(slot);
                }
            }
        }
        updateCounts(c, subs);
        if (subs.isEmpty()) {
            byClient.remove(c);
        }
        return true;
    }

    /**
     * A hash slot changed hands or lost its owner: every subscriber of its shard channels is unsubscribed and
     * told so with an {@code sunsubscribe} frame, as a Redis cluster node does on deleting a slot.
     */
    public void dropShardChannelsInSlot(int slot) {
        Set<ChannelName> inSlot = shardChannelsBySlot.get(slot);
        if (inSlot == null) {
            return;
        }
        for (ChannelName n : List.copyOf(inSlot)) {
            for (Client c : List.copyOf(shardChannels.get(n))) {
                unsubscribe(c, SubscriptionKind.SHARD, n.bytes());
                if (!c.isClosing()) {
                    confirm(c, SubscriptionKind.SHARD.unsubscribeWord(), n.bytes(), SubscriptionKind.SHARD);
                    c.outputAdded();
                }
            }
        }
    }

    /**
     * A (un)subscription frame: the word, the channel (nil when there was none) and the client's remaining
     * count, pushed even under CLIENT REPLY OFF or SKIP, as Redis does.
     */
    public static void confirm(Client c, String word, byte[] name, SubscriptionKind kind) {
        RespWriter r = c.reply();
        boolean muted = r.isMuted();
        r.setMuted(false);
        r.push(3);
        r.bulk(word);
        r.bulk(name);
        // Shard subscriptions are counted apart from channels and patterns, as Redis 7 does.
        r.integer(
                kind == SubscriptionKind.SHARD
                        ? c.shardSubscriptions()
                        : c.channelSubscriptions() + c.patternSubscriptions());
        r.setMuted(muted);
    }

    /** The client's subscriptions of one kind, in the order they were made. */
    public List<byte[]> subscriptions(Client c, SubscriptionKind kind) {
        ClientSubscriptions subs = byClient.get(c);
        if (subs == null) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(subs.of(kind).size());
        for (ChannelName n : subs.of(kind)) {
            out.add(n.bytes());
        }
        return out;
    }

    /** Drops every subscription of a client (disconnect, RESET). */
    public void unsubscribeAll(Client c) {
        ClientSubscriptions subs = byClient.get(c);
        if (subs == null) {
            return;
        }
        for (SubscriptionKind kind : SubscriptionKind.values()) {
            for (byte[] name : subscriptions(c, kind)) {
                unsubscribe(c, kind, name);
            }
        }
    }

    /**
     * Sends {@code message} to the subscribers of {@code channel} and of every matching pattern, in that
     * order; returns how many receptions there were (a client counts once per matching subscription).
     */
    public long publish(byte[] channel, byte[] message) {
        long receivers = 0;
        Set<Client> direct = channels.get(new ChannelName(channel));
        if (direct != null) {
            for (Client c : direct) {
                deliver(c, MESSAGE, null, channel, message);
            }
            receivers += direct.size();
        }
        for (Map.Entry<ChannelName, Set<Client>> e : patterns.entrySet()) {
            byte[] pattern = e.getKey().bytes();
            if (Glob.matches(pattern, channel)) {
                for (Client c : e.getValue()) {
                    deliver(c, PMESSAGE, pattern, channel, message);
                }
                receivers += e.getValue().size();
            }
        }
        return receivers;
    }

    /** SPUBLISH: only shard-channel subscribers; patterns never see shard messages. */
    public long publishShard(byte[] channel, byte[] message) {
        Set<Client> members = shardChannels.get(new ChannelName(channel));
        if (members == null) {
            return 0;
        }
        for (Client c : members) {
            deliver(c, SMESSAGE, null, channel, message);
        }
        return members.size();
    }

    /** True if anyone at all could receive a message: lets keyspace notifications skip building names. */
    public boolean hasListeners() {
        return !channels.isEmpty() || !patterns.isEmpty();
    }

    /** Channel names (plain or shard) with at least one subscriber, matching {@code pattern} if given. */
    public List<byte[]> activeChannels(SubscriptionKind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (ChannelName n : registry(kind).keySet()) {
            if (pattern == null || Glob.matches(pattern, n.bytes())) {
                out.add(n.bytes());
            }
        }
        return out;
    }

    /** Subscribers of one channel (plain or shard). */
    public int subscriberCount(SubscriptionKind kind, byte[] channel) {
        return registry(kind)
                .getOrDefault(new ChannelName(channel), Collections.emptySet())
                .size();
    }

    public int channelCount() {
        return channels.size();
    }

    public int patternCount() {
        return patterns.size();
    }

    public int shardChannelCount() {
        return shardChannels.size();
    }

    private Map<ChannelName, Set<Client>> registry(SubscriptionKind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    private static void updateCounts(Client c, ClientSubscriptions subs) {
        c.setSubscriptionCounts(subs.channels.size(), subs.patterns.size(), subs.shards.size());
    }

    /**
     * A client's command starts; returns the client whose command was running, to give back to
     * {@link #commandFinished}. Messages published to the running client itself (PUBLISH to a channel it is
     * subscribed to, or inside its MULTI) follow the command's reply, as in Redis 7.2.
     */
    public Client commandStarted(Client c) {
        Client previous = running;
        running = c;
        return previous;
    }

    /** The command of {@code c} has replied: its held messages go out now. */
    public void commandFinished(Client c, Client previous) {
        running = previous;
        if (held.isEmpty()) {
            return;
        }
        List<HeldMessage> mine = new ArrayList<>();
        held.removeIf(m -> m.client() == c && mine.add(m));
        for (HeldMessage m : mine) {
            deliver(m.client(), m.kind(), m.pattern(), m.channel(), m.message());
        }
    }

    private void deliver(Client c, byte[] kind, byte[] pattern, byte[] channel, byte[] message) {
        if (c.isClosing()) {
            return;
        }
        if (c == running) {
            held.add(new HeldMessage(c, kind, pattern, channel, message));
            return;
        }
        RespWriter r = c.reply();
        // Messages are pushed even to a client that turned its replies off (CLIENT REPLY OFF), as in Redis.
        boolean muted = r.isMuted();
        r.setMuted(false);
        r.push(pattern == null ? 3 : 4);
        r.bulk(kind);
        if (pattern != null) {
            r.bulk(pattern);
        }
        r.bulk(channel);
        r.bulk(message);
        r.setMuted(muted);
        c.outputAdded();
    }
}
