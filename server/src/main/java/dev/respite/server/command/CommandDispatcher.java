package dev.respite.server.command;

import dev.respite.server.RespiteServer;
import dev.respite.server.ServerStats;
import dev.respite.server.acl.AclDenial;
import dev.respite.server.acl.AclLog;
import dev.respite.server.acl.AclUser;
import dev.respite.server.cluster.Cluster;
import dev.respite.server.cluster.ClusterRouter;
import dev.respite.server.commands.ClientDescription;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.net.Client;
import dev.respite.server.persistence.Persistence;
import dev.respite.server.persistence.Propagation;
import dev.respite.server.tracking.ClientSideCaching;
import dev.respite.storage.eviction.Evictor;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From decoded arguments to a reply: looks the command up, applies Redis's checks in Redis's order
 * (unknown command, arity, authentication, ACL permissions, MULTI queueing), runs the handler and keeps the statistics.
 */
public final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final Set<String> SCRIPT_RUNNERS = Set.of("eval_ro", "evalsha_ro", "fcall_ro");

    private final RespiteServer server;
    private final CommandTable table;
    private final ServerStats stats;
    private final ServerConfig config;
    /** Key positions of the command being prepared; reused, since commands run one at a time. */
    private final KeyRefs keys = new KeyRefs();
    /** A blocked client's command is running again: MONITOR showed it when it blocked, as Redis does. */
    private boolean reprocessing;
    /** Slot routing in cluster mode; null otherwise, so that a standalone server pays one null test. */
    private final ClusterRouter router;

    public static final String OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

    public CommandDispatcher(RespiteServer server, CommandTable table) {
        this.server = server;
        this.table = table;
        this.stats = server.stats();
        this.config = server.config();
        Cluster cluster = server.cluster();
        this.router = cluster.enabled()
                ? new ClusterRouter(cluster, server.keyspace().db(0), this::resolveQuietly, this::clusterWrite)
                : null;
    }

    /** The cluster router, or null when cluster mode is off. */
    public ClusterRouter clusterRouter() {
        return router;
    }

    /** Runs one command from a client, as received. */
    public void execute(Client c, byte[][] args) {
        ClientSideCaching tracking = server.tracking();
        tracking.enter(c);
        try {
            tracking.limitKeys();
            run(c, args);
        } finally {
            if (router != null && !c.inTransaction() && !Args.is(args[0], "asking")) {
                // ASKING covers the one command (or transaction) after it.
                c.setAsking(false);
            }
            // CLIENT CACHING applies to the one command (or transaction) after it.
            tracking.exit(c, Args.is(args[0], "client"));
        }
    }

    private void run(Client c, byte[][] args) {
        CommandSpec spec = resolve(c, args);
        if (spec == null) {
            return;
        }
        // As in Redis, CLIENT LIST and the ACL log name the command being processed, even a refused one.
        c.setLastCommand(spec);
        if (!c.isAuthenticated() && !spec.isNoAuth()) {
            reject(c, spec, "NOAUTH Authentication required.");
            return;
        }
        // Redis refuses a no-multi command inside MULTI before any other check (ACL, OOM, loading, BUSY...).
        if (c.inTransaction() && spec.has(CommandFlag.NO_MULTI) && !isTransactionControl(spec)) {
            reject(c, spec, "ERR Command not allowed inside a transaction");
            return;
        }
        AclDenial denial = aclDenial(c, spec, args, c.inTransaction() ? AclLog.MULTI : AclLog.TOPLEVEL);
        if (denial != null) {
            reject(c, spec, denial.error());
            return;
        }
        if (router != null && !c.isMaster() && !c.isReplaying()) {
            String redirect = router.route(c, spec, args);
            if (redirect != null) {
                rejectRouted(c, spec, redirect);
                return;
            }
        }
        if (config.maxmemory > 0 && !server.persistence().isLoading() && !c.isMaster()) {
            boolean oom = outOfMemory(c, spec);
            // Keys this client read may have been evicted: it hears of it before its command's reply.
            server.tracking().sendPending();
            if (oom) {
                reject(c, spec, OOM_ERROR);
                return;
            }
        }
        String refusal = server.replication().refusal(c, spec);
        if (refusal != null) {
            reject(c, spec, refusal);
            return;
        }
        if (!spec.has(CommandFlag.LOADING)
                && server.persistence().isLoading()
                && !server.persistence().isLoadingClient(c)) {
            reject(c, spec, Persistence.LOADING_ERROR);
            return;
        }
        if (c.inPubSubContext() && c.protocol() == 2 && !allowedInPubSubContext(spec)) {
            reject(
                    c,
                    spec,
                    "ERR Can't execute '" + spec.fullName()
                            + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        String busy = spec.has(CommandFlag.ALLOW_BUSY) ? null : server.scripts().busyError();
        if (busy != null) {
            // Refused before queuing: inside MULTI the transaction fails, and EXEC itself is aborted.
            reject(c, spec, busy);
            return;
        }
        if (c.inTransaction() && !isTransactionControl(spec)) {
            c.queue(args, mayWrite(spec, args));
            c.reply().simple("QUEUED");
            return;
        }
        if (server.pause().isActive() && server.pause().holds(spec, c, mayWrite(spec, args))) {
            server.pause().postpone(c, args);
            return;
        }
        Client previous = server.pubsub().commandStarted(c);
        if (c.consumeSkipNextReply()) {
            c.reply().setMuted(true);
            call(c, spec, args);
            c.reply().setMuted(false);
        } else {
            call(c, spec, args);
        }
        server.pubsub().commandFinished(c, previous);
        afterCommand();
    }

    /**
     * Redis's maxmemory check: evict first (in a bounded round), then refuse a command that may grow memory
     * when the limit still cannot be met. Inside MULTI any queued command counts, since queuing itself uses
     * memory; DISCARD, QUIT and RESET always pass, and EXEC unless it would run a command that may grow memory.
     */
    private boolean outOfMemory(Client c, CommandSpec spec) {
        boolean failed = server.eviction().evictIfNeeded() == Evictor.Result.FAIL;
        if (!failed) {
            return false;
        }
        return spec.isDenyOom()
                || (c.inTransaction() && !isTransactionEnd(spec))
                || (spec.fullName().equals("exec") && c.inTransaction() && queuesDenyOom(c));
    }

    /** EXEC counts as denied on OOM when a queued command is (Redis ORs the queued commands' flags). */
    private boolean queuesDenyOom(Client c) {
        for (byte[][] queued : c.transaction()) {
            CommandSpec s = resolveQuietly(queued);
            if (s != null && s.isDenyOom()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransactionEnd(CommandSpec spec) {
        return switch (spec.fullName()) {
            case "exec", "discard", "quit", "reset" -> true;
            default -> false;
        };
    }

    /**
     * The ACL's refusal of a command (counted and logged in {@code context}), or null: the check runs again
     * when EXEC runs a queued command and when a blocked command is served, as permissions may have changed.
     */
    public AclDenial aclDenial(Client c, CommandSpec spec, byte[][] args, String context) {
        AclUser user = c.aclUser();
        if (user.unrestricted()) {
            return null;
        }
        return server.acl().check(user, spec, args, context, () -> ClientDescription.describe(server.monitors(), c));
    }

    /** Runs a command whose checks already passed (EXEC's queued commands, blocked clients retried). */
    public void call(Client c, CommandSpec spec, byte[][] args) {
        server.keyspace().commandStarted();
        try {
            callTimed(c, spec, args);
        } finally {
            server.keyspace().commandFinished();
        }
    }

    private void callTimed(Client c, CommandSpec spec, byte[][] args) {
        long start = System.nanoTime();
        if (!c.executingTransaction()) {
            // EXEC stays the client's command while it runs the queued ones, as in Redis.
            c.setLastCommand(spec);
        }
        CommandStats cs = spec.stats();
        if (spec.isWrite() && server.keyspace().snapshot() != null) {
            // Handlers change values in place; a running snapshot must see the state before this command.
            KeyFinder.find(spec, args, keys);
            for (int i = 0; i < keys.size(); i++) {
                server.keyspace().beforeWrite(c.db(), args[keys.position(i)]);
            }
        }
        Propagation propagation = server.persistence().propagation();
        long dirtyBefore = propagation.changes(server.keyspace());
        propagation.beforeCall(spec);
        boolean looked = spec.has(CommandFlag.READONLY);
        int hits = 0;
        int misses = 0;
        if (looked) {
            // Redis counts keyspace_hits and keyspace_misses per key a read looks up, which for the read-only
            // commands is every key the key finder names.
            KeyFinder.find(spec, args, keys);
            for (int i = 0; i < keys.size(); i++) {
                if (c.db().peek(args[keys.position(i)]) != null) {
                    hits++;
                } else {
                    misses++;
                }
            }
        }
        boolean noTouch = c.noTouch() && !spec.name().equals("touch");
        boolean wasBlocked = c.isBlocked();
        if (noTouch) {
            server.keyspace().setTouchAccess(false);
        }
        try {
            spec.handler().execute(c, args);
        } catch (RepliedWithError e) {
            cs.failedCalls++;
        } catch (CommandError e) {
            // Redis looks a key up after checking the arguments, and finds the type only after the lookup.
            looked &= e.getMessage().startsWith("WRONGTYPE");
            c.reply().error(e.getMessage());
            stats.countError(e.code());
            cs.failedCalls++;
        } catch (RuntimeException e) {
            log.error("Command '{}' failed unexpectedly", spec.fullName(), e);
            c.reply().error("ERR internal error while running '" + spec.fullName() + "'");
            stats.countError("ERR");
            cs.failedCalls++;
        } finally {
            if (noTouch) {
                server.keyspace().setTouchAccess(true);
            }
            propagation.afterCall(c, spec, args, dirtyBefore);
        }
        if (spec.has(CommandFlag.READONLY)) {
            rememberReads(c, spec, args);
        }
        if (looked) {
            for (int i = 0; i < hits; i++) {
                server.keyspace().countHit(true);
            }
            for (int i = 0; i < misses; i++) {
                server.keyspace().countHit(false);
            }
        }
        long nanos = System.nanoTime() - start;
        boolean parked = server.blocking().parkedBy(c, wasBlocked);
        if (!parked) {
            cs.calls++;
            cs.usec += nanos / 1000;
        }
        if (config.latencyTracking) {
            cs.recordLatency(nanos);
        }
        stats.totalCommandsProcessed++;
        stats.commandNanos += nanos;
        observe(c, spec, args, nanos / 1000, parked);
    }

    /**
     * A read-only command's keys are now cached by the client whose request is running: {@code c} itself, or
     * the caller of the script {@code c} runs for. The read-only script commands are not read themselves;
     * the commands their scripts call are.
     */
    private void rememberReads(Client c, CommandSpec spec, byte[][] args) {
        Client current = server.tracking().current();
        Client reader = current != null ? current : c;
        if (reader.tracking() == null || SCRIPT_RUNNERS.contains(spec.name())) {
            return;
        }
        KeyFinder.find(spec, args, keys);
        server.tracking().rememberKeys(reader, args, keys);
    }

    /**
     * Whether a command may write, as CLIENT PAUSE WRITE judges it: a script that declares its flags is judged
     * by them (no-writes passes), anything else by the command's write and may-replicate flags.
     */
    private boolean mayWrite(CommandSpec spec, byte[][] args) {
        Boolean declared = server.scripts().declaredWrites(spec, args);
        return declared != null ? declared : spec.isWrite() || spec.has(CommandFlag.MAY_REPLICATE);
    }

    /**
     * Slow log, latency monitor and MONITOR feed: what operators see of each command. A command that blocked
     * ({@code parked}) enters the slow log when it is served, not when it blocks.
     */
    private void observe(Client c, CommandSpec spec, byte[][] args, long micros, boolean parked) {
        ServerConfig cfg = server.config();
        if (!parked && !spec.has(CommandFlag.SKIP_SLOWLOG)) {
            server.slowLog().consider(c, args, micros, cfg.slowlogLogSlowerThan, cfg.slowlogMaxLen);
        }
        if (cfg.latencyMonitorThreshold > 0) {
            server.latencyMonitor()
                    .consider(
                            spec.has(CommandFlag.FAST) ? "fast-command" : "command",
                            micros / 1000,
                            cfg.latencyMonitorThreshold);
        }
        if (!server.monitors().isEmpty()
                && !reprocessing
                && !spec.has(CommandFlag.ADMIN)
                && !spec.has(CommandFlag.SKIP_MONITOR)) {
            server.monitors().feed(c, args);
        }
    }

    /** Work that follows every top-level command: waking clients whose keys became ready. */
    public void afterCommand() {
        if (server.blocking().hasReadyKeys()) {
            server.blocking().serveReadyKeys();
        }
    }

    /** Gives a parked client its command again (see BlockedClients). */
    public void reexecute(Client c, byte[][] args) {
        CommandSpec spec = resolveQuietly(args);
        AclDenial denial = spec == null ? null : aclDenial(c, spec, args, AclLog.TOPLEVEL);
        if (denial != null) {
            reject(c, spec, denial.error());
            c.scheduleFlush();
            return;
        }
        if (spec != null) {
            ClientSideCaching tracking = server.tracking();
            tracking.enter(c);
            reprocessing = true;
            try {
                call(c, spec, args);
            } finally {
                reprocessing = false;
                tracking.exit(c, true);
            }
            c.scheduleFlush();
        }
    }

    /**
     * The spec that {@code args} names, subcommand included, or null after replying with Redis's
     * unknown-command, unknown-subcommand or arity error.
     */
    public CommandSpec resolve(Client c, byte[][] args) {
        CommandSpec spec = table.lookup(args[0]);
        if (spec == null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < args.length && sb.length() < 128; i++) {
                String a = Args.quoteForError(args[i]);
                sb.append('\'')
                        .append(a, 0, Math.min(a.length(), 128 - sb.length()))
                        .append("' ");
            }
            reject(
                    c,
                    null,
                    "ERR unknown command '" + truncate(Args.quoteForError(args[0])) + "', with args beginning with: "
                            + sb);
            return null;
        }
        if (spec.hasSubcommands() && args.length >= 2) {
            CommandSpec sub = CommandTable.subcommand(spec, args[1]);
            if (sub == null) {
                reject(
                        c,
                        spec,
                        "ERR unknown subcommand '" + truncate(Args.quoteForError(args[1])) + "'. Try "
                                + spec.name().toUpperCase() + " HELP.");
                return null;
            }
            spec = sub;
        }
        if (!spec.arityAccepts(args.length)) {
            reject(c, spec, CommandError.wrongArity(spec.fullName()).getMessage());
            return null;
        }
        return spec;
    }

    private CommandSpec resolveQuietly(byte[][] args) {
        CommandSpec spec = table.lookup(args[0]);
        if (spec != null && spec.hasSubcommands() && args.length >= 2) {
            spec = CommandTable.subcommand(spec, args[1]);
        }
        return spec;
    }

    private void reject(Client c, CommandSpec spec, String error) {
        if (spec != null && spec.fullName().equals("exec")) {
            // A refused EXEC ends the transaction, as Redis's execCommandAbort does, even outside MULTI.
            c.endTransaction();
            server.watches().unwatchAll(c);
            c.setWatchBroken(false);
            String reason = error.startsWith("ERR ") ? error.substring(4) : error;
            c.reply().error("EXECABORT Transaction discarded because of: " + reason);
            stats.countError("EXECABORT");
            spec.stats().rejectedCalls++;
            return;
        }
        c.reply().error(error);
        int sp = error.indexOf(' ');
        stats.countError(sp < 0 ? error : error.substring(0, sp));
        if (spec != null) {
            spec.stats().rejectedCalls++;
        }
        if (c.inTransaction()) {
            c.failTransaction();
        }
    }

    /**
     * A command this node does not serve in cluster mode: a refused EXEC discards the transaction and answers
     * with the redirection itself (not EXECABORT), as Redis does; a command inside MULTI fails the transaction.
     */
    private void rejectRouted(Client c, CommandSpec spec, String error) {
        if (!spec.fullName().equals("exec")) {
            reject(c, spec, error);
            return;
        }
        c.endTransaction();
        server.watches().unwatchAll(c);
        c.setWatchBroken(false);
        c.reply().error(error);
        stats.countError(error.substring(0, error.indexOf(' ')));
        spec.stats().rejectedCalls++;
    }

    /** Whether a command counts as a write for routing: a script by its declared flags (Redis's getCommandFlags). */
    private boolean clusterWrite(CommandSpec spec, byte[][] args) {
        Boolean declared = server.scripts().declaredWrites(spec, args);
        return declared != null ? declared : spec.isWrite();
    }

    /** What a RESP2 connection may send while subscribed: its replies would interleave with messages. */
    private static boolean allowedInPubSubContext(CommandSpec spec) {
        return switch (spec.fullName()) {
            case "subscribe",
                    "psubscribe",
                    "ssubscribe",
                    "unsubscribe",
                    "punsubscribe",
                    "sunsubscribe",
                    "ping",
                    "quit",
                    "reset" -> true;
            default -> false;
        };
    }

    private static boolean isTransactionControl(CommandSpec spec) {
        return switch (spec.fullName()) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    private static String truncate(String s) {
        return s.length() <= 128 ? s : s.substring(0, 128);
    }
}
