package dev.respite.server.blocking;

import dev.respite.server.DbKey;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Clients parked by blocking commands (BLPOP, BLMOVE, BZPOPMIN...). A parked client holds no thread:
 * it is a record in a FIFO per key. When a write makes a key ready, each client waiting on it is given
 * its command again in the order it blocked; a command that still cannot be served blocks again and keeps
 * its place, one that can replies and releases the client.
 *
 * <p>Handlers use it in one way: try to serve; if they cannot, call {@link #block}. Writers that may
 * serve a waiter (a push, an add to a sorted set) call {@link #signalKeyReady}.
 */
public final class BlockedClients {
    /** Runs a client's command again; supplied by the dispatcher. */
    public interface Executor {
        void reexecute(Client c, byte[][] args);
    }

    private static final class Waiter {
        final Client client;
        final List<DbKey> keys;
        final byte[][] args;
        final Consumer<Client> onTimeout;
        final boolean wakeOnChange;
        ScheduledFuture<?> timer;
        boolean blockedAgain;

        Waiter(Client client, List<DbKey> keys, byte[][] args, Consumer<Client> onTimeout, boolean wakeOnChange) {
            this.client = client;
            this.keys = keys;
            this.args = args;
            this.onTimeout = onTimeout;
            this.wakeOnChange = wakeOnChange;
        }
    }

    private final Map<DbKey, ArrayDeque<Waiter>> waiting = new HashMap<>();
    private final Set<DbKey> ready = new LinkedHashSet<>();
    private final Executor executor;
    private final Runnable flushReplies;
    private int blockedCount;

    /** {@code flushReplies} sends every client's pending replies, after a timeout answered its client. */
    public BlockedClients(Executor executor, Runnable flushReplies) {
        this.executor = executor;
        this.flushReplies = flushReplies;
    }

    /** Clients currently parked (INFO blocked_clients). */
    public int count() {
        return blockedCount;
    }

    /** Keys some client waits on (INFO blocked_keys... and tests). */
    public int keyCount() {
        return waiting.size();
    }

    /**
     * Parks {@code client}, whose current command is {@code args}, until one of {@code keys} in
     * {@code db} is signalled ready or {@code timeoutMillis} passes (0: forever), when {@code onTimeout}
     * writes the command's timeout reply. Inside MULTI/EXEC nothing blocks: the timeout reply is written at
     * once. Called again for a client being given its command again, it keeps the client's place.
     */
    public void block(Client client, Database db, byte[][] keys, long timeoutMillis, byte[][] args, Consumer<Client> onTimeout) {
        park(client, db, keys, timeoutMillis, args, onTimeout, false);
    }

    /**
     * As {@link #block}, and the command also runs again when one of the keys is deleted or changed in any
     * way ({@link #signalKeyChanged}): XREADGROUP must answer NOGROUP once its group or stream is gone.
     */
    public void blockUntilChanged(Client client, Database db, byte[][] keys, long timeoutMillis, byte[][] args, Consumer<Client> onTimeout) {
        park(client, db, keys, timeoutMillis, args, onTimeout, true);
    }

    private void park(Client client, Database db, byte[][] keys, long timeoutMillis, byte[][] args, Consumer<Client> onTimeout,
                      boolean wakeOnChange) {
        if (client.blockedOn() instanceof Waiter w) {
            w.blockedAgain = true;
            return;
        }
        if (client.executingTransaction()) {
            onTimeout.accept(client);
            return;
        }
        List<DbKey> refs = new ArrayList<>(keys.length);
        for (byte[] k : keys) {
            DbKey ref = new DbKey(db.index(), k);
            if (!refs.contains(ref)) {
                refs.add(ref);
            }
        }
        Waiter w = new Waiter(client, refs, args, onTimeout, wakeOnChange);
        for (DbKey r : refs) {
            waiting.computeIfAbsent(r, x -> new ArrayDeque<>()).add(w);
        }
        if (timeoutMillis > 0) {
            w.timer = client.channel().eventLoop().schedule(() -> timeOut(w), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        client.setBlockedOn(w);
        blockedCount++;
    }

    /** A write made {@code key} possibly able to serve a waiter. Cheap when nobody waits. */
    public void signalKeyReady(Database db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        DbKey ref = new DbKey(db.index(), key);
        if (waiting.containsKey(ref)) {
            ready.add(ref);
        }
    }

    /** Any change to {@code key}: wakes the clients that asked for it with {@link #blockUntilChanged}. */
    public void signalKeyChanged(Database db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        DbKey ref = new DbKey(db.index(), key);
        ArrayDeque<Waiter> queue = waiting.get(ref);
        if (queue != null) {
            for (Waiter w : queue) {
                if (w.wakeOnChange) {
                    ready.add(ref);
                    return;
                }
            }
        }
    }

    public boolean hasReadyKeys() {
        return !ready.isEmpty();
    }

    /** Gives waiters on ready keys their commands again, in the order they blocked, until none is ready. */
    public void serveReadyKeys() {
        while (!ready.isEmpty()) {
            DbKey ref = ready.iterator().next();
            ready.remove(ref);
            ArrayDeque<Waiter> queue = waiting.get(ref);
            if (queue == null) {
                continue;
            }
            for (Waiter w : queue.toArray(new Waiter[0])) {
                if (w.client.blockedOn() != w) {
                    continue;
                }
                w.blockedAgain = false;
                executor.reexecute(w.client, w.args);
                if (!w.blockedAgain && w.client.blockedOn() == w) {
                    release(w);
                    w.client.runDeferred();
                }
            }
        }
    }

    /** CLIENT UNBLOCK: false if the client was not blocked. */
    public boolean unblock(Client c, boolean withError) {
        if (!(c.blockedOn() instanceof Waiter w)) {
            return false;
        }
        release(w);
        if (withError) {
            c.reply().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        } else {
            w.onTimeout.accept(c);
        }
        c.runDeferred();
        return true;
    }

    /** The client went away: forget it. */
    public void disconnected(Client c) {
        if (c.blockedOn() instanceof Waiter w) {
            release(w);
        }
    }

    private void timeOut(Waiter w) {
        if (w.client.blockedOn() != w) {
            return;
        }
        release(w);
        w.onTimeout.accept(w.client);
        w.client.runDeferred();
        flushReplies.run();
    }

    private void release(Waiter w) {
        for (DbKey r : w.keys) {
            ArrayDeque<Waiter> q = waiting.get(r);
            if (q != null) {
                q.remove(w);
                if (q.isEmpty()) {
                    waiting.remove(r);
                }
            }
        }
        if (w.timer != null) {
            w.timer.cancel(false);
        }
        w.client.setBlockedOn(null);
        blockedCount--;
    }
}
