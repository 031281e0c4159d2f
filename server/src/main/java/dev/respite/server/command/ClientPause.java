package dev.respite.server.command;

import dev.respite.server.net.Client;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CLIENT PAUSE: while a pause is on, commands it covers (all, or those that may write) are postponed, not
 * refused; the clients sending them are parked with their commands and resume in order when it ends.
 */
public final class ClientPause {
    /** What a postponed client waits on (see Client.blockedOn). */
    public static final Object POSTPONED = new Object();

    private long endMillis;
    private boolean all;
    private ScheduledFuture<?> timer;
    private final List<Client> postponed = new ArrayList<>();
    private final Runnable flushReplies;
    /** FAILOVER's hold on writes: separate from CLIENT PAUSE, which neither lifts nor shortens it. */
    private boolean failoverHold;
    /** A shutdown's hold on writes while it waits for the replicas to catch up, as Redis pauses them then. */
    private boolean shutdownHold;

    /** {@code flushReplies} sends every client's pending replies, once the postponed commands ran. */
    public ClientPause(Runnable flushReplies) {
        this.flushReplies = flushReplies;
    }

    public boolean isActive() {
        return writesHeld() || clientPauseActive();
    }

    private boolean writesHeld() {
        return failoverHold || shutdownHold;
    }

    private boolean clientPauseActive() {
        // No clock read while no pause was set: this is asked before every command.
        return endMillis != 0 && endMillis > System.currentTimeMillis();
    }

    /** True if the pause in force holds back this command; {@code mayWrite} says whether it may write. */
    public boolean holds(CommandSpec spec, Client c, boolean mayWrite) {
        if (writesHeld() && !c.isMaster() && (mayWrite || isWritingExec(spec, c))) {
            return true;
        }
        if (endMillis == 0 || !clientPauseActive()) {
            return false;
        }
        if (all || mayWrite) {
            return true;
        }
        return isWritingExec(spec, c);
    }

    private static boolean isWritingExec(CommandSpec spec, Client c) {
        return spec.fullName().equals("exec") && c.inTransaction() && c.transactionHasWrites();
    }

    /** Whether writes (and with them active expiry and eviction) are paused. */
    public boolean writesPaused() {
        return isActive();
    }

    public void postpone(Client c, byte[][] args) {
        c.postpone(args, POSTPONED);
        postponed.add(c);
    }

    /** Starts or extends a pause; a later end or a switch from WRITE to ALL wins, as in Redis. */
    public void pause(Client by, long millis, boolean allCommands) {
        long end = System.currentTimeMillis() + millis;
        if (end > endMillis || allCommands) {
            endMillis = Math.max(end, endMillis);
            all = all && clientPauseActive() || allCommands;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        // The keyspace thread runs this command; with io-threads the client's own loop is an I/O thread.
        EventExecutor keyspace = ThreadExecutorMap.currentExecutor();
        timer = (keyspace != null ? keyspace : by.channel().eventLoop())
                .schedule(this::unpause, Math.max(0, endMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    /** Holds writes from clients while a FAILOVER runs; released, postponed commands run unless CLIENT PAUSE holds them. */
    public void holdForFailover(boolean hold) {
        failoverHold = hold;
        releaseIfFree();
    }

    /** Holds writes from clients while a shutdown waits for the replicas; released as a failover's hold is. */
    public void holdForShutdown(boolean hold) {
        shutdownHold = hold;
        releaseIfFree();
    }

    private void releaseIfFree() {
        if (!writesHeld() && !clientPauseActive()) {
            releasePostponed();
        }
    }

    /** Ends the pause (CLIENT UNPAUSE, or its time is up) and runs what was postponed, in arrival order. */
    public void unpause() {
        endMillis = 0;
        all = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (!writesHeld()) {
            releasePostponed();
        }
    }

    private void releasePostponed() {
        List<Client> waiting = new ArrayList<>(postponed);
        postponed.clear();
        for (Client c : waiting) {
            if (c.blockedOn() == POSTPONED) {
                c.setBlockedOn(null);
                c.runDeferred();
            }
        }
        if (!waiting.isEmpty()) {
            flushReplies.run();
        }
    }

    public void disconnected(Client c) {
        postponed.remove(c);
    }

    public int postponedCount() {
        return postponed.size();
    }
}
