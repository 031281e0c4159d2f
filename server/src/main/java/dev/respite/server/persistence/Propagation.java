package dev.respite.server.persistence;

import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.PropagationRule;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import dev.respite.storage.Keyspace;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Decides what each executed command leaves in the append-only file and in the replication stream (one
 * path for both, so that a replica and a reload see the same effects): a write command that changed
 * something (the change counter moved) is propagated as received, or as its spec's propagation rule
 * or a handler's {@link #replace replacement} says; the writes of a transaction or script are wrapped in
 * MULTI/EXEC when there are two or more (one goes alone, as in Redis 7); FLUSHDB and FLUSHALL always go; keys
 * removed by expiry or eviction become DEL. Each {@link PropagationSink} tracks its own selected database.
 * Runs on the keyspace thread.
 */
public final class Propagation {
    public static final int TO_FILE = 1;
    public static final int TO_REPLICAS = 2;
    public static final int TO_ALL = TO_FILE | TO_REPLICAS;

    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final AppendOnlyFile aof;
    /** The replication stream; never null once the server is built, idle while no replica needs it. */
    private PropagationSink replication = PropagationSink.NONE;

    private boolean aofActive;
    /** While the dataset is reloaded from disk in place: what the load replays was logged already. */
    private boolean suspended;

    private List<byte[][]> replacement;
    /** Set by a command that changes no data but goes to replicas anyway (PUBLISH), never to the file. */
    private boolean toReplicasOnly;
    /** Set by a command propagated even when it changed nothing (FLUSHDB, FLUSHALL on empty data), as in Redis. */
    private boolean forced;
    /**
     * The first command of a transaction or script, held back: as Redis 7 does, a unit that propagates a single
     * command sends it alone, and only a second one opens MULTI.
     */
    private byte[][] heldCommand;

    private int heldDb;
    private int heldTargets;

    private int execDepth;
    /** Keys removed by expiry or eviction so far: they move the change counter, but are no command's doing. */
    private long removals;

    private boolean multiOpen;
    /** Where a command's effects go (a script's redis.set_repl): bit 1 the file, bit 2 the replicas. */
    private int targets = TO_ALL;

    Propagation(AppendOnlyFile aof) {
        this.aof = aof;
    }

    /** On while the append-only file runs and nothing is being loaded. */
    void setActive(boolean active) {
        this.aofActive = active;
    }

    void setSuspended(boolean suspended) {
        this.suspended = suspended;
    }

    /** Attaches the replication stream, the second consumer of every propagated command. */
    public void setReplicationSink(PropagationSink sink) {
        this.replication = sink;
    }

    /** Whether anything consumes propagated commands now: the append-only file or the replication stream. */
    public boolean active() {
        return !suspended && (aofActive || replication.accepting());
    }

    /**
     * Called by a handler whose effect its arguments do not determine (a random pop, a blocked client
     * served): these commands are logged instead of the one running.
     */
    public void replace(byte[][]... commands) {
        replacement = Arrays.asList(commands);
    }

    /**
     * The change counter less expiry and eviction: what a command's own effect moves. Taken before a call
     * and handed to {@link #afterCall}, so that a write that only met an expired key is not propagated.
     */
    public long changes(Keyspace keyspace) {
        return keyspace.dirty() - removals;
    }

    /**
     * Called by PUBLISH and SPUBLISH: as in Redis, the message goes to the replicas (whose subscribers then
     * receive it) but not to the append-only file, and although no data changed. With {@link #replace}, the
     * replicas get the replacement instead (DEBUG REPLICATE).
     */
    public void replicateOnly() {
        toReplicasOnly = true;
    }

    /** Called by FLUSHDB and FLUSHALL: propagated even when there was nothing to remove, as Redis forces them. */
    public void force() {
        forced = true;
    }

    public void beforeCall(CommandSpec spec) {
        replacement = null;
        toReplicasOnly = false;
        forced = false;
        if (active() && wrapsEffects(spec)) {
            execDepth++;
        }
    }

    public void afterCall(Client c, CommandSpec spec, byte[][] args, long dirtyBefore) {
        if (wrapsEffects(spec)) {
            if (execDepth > 0 && --execDepth == 0) {
                if (multiOpen) {
                    multiOpen = false;
                    feed(-1, new byte[][] {EXEC}, TO_ALL);
                    wrote(c);
                } else if (heldCommand != null) {
                    byte[][] only = heldCommand;
                    heldCommand = null;
                    feed(heldDb, only, heldTargets);
                    wrote(c);
                }
            }
            return;
        }
        if (!active()) {
            return;
        }
        if (toReplicasOnly) {
            toReplicasOnly = false;
            List<byte[][]> sent = replacement == null ? Collections.singletonList(args) : replacement;
            replacement = null;
            if (replication.accepting()) {
                for (byte[][] cmd : sent) {
                    emit(c.db().index(), cmd, TO_REPLICAS);
                }
                wrote(c);
            }
            return;
        }
        boolean changed = changes(c.db().keyspace()) != dirtyBefore || forced;
        forced = false;
        if (!(spec.isWrite() || spec.has(CommandFlag.MAY_REPLICATE)) || !changed) {
            replacement = null;
            return;
        }
        List<byte[][]> logged = replacement;
        replacement = null;
        if (logged == null) {
            PropagationRule rule = spec.propagationRule();
            logged = rule == null ? Collections.singletonList(args) : rule.rewrite(c.db(), args);
        }
        // Several effects of one command reach the log as one transaction, as Redis propagates them.
        boolean transaction = logged.size() > 1 && execDepth == 0 && targets != 0;
        if (transaction) {
            feed(-1, new byte[][] {MULTI}, TO_ALL);
        }
        for (byte[][] cmd : logged) {
            log(c.db().index(), cmd);
        }
        if (transaction) {
            feed(-1, new byte[][] {EXEC}, TO_ALL);
        }
        wrote(c);
    }

    /** Inside EXEC or a script the client's marks move once, when the whole block is logged, as in Redis. */
    private void wrote(Client c) {
        if (execDepth == 0) {
            c.wrote(replication.offset(), aof.fedCommands());
        }
    }

    /** EXEC and scripts: the writes they run are logged between MULTI and EXEC. */
    private static boolean wrapsEffects(CommandSpec spec) {
        return switch (spec.name()) {
            case "exec", "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" -> true;
            default -> false;
        };
    }

    /** A key left by expiry (or eviction): replicas of this log must drop it too, at this point. */
    public void keyRemoved(Database db, byte[] key) {
        removals++;
        if (active()) {
            log(db.index(), new byte[][] {DEL, key});
        }
    }

    /** Limits where the next commands' effects go, until set back to {@link #TO_ALL}. */
    public void setTargets(int targets) {
        this.targets = targets;
    }

    private void log(int db, byte[][] cmd) {
        if (targets == 0) {
            return;
        }
        emit(db, cmd, targets);
    }

    /** Outside a transaction or script, sends {@code cmd} now; inside, holds the first and wraps two or more. */
    private void emit(int db, byte[][] cmd, int to) {
        if (execDepth == 0 || multiOpen) {
            feed(db, cmd, to);
            return;
        }
        if (heldCommand == null) {
            heldCommand = cmd;
            heldDb = db;
            heldTargets = to;
            return;
        }
        multiOpen = true;
        feed(-1, new byte[][] {MULTI}, TO_ALL);
        byte[][] first = heldCommand;
        heldCommand = null;
        feed(heldDb, first, heldTargets);
        feed(db, cmd, to);
    }

    private void feed(int db, byte[][] cmd, int to) {
        // MULTI and EXEC (db -1) go everywhere, so that each consumer sees a whole transaction.
        if (aofActive && (db < 0 || (to & TO_FILE) != 0)) {
            aof.feed(db, cmd);
        }
        boolean toReplicas = db < 0 || (to & TO_REPLICAS) != 0;
        if (replication.accepting() && toReplicas) {
            replication.feed(db, cmd);
        } else if (aofActive && toReplicas) {
            replication.unreplicated();
        }
    }
}
