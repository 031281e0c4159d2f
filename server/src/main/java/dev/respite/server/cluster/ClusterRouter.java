package dev.respite.server.cluster;

import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.KeyFinder;
import dev.respite.server.command.KeyRefs;
import dev.respite.server.config.ClusterSettings;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Which node serves a command, by Redis's getNodeByQuery rules: all keys (of a transaction's queued
 * commands too) must hash to one slot; an unassigned slot, a cluster that is down, a slot owned elsewhere,
 * a key missing from a slot being migrated or imported each answer with Redis's redirection or error. Keys
 * come from {@link KeyFinder}; shard channels (SPUBLISH, SSUBSCRIBE, SUNSUBSCRIBE) count as keys.
 */
public final class ClusterRouter {
    public static final int SERVE = 0;
    public static final int MOVED = 1;
    public static final int ASK = 2;
    public static final int CROSS_SLOT = 3;
    public static final int UNSTABLE = 4;
    public static final int DOWN_STATE = 5;
    public static final int DOWN_RO_STATE = 6;
    public static final int DOWN_UNBOUND = 7;

    private final Cluster cluster;
    private final Database db0;
    private final Function<byte[][], CommandSpec> resolver;
    private final BiPredicate<CommandSpec, byte[][]> writes;
    private final KeyRefs keys = new KeyRefs();
    private final byte[][][] single = new byte[1][][];
    private int slot;
    private ClusterNode target;

    /**
     * @param resolver the spec a queued command's arguments name (subcommand included), or null
     * @param writes whether a command counts as a write, script flags considered (Redis's getCommandFlags)
     */
    public ClusterRouter(
            Cluster cluster,
            Database db0,
            Function<byte[][], CommandSpec> resolver,
            BiPredicate<CommandSpec, byte[][]> writes) {
        this.cluster = cluster;
        this.db0 = db0;
        this.resolver = resolver;
        this.writes = writes;
    }

    /**
     * Routes a client's command before it runs or is queued: null when this node serves it (the slot of its
     * keys is then the client's {@link Client#slot}), else the error to answer with.
     */
    public String route(Client c, CommandSpec spec, byte[][] args) {
        c.setSlot(-1);
        int outcome = query(c, spec, args, c.asking(), c.clusterReadOnly());
        if (outcome == SERVE) {
            c.setSlot(slot);
            return null;
        }
        return error(outcome, c.isTls());
    }

    /** The slot the last {@link #query} settled on, -1 when the command had no keys or was refused first. */
    public int slot() {
        return slot;
    }

    /** Redis's getNodeByQuery for {@code spec}/{@code args}; SERVE or the reason it cannot be served here. */
    public int query(Client c, CommandSpec spec, byte[][] args, boolean asking, boolean readOnly) {
        slot = -1;
        target = null;
        ClusterState st = cluster.state();
        boolean exec = spec.fullName().equals("exec");
        List<byte[][]> commands;
        if (exec) {
            if (!c.inTransaction()) {
                return SERVE;
            }
            commands = c.transaction();
        } else {
            single[0] = args;
            commands = Arrays.asList(single);
        }
        boolean shardPubSub = isShardChannelCommand(spec);
        boolean queuedWrite = false;
        byte[] firstKey = null;
        ClusterNode owner = null;
        int keySlot = 0;
        boolean migrating = false;
        boolean importing = false;
        boolean multipleKeys = false;
        int missing = 0;
        int existing = 0;
        for (byte[][] cmdArgs : commands) {
            CommandSpec cmd = exec ? resolver.apply(cmdArgs) : spec;
            if (cmd == null) {
                continue;
            }
            if (exec) {
                queuedWrite |= cmd.isWrite();
            }
            int count = findKeys(cmd, cmdArgs);
            for (int j = 0; j < count; j++) {
                byte[] key = cmdArgs[keys.position(j)];
                int thisSlot = KeySlot.of(key);
                if (firstKey == null) {
                    firstKey = key;
                    keySlot = thisSlot;
                    owner = st.owner(keySlot);
                    if (owner == null) {
                        return DOWN_UNBOUND;
                    }
                    if (owner == st.myself() && st.migratingTo(keySlot) != null) {
                        migrating = true;
                    } else if (st.importingFrom(keySlot) != null) {
                        importing = true;
                    }
                } else {
                    if (keySlot != thisSlot) {
                        return CROSS_SLOT;
                    }
                    if (importing && !multipleKeys && !Arrays.equals(firstKey, key)) {
                        multipleKeys = true;
                    }
                }
                if ((migrating || importing) && !shardPubSub) {
                    if (db0.peek(key) == null) {
                        missing++;
                    } else {
                        existing++;
                    }
                }
            }
        }
        single[0] = null;
        if (owner == null) {
            return SERVE;
        }
        boolean write = writes.test(spec, args);
        ClusterSettings settings = cluster.settings();
        if (!st.isOk()) {
            if (shardPubSub) {
                if (!settings.allowPubsubshardWhenDown) {
                    return DOWN_STATE;
                }
            } else if (!settings.allowReadsWhenDown) {
                return DOWN_STATE;
            } else if (write) {
                return DOWN_RO_STATE;
            }
        }
        slot = keySlot;
        if ((migrating || importing) && spec.fullName().equals("migrate")) {
            return SERVE;
        }
        if (migrating && missing > 0) {
            if (existing > 0) {
                return UNSTABLE;
            }
            target = st.migratingTo(keySlot);
            return ASK;
        }
        if (importing && (asking || spec.has(CommandFlag.ASKING))) {
            return multipleKeys && missing > 0 ? UNSTABLE : SERVE;
        }
        boolean anyWrite = write || (exec && queuedWrite);
        ClusterNode myself = st.myself();
        if ((readOnly || shardPubSub) && !anyWrite && myself.isReplica() && myself.master() == owner) {
            return SERVE;
        }
        if (owner != myself) {
            target = owner;
            return MOVED;
        }
        return SERVE;
    }

    /**
     * Redis's check of a command a script runs through redis.call: it must be served here with the caller's
     * ASKING and READONLY state, and (unless the script may cross slots) stay in the slot the script's
     * declared keys or earlier commands used. Null when it may run, else the refusal.
     */
    public String scriptRefusal(
            Client caller, Client scriptClient, CommandSpec spec, byte[][] args, boolean allowCrossSlot) {
        int outcome = query(scriptClient, spec, args, caller.asking(), caller.clusterReadOnly());
        if (outcome != SERVE) {
            return switch (outcome) {
                case DOWN_RO_STATE ->
                    "Script attempted to execute a write command while the cluster is down and readonly";
                case DOWN_STATE -> "Script attempted to execute a command while the cluster is down";
                default -> "Script attempted to access a non local key in a cluster node";
            };
        }
        if (slot != -1 && !allowCrossSlot) {
            if (caller.slot() == -1) {
                caller.setSlot(slot);
            } else if (caller.slot() != slot) {
                return "Script attempted to access keys that do not hash to the same slot";
            }
        }
        return null;
    }

    /**
     * The error text for a query's outcome, as Redis's clusterRedirectClient words it; a redirection names the
     * TLS port to a client connected over TLS.
     */
    public String error(int outcome, boolean tls) {
        return switch (outcome) {
            case CROSS_SLOT -> "CROSSSLOT Keys in request don't hash to the same slot";
            case UNSTABLE -> "TRYAGAIN Multiple keys request during rehashing of slot";
            case DOWN_STATE -> "CLUSTERDOWN The cluster is down";
            case DOWN_RO_STATE -> "CLUSTERDOWN The cluster is down and only accepts read commands";
            case DOWN_UNBOUND -> "CLUSTERDOWN Hash slot not served";
            case MOVED, ASK ->
                (outcome == ASK ? "ASK " : "MOVED ") + slot + " " + cluster.endpoint(target) + ":"
                        + target.clientPort(tls);
            default -> throw new IllegalArgumentException("no error for outcome " + outcome);
        };
    }

    /** Key positions into {@link #keys}: the key finder's, or a shard channel command's channels. */
    private int findKeys(CommandSpec cmd, byte[][] args) {
        if (!isShardChannelCommand(cmd)) {
            return KeyFinder.find(cmd, args, keys);
        }
        keys.clear();
        int last = cmd.fullName().equals("spublish") ? 1 : args.length - 1;
        for (int i = 1; i <= last; i++) {
            keys.add(i, 0);
        }
        return keys.size();
    }

    private static boolean isShardChannelCommand(CommandSpec spec) {
        return switch (spec.fullName()) {
            case "spublish", "ssubscribe", "sunsubscribe" -> true;
            default -> false;
        };
    }
}
