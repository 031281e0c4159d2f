package dev.respite.server.blocking;

import dev.respite.server.DbKey;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.types.StreamValue;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
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
        /** One of the WAKE_* bits: which signals give this waiter its command again. */
        final int kind;
        /** The database waited in, and the class of value that can serve the waiter (null: any). */
        final Database db;

        final Class<?> type;
        ScheduledFuture<?> timer;
        boolean blockedAgain;

        Waiter(
                Client client,
                List<DbKey> keys,
                byte[][] args,
                Consumer<Client> onTimeout,
                int kind,
                Database db,
                Class<?> type) {
            this.client = client;
            this.keys = keys;
            this.args = args;
            this.onTimeout = onTimeout;
            this.kind = kind;
            this.db = db;
            this.type = type;
        }
    }

    private final Map<DbKey, ArrayDeque<Waiter>> waiting = new HashMap<>();
    /** Waiters on lists and sorted sets: any signal of their key. */
    private static final int WAKE_ANY = 1;
    /** XREAD: pushes and stream appends, never changes of another type. */
    private static final int WAKE_STREAM = 2;
    /** XREADGROUP: as XREAD, and also deletion or any change of the key (its group may be gone). */
    private static final int WAKE_STREAM_OR_CHANGE = 4;

    private static final int ALL = WAKE_ANY | WAKE_STREAM | WAKE_STREAM_OR_CHANGE;

    /** Keys signalled since the last serving, each with the waiter kinds the signals may serve. */
    private final Map<DbKey, Integer> ready = new LinkedHashMap<>();

    private final Executor executor;
    private final Runnable flushReplies;
    /** INFO errorstats: an unblocked command replies with an error that counts as one. */
    private final Consumer<String> countError;

    private int blockedCount;

    /** {@code flushReplies} sends every client's pending replies, after a timeout answered its client. */
    public BlockedClients(Executor executor, Runnable flushReplies, Consumer<String> countError) {
        this.executor = executor;
        this.flushReplies = flushReplies;
        this.countError = countError;
    }

    /** Clients currently parked (INFO blocked_clients). */
    public int count() {
        return blockedCount;
    }

    /** Keys some client waits on that also wake it when deleted (INFO total_blocking_keys_on_nokey). */
    public int keyCountOnNoKey() {
        int n = 0;
        for (ArrayDeque<Waiter> q : waiting.values()) {
            for (Waiter w : q) {
                if (w.kind == WAKE_STREAM_OR_CHANGE) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /**
     * True if the command {@code c} just ran left it parked (newly, or again after being woken): such a
     * run is not a call in INFO commandstats, as in Redis, which counts a blocked command once it replies.
     */
    public boolean parkedBy(Client c, boolean wasBlocked) {
        return c.blockedOn() instanceof Waiter w && (!wasBlocked || w.blockedAgain);
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
    public void block(
            Client client, Database db, byte[][] keys, long timeoutMillis, byte[][] args, Consumer<Client> onTimeout) {
        park(client, db, keys, timeoutMillis, args, onTimeout, WAKE_ANY, null);
    }

    /**
     * As {@link #block} for a pop that only a value of class {@code type} can serve (BLPOP a list, BZPOPMIN a
     * sorted set). As in Redis, a ready key holding another type leaves the waiter blocked: a list replaced by
     * a string in one transaction does not answer BLPOP with WRONGTYPE.
     */
    public void blockFor(
            Class<?> type,
            Client client,
            Database db,
            byte[][] keys,
            long timeoutMillis,
            byte[][] args,
            Consumer<Client> onTimeout) {
        park(client, db, keys, timeoutMillis, args, onTimeout, WAKE_ANY, type);
    }

    /**
     * As {@link #block} for a stream read: woken by {@link #signalStreamReady} (an append) or a generic
     * signal, not by other types' writes. With {@code untilChanged} (XREADGROUP) the command also runs
     * again when a key is deleted or changed in any way ({@link #signalKeyChanged}), so that it can answer
     * NOGROUP once its group or stream is gone. As in Redis, XREAD stays blocked when its key is found holding
     * no stream (another type, or a stream past its time, which is not deleted then), while XREADGROUP runs again
     * whatever the key holds.
     */
    public void blockOnStreams(
            Client client,
            Database db,
            byte[][] keys,
            long timeoutMillis,
            byte[][] args,
            Consumer<Client> onTimeout,
            boolean untilChanged) {
        park(
                client,
                db,
                keys,
                timeoutMillis,
                args,
                onTimeout,
                untilChanged ? WAKE_STREAM_OR_CHANGE : WAKE_STREAM,
                untilChanged ? null : StreamValue.class);
    }

    private void park(
            Client client,
            Database db,
            byte[][] keys,
            long timeoutMillis,
            byte[][] args,
            Consumer<Client> onTimeout,
            int kind,
            Class<?> type) {
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
        Waiter w = new Waiter(client, refs, args, onTimeout, kind, db, type);
        for (DbKey r : refs) {
            waiting.computeIfAbsent(r, x -> new ArrayDeque<>()).add(w);
        }
        client.setBlockedOn(w);
        blockedCount++;
        if (timeoutMillis > 0) {
            w.timer = commandThread(client).schedule(() -> timeOut(w), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The loop running this command, where the timeout must run too: with io-threads the client's own
     * channel loop is an I/O thread, and a timeout run there would race the keyspace thread.
     */
    private static EventExecutor commandThread(Client client) {
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        return current != null ? current : client.channel().eventLoop();
    }

    /** A write made {@code key} possibly able to serve a waiter. Cheap when nobody waits. */
    public void signalKeyReady(Database db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        mark(new DbKey(db.index(), key), ALL);
    }

    /** An entry was appended to the stream at {@code key}: wakes stream readers only. */
    public void signalStreamReady(Database db, byte[] key) {
        if (!waiting.isEmpty()) {
            mark(new DbKey(db.index(), key), WAKE_STREAM | WAKE_STREAM_OR_CHANGE);
        }
    }

    private void mark(DbKey ref, int kinds) {
        if (waiting.containsKey(ref)) {
            ready.merge(ref, kinds, (x, y) -> x | y);
        }
    }

    /** Any change to {@code key}: wakes the clients that asked for it with {@link #blockUntilChanged}. */
    public void signalKeyChanged(Database db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        mark(new DbKey(db.index(), key), WAKE_STREAM_OR_CHANGE);
    }

    /**
     * A whole database was flushed or swapped: every key in it may have changed, and a key it holds now (SWAPDB
     * brought it) may serve any waiter, as Redis signals after a swap.
     */
    public void signalDatabaseChanged(Database db) {
        if (waiting.isEmpty()) {
            return;
        }
        for (DbKey ref : waiting.keySet()) {
            if (ref.db() == db.index()) {
                ready.merge(ref, db.entryFor(ref.key()) != null ? ALL : WAKE_STREAM_OR_CHANGE, (x, y) -> x | y);
            }
        }
    }

    public boolean hasReadyKeys() {
        return !ready.isEmpty();
    }

    /** Gives waiters on ready keys their commands again, in the order they blocked, until none is ready. */
    public void serveReadyKeys() {
        while (!ready.isEmpty()) {
            DbKey ref = ready.keySet().iterator().next();
            int kinds = ready.remove(ref);
            ArrayDeque<Waiter> queue = waiting.get(ref);
            if (queue == null) {
                continue;
            }
            for (Waiter w : queue.toArray(new Waiter[0])) {
                if (w.client.blockedOn() != w || (w.kind & kinds) == 0 || !serves(w, ref.key())) {
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

    /**
     * Whether the ready key can serve the waiter. As in Redis, a key found past its time is not deleted here
     * (its DEL is propagated by whichever command next looks it up) and leaves the waiter blocked.
     */
    private static boolean serves(Waiter w, byte[] key) {
        if (w.type == null) {
            return true;
        }
        Entry e = w.db.peekWithoutExpiring(key);
        return e != null && w.type.isInstance(e.value());
    }

    /** CLIENT UNBLOCK: false if the client was not blocked. */
    public boolean unblock(Client c, boolean withError) {
        return unblock(c, withError ? "UNBLOCKED client unblocked via CLIENT UNBLOCK" : null);
    }

    /** Ends the client's blocking command with {@code error}, or as on its timeout if null; false if not blocked. */
    public boolean unblock(Client c, String error) {
        if (!(c.blockedOn() instanceof Waiter w)) {
            return false;
        }
        release(w);
        countEndedCall(c, error != null);
        if (error != null) {
            c.reply().error(error);
            int space = error.indexOf(' ');
            countError.accept(space < 0 ? error : error.substring(0, space));
        } else {
            w.onTimeout.accept(c);
        }
        c.runDeferred();
        return true;
    }

    /**
     * Ends with an error the wait of each client parked on keys for which {@code errorFor}, given the client and
     * the first key it waits on, answers one (null: it keeps waiting); in cluster mode, the clients whose slot is
     * no longer served here.
     */
    public void unblockWhere(BiFunction<Client, byte[], String> errorFor) {
        if (blockedCount == 0) {
            return;
        }
        // Waiters compare by identity; a client waiting on several keys is met once.
        Set<Waiter> parked = new LinkedHashSet<>();
        waiting.values().forEach(parked::addAll);
        boolean ended = false;
        for (Waiter w : parked) {
            String error = errorFor.apply(w.client, w.keys.get(0).key());
            if (error != null && unblock(w.client, error)) {
                ended = true;
            }
        }
        if (ended) {
            flushReplies.run();
        }
    }

    /** The client went away: forget it. */
    public void disconnected(Client c) {
        if (c.blockedOn() instanceof Waiter w) {
            release(w);
        }
    }

    /** The parked run was not counted in commandstats; ending it without serving completes the call. */
    private static void countEndedCall(Client c, boolean failed) {
        if (c.lastCommand() != null) {
            c.lastCommand().stats().calls++;
            if (failed) {
                c.lastCommand().stats().failedCalls++;
            }
        }
    }

    private void timeOut(Waiter w) {
        if (w.client.blockedOn() != w) {
            return;
        }
        release(w);
        countEndedCall(w.client, false);
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
