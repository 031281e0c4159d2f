package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.PubSubHub;
import dev.respite.server.pubsub.SubscriptionKind;

import java.util.List;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/**
 * The pub/sub family: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB. Shard channels
 * have single-node semantics: one node owns every slot.
 */
public final class PubSubCommands {
    private static final List<String> HELP = List.of(
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help.");

    private final AdminContext server;
    private final PubSubHub hub;

    public PubSubCommands(AdminContext server, PubSubHub hub) {
        this.server = server;
        this.hub = hub;
    }

    public void register(CommandTable t) {
        String g = "pubsub";
        t.add(of("subscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group(g).since("2.0.0").complexity("O(N) where N is the number of channels to subscribe to.")
                .summary("Listens for messages published to channels.").handler((c, a) -> subscribe(c, a, SubscriptionKind.CHANNEL)));
        t.add(of("psubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group(g).since("2.0.0").complexity("O(N) where N is the number of patterns to subscribe to.")
                .summary("Listens for messages published to channels that match one or more patterns.").handler((c, a) -> subscribe(c, a, SubscriptionKind.PATTERN)));
        t.add(of("ssubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).keys(1, -1, 1).group(g).since("7.0.0").complexity("O(N) where N is the number of shard channels to subscribe to.")
                .summary("Listens for messages published to shard channels.").handler((c, a) -> subscribe(c, a, SubscriptionKind.SHARD)));
        t.add(of("unsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group(g).since("2.0.0").complexity("O(N) where N is the number of channels to unsubscribe.")
                .summary("Stops listening to messages posted to channels.").handler((c, a) -> unsubscribe(c, a, SubscriptionKind.CHANNEL)));
        t.add(of("punsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).group(g).since("2.0.0").complexity("O(N) where N is the number of patterns to unsubscribe.")
                .summary("Stops listening to messages published to channels that match one or more patterns.").handler((c, a) -> unsubscribe(c, a, SubscriptionKind.PATTERN)));
        t.add(of("sunsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).keys(1, -1, 1).group(g).since("7.0.0").complexity("O(N) where N is the number of shard channels to unsubscribe.")
                .summary("Stops listening to messages posted to shard channels.").handler((c, a) -> unsubscribe(c, a, SubscriptionKind.SHARD)));
        t.add(of("publish", 3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE).group(g).since("2.0.0")
                .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).")
                .summary("Posts a message to a channel.").handler((c, a) -> c.reply().integer(hub.publish(a[1], a[2]))));
        t.add(of("spublish", 3).flags(PUBSUB, LOADING, STALE, FAST, MAY_REPLICATE).keys(1, 1, 1).group(g).since("7.0.0")
                .complexity("O(N) where N is the number of clients subscribed to the receiving shard channel.")
                .summary("Post a message to a shard channel").handler((c, a) -> c.reply().integer(hub.publishShard(a[1], a[2]))));
        t.add(of("pubsub", -2).group(g).since("2.8.0").summary("A container for Pub/Sub commands.")
                .sub(of("channels", -2).flags(PUBSUB, LOADING, STALE).group(g).since("2.8.0").complexity("O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)")
                        .summary("Returns the active channels.").handler((c, a) -> channels(c, a, SubscriptionKind.CHANNEL)))
                .sub(of("numpat", 2).flags(PUBSUB, LOADING, STALE).group(g).since("2.8.0")
                        .summary("Returns a count of unique pattern subscriptions.").handler((c, a) -> c.reply().integer(hub.patternCount())))
                .sub(of("numsub", -2).flags(PUBSUB, LOADING, STALE).group(g).since("2.8.0").complexity("O(N) for the NUMSUB subcommand, where N is the number of requested channels")
                        .summary("Returns a count of subscribers to channels.").handler((c, a) -> numsub(c, a, SubscriptionKind.CHANNEL)))
                .sub(of("shardchannels", -2).flags(PUBSUB, LOADING, STALE).group(g).since("7.0.0").complexity("O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).")
                        .summary("Returns the active shard channels.").handler((c, a) -> channels(c, a, SubscriptionKind.SHARD)))
                .sub(of("shardnumsub", -2).flags(PUBSUB, LOADING, STALE).group(g).since("7.0.0").complexity("O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels")
                        .summary("Returns the count of subscribers of shard channels.").handler((c, a) -> numsub(c, a, SubscriptionKind.SHARD)))
                .sub(of("help", 2).flags(LOADING, STALE).group(g).since("6.2.0").summary("Returns helpful text about the different subcommands.")
                        .handler(this::help)));
        server.onDisconnect(hub::unsubscribeAll);
    }

    private void subscribe(Client c, byte[][] a, SubscriptionKind kind) {
        for (int i = 1; i < a.length; i++) {
            hub.subscribe(c, kind, a[i]);
            confirm(c, kind.subscribeWord(), a[i], kind);
        }
    }

    private void unsubscribe(Client c, byte[][] a, SubscriptionKind kind) {
        if (a.length == 1) {
            List<byte[]> all = hub.subscriptions(c, kind);
            if (all.isEmpty()) {
                confirm(c, kind.unsubscribeWord(), null, kind);
            }
            for (byte[] name : all) {
                hub.unsubscribe(c, kind, name);
                confirm(c, kind.unsubscribeWord(), name, kind);
            }
            return;
        }
        for (int i = 1; i < a.length; i++) {
            hub.unsubscribe(c, kind, a[i]);
            confirm(c, kind.unsubscribeWord(), a[i], kind);
        }
    }

    /** A confirmation frame: the word, the channel (nil when there was none) and the remaining count. */
    private static void confirm(Client c, String word, byte[] name, SubscriptionKind kind) {
        RespWriter r = c.reply();
        r.push(3);
        r.bulk(word);
        r.bulk(name);
        // Shard subscriptions are counted apart from channels and patterns, as Redis 7 does.
        r.integer(kind == SubscriptionKind.SHARD ? c.shardSubscriptions() : c.channelSubscriptions() + c.patternSubscriptions());
    }

    private void channels(Client c, byte[][] a, SubscriptionKind kind) {
        if (a.length > 3) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.str(a[1]) + "'. Try PUBSUB HELP.");
        }
        List<byte[]> names = hub.activeChannels(kind, a.length == 3 ? a[2] : null);
        c.reply().array(names.size());
        for (byte[] n : names) {
            c.reply().bulk(n);
        }
    }

    private void help(Client c, byte[][] a) {
        RespWriter r = c.reply();
        r.array(HELP.size());
        for (String line : HELP) {
            r.simple(line);
        }
    }

    private void numsub(Client c, byte[][] a, SubscriptionKind kind) {
        RespWriter r = c.reply();
        r.array((a.length - 2) * 2L);
        for (int i = 2; i < a.length; i++) {
            r.bulk(a[i]);
            r.integer(hub.subscriberCount(kind, a[i]));
        }
    }
}
