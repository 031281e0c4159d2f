package dev.respite.server.persistence;

import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.PropagationRule;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Decides what each executed command leaves in the append-only file: a write command that changed
 * something (the change counter moved) is logged as received, or as its spec's propagation rule or
 * a handler's {@link #replace replacement} says; a transaction's writes are wrapped in MULTI/EXEC; keys
 * removed by expiry become DEL. Runs on the keyspace thread.
 */
public final class Propagation {
    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final AppendOnlyFile aof;
    private boolean active;
    private List<byte[][]> replacement;
    private int execDepth;
    private boolean multiOpen;

    Propagation(AppendOnlyFile aof) {
        this.aof = aof;
    }

    /** On while the append-only file runs and nothing is being loaded. */
    void setActive(boolean active) {
        this.active = active;
    }

    public boolean active() {
        return active;
    }

    /**
     * Called by a handler whose effect its arguments do not determine (a random pop, a blocked client
     * served): these commands are logged instead of the one running.
     */
    public void replace(byte[][]... commands) {
        replacement = Arrays.asList(commands);
    }

    public void beforeCall(CommandSpec spec) {
        replacement = null;
        if (active && wrapsEffects(spec)) {
            execDepth++;
        }
    }

    public void afterCall(Client c, CommandSpec spec, byte[][] args, long dirtyBefore) {
        if (!active) {
            return;
        }
        if (wrapsEffects(spec)) {
            if (--execDepth == 0 && multiOpen) {
                multiOpen = false;
                aof.feed(-1, new byte[][] {EXEC});
            }
            return;
        }
        if (!(spec.isWrite() || spec.has(CommandFlag.MAY_REPLICATE)) || c.db().keyspace().dirty() == dirtyBefore) {
            replacement = null;
            return;
        }
        List<byte[][]> logged = replacement;
        replacement = null;
        if (logged == null) {
            PropagationRule rule = spec.propagationRule();
            logged = rule == null ? Collections.singletonList(args) : rule.rewrite(c.db(), args);
        }
        for (byte[][] cmd : logged) {
            log(c.db().index(), cmd);
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
        if (active) {
            log(db.index(), new byte[][] {DEL, key});
        }
    }

    private void log(int db, byte[][] cmd) {
        if (execDepth > 0 && !multiOpen) {
            multiOpen = true;
            aof.feed(-1, new byte[][] {MULTI});
        }
        aof.feed(db, cmd);
    }
}
