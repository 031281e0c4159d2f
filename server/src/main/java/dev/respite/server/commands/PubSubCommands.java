package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.PubSubHub;
import dev.respite.server.pubsub.SubscriptionKind;
import java.util.List;

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
            "    Print this help.");

    private final AdminContext server;
    private final PubSubHub hub;

    public PubSubCommands(AdminContext server, PubSubHub hub) {
        this.server = server;
        this.hub = hub;
    }

    public void register(CommandTable t) {
        t.bind("subscribe", (c, a) -> subscribe(c, a, SubscriptionKind.CHANNEL));
        t.bind("psubscribe", (c, a) -> subscribe(c, a, SubscriptionKind.PATTERN));
        t.bind("ssubscribe", (c, a) -> subscribe(c, a, SubscriptionKind.SHARD));
        t.bind("unsubscribe", (c, a) -> unsubscribe(c, a, SubscriptionKind.CHANNEL));
        t.bind("punsubscribe", (c, a) -> unsubscribe(c, a, SubscriptionKind.PATTERN));
        t.bind("sunsubscribe", (c, a) -> unsubscribe(c, a, SubscriptionKind.SHARD));
        t.bind("publish", (c, a) -> {
            c.reply().integer(hub.publish(a[1], a[2]));
            relay(a, false);
        });
        t.bind("spublish", (c, a) -> {
            c.reply().integer(hub.publishShard(a[1], a[2]));
            relay(a, true);
        });
        t.bind("pubsub|channels", (c, a) -> channels(c, a, SubscriptionKind.CHANNEL));
        t.bind("pubsub|numpat", (c, a) -> c.reply().integer(hub.patternCount()));
        t.bind("pubsub|numsub", (c, a) -> numsub(c, a, SubscriptionKind.CHANNEL));
        t.bind("pubsub|shardchannels", (c, a) -> channels(c, a, SubscriptionKind.SHARD));
        t.bind("pubsub|shardnumsub", (c, a) -> numsub(c, a, SubscriptionKind.SHARD));
        t.bind("pubsub|help", this::help);
        server.onDisconnect(hub::unsubscribeAll);
    }

    /** A cluster node sends the message over the bus (its replicas get it there); otherwise it is replicated. */
    private void relay(byte[][] a, boolean shard) {
        if (hub.clusterRelay() != null) {
            hub.clusterRelay().publish(a[1], a[2], shard);
        } else {
            server.persistence().propagation().replicateOnly();
        }
    }

    private void subscribe(Client c, byte[][] a, SubscriptionKind kind) {
        for (int i = 1; i < a.length; i++) {
            hub.subscribe(c, kind, a[i]);
            PubSubHub.confirm(c, kind.subscribeWord(), a[i], kind);
        }
    }

    private void unsubscribe(Client c, byte[][] a, SubscriptionKind kind) {
        if (a.length == 1) {
            List<byte[]> all = hub.subscriptions(c, kind);
            if (all.isEmpty()) {
                PubSubHub.confirm(c, kind.unsubscribeWord(), null, kind);
            }
            for (byte[] name : all) {
                hub.unsubscribe(c, kind, name);
                PubSubHub.confirm(c, kind.unsubscribeWord(), name, kind);
            }
            return;
        }
        for (int i = 1; i < a.length; i++) {
            hub.unsubscribe(c, kind, a[i]);
            PubSubHub.confirm(c, kind.unsubscribeWord(), a[i], kind);
        }
    }

    private void channels(Client c, byte[][] a, SubscriptionKind kind) {
        if (a.length > 3) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.str(a[1])
                    + "'. Try PUBSUB HELP.");
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
