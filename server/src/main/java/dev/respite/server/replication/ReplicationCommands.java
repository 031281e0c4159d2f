package dev.respite.server.replication;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import java.util.List;

/** REPLICAOF (SLAVEOF), REPLCONF, SYNC, PSYNC, WAIT and ROLE: Redis's replication protocol and its controls. */
public final class ReplicationCommands {
    private final Replication replication;

    public ReplicationCommands(Replication replication) {
        this.replication = replication;
    }

    public void register(CommandTable t) {
        t.bind("replconf", this::replconf);
        t.bind("psync", this::psync);
        t.bind("sync", this::sync);
        t.bind("wait", this::waitForReplicas);
        t.bind("waitaof", this::waitForAppendOnlyFiles);
        t.bind("replicaof", this::replicaof);
        t.bind("slaveof", this::replicaof);
        t.bind("role", this::role);
        t.bind("failover", this::failover);
    }

    private void replconf(Client c, byte[][] a) {
        if (a.length % 2 == 0) {
            throw CommandError.syntax();
        }
        for (int i = 1; i < a.length; i += 2) {
            byte[] v = a[i + 1];
            if (Args.is(a[i], "ack")) {
                // Acknowledgements get no reply: the replica never reads one.
                if (c.isReplica()) {
                    boolean fack = i + 3 < a.length && Args.is(a[i + 2], "fack");
                    replication.acknowledged(c, Args.toLong(v), fack ? Args.toLong(a[i + 3]) : -1);
                }
                return;
            } else if (Args.is(a[i], "getack")) {
                replication.ackRequested(c);
                return;
            } else if (Args.is(a[i], "listening-port")) {
                long port = Args.toLong(v);
                replication.link(c).listeningPort = (int) port;
            } else if (Args.is(a[i], "ip-address")) {
                replication.link(c).announcedIp = Args.str(v);
            } else if (Args.is(a[i], "capa")) {
                if (Args.is(v, "eof")) {
                    replication.link(c).capaEof = true;
                } else if (Args.is(v, "psync2")) {
                    replication.link(c).capaPsync2 = true;
                }
            } else if (Args.is(a[i], "rdb-only")) {
                long flag = Args.toLong(v);
                if (flag != 0 && flag != 1) {
                    throw CommandError.syntax();
                }
                replication.link(c).rdbOnly = flag == 1;
            } else if (Args.is(a[i], "rdb-filter-only")) {
                continue;
            } else {
                throw new CommandError("ERR Unrecognized REPLCONF option: " + Args.str(a[i]));
            }
        }
        c.reply().ok();
    }

    private void psync(Client c, byte[][] a) {
        if (c.isReplica()) {
            return;
        }
        if (a.length > 3 && Args.is(a[3], "failover")) {
            replication.failoverRequested(c, Args.str(a[1]));
        }
        long from = Args.toLong(a[2]);
        replication.synchronize(c, Args.str(a[1]), from);
    }

    private void sync(Client c, byte[][] a) {
        if (c.isReplica()) {
            return;
        }
        replication.synchronize(c, null, 0);
    }

    private void replicaof(Client c, byte[][] a) {
        if (replication.clusterEnabled()) {
            throw new CommandError("ERR REPLICAOF not allowed in cluster mode.");
        }
        if (replication.failingOver()) {
            throw new CommandError("ERR REPLICAOF not allowed while failing over.");
        }
        if (Args.is(a[1], "no") && Args.is(a[2], "one")) {
            replication.promote();
            c.reply().ok();
            return;
        }
        if (c.isReplica()) {
            // Following another master drops every replica, this connection included.
            throw new CommandError("ERR Command is not valid when client is a replica.");
        }
        long port = Args.toLong(a[2], "ERR Invalid master port");
        if (port < 0 || port > 65535) {
            throw new CommandError("ERR Invalid master port");
        }
        c.reply().simple(replication.replicaOf(Args.str(a[1]), (int) port));
    }

    /** A WAIT or WAITAOF timeout: not negative, and not so large that its deadline overflows, as Redis checks. */
    private static void checkTimeout(long timeoutMillis) {
        if (timeoutMillis < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (timeoutMillis > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw new CommandError("ERR timeout is out of range");
        }
    }

    /** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: Redis's coordinated switch to a replica. */
    private void failover(Client c, byte[][] a) {
        if (replication.clusterEnabled()) {
            throw new CommandError("ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.");
        }
        if (a.length == 2 && Args.is(a[1], "abort")) {
            replication.abortFailover();
            c.reply().ok();
            return;
        }
        long timeout = 0;
        boolean force = false;
        String host = null;
        long port = 0;
        for (int i = 1; i < a.length; i++) {
            if (Args.is(a[i], "timeout") && i + 1 < a.length && timeout == 0) {
                timeout = Args.toLong(a[++i]);
                if (timeout <= 0) {
                    throw new CommandError("ERR FAILOVER timeout must be greater than 0");
                }
            } else if (Args.is(a[i], "to") && i + 2 < a.length && host == null) {
                port = Args.toLong(a[i + 2]);
                host = Args.str(a[i + 1]);
                i += 2;
            } else if (Args.is(a[i], "force") && !force) {
                force = true;
            } else {
                throw CommandError.syntax();
            }
        }
        replication.startFailover(host, port, timeout, force);
        c.reply().ok();
    }

    private void waitForReplicas(Client c, byte[][] a) {
        if (replication.isReplica()) {
            throw new CommandError(
                    "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a "
                            + "replica is configured to be writable (which is not the default) writes to replicas are just local and "
                            + "are not propagated.");
        }
        long wanted = Args.toLong(a[1]);
        long timeout = Args.toLong(a[2], "ERR timeout is not an integer or out of range");
        checkTimeout(timeout);
        // The client's own last write, as Redis's woff: writes of other clients since do not delay it.
        long target = c.writeOffset();
        int acknowledged = replication.acknowledgedAtLeast(target);
        if (acknowledged >= wanted || c.executingTransaction()) {
            c.reply().integer(acknowledged);
            return;
        }
        replication
                .waiting()
                .add(
                        c,
                        target,
                        (int) Math.min(Integer.MAX_VALUE, wanted),
                        timeout == 0 ? 0 : System.currentTimeMillis() + timeout);
        replication.requestAcks();
    }

    /** WAITAOF numlocal numreplicas timeout: until this server's and replicas' append-only files hold the writes. */
    private void waitForAppendOnlyFiles(Client c, byte[][] a) {
        long numlocal = Args.toLongInRange(a[1], 0, 1);
        long numreplicas = Args.toLong(a[2], "ERR value is out of range, must be positive");
        if (numreplicas < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        long timeout = Args.toLong(a[3], "ERR timeout is not an integer or out of range");
        checkTimeout(timeout);
        if (replication.isReplica()) {
            throw new CommandError("ERR WAITAOF cannot be used with replica instances. Please also note that writes to "
                    + "replicas are just local and are not propagated.");
        }
        if (numlocal > 0 && !replication.appendOnly()) {
            throw new CommandError("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
        }
        long target = c.writeOffset();
        long mark = c.writeLogMark();
        int replicas = replication.aofAcknowledgedAtLeast(target);
        int local = replication.locallyFsynced(mark) ? 1 : 0;
        if ((replicas >= numreplicas && local >= numlocal) || c.executingTransaction()) {
            c.reply().array(2);
            c.reply().integer(local);
            c.reply().integer(replicas);
            return;
        }
        replication
                .waiting()
                .addAof(
                        c,
                        target,
                        (int) Math.min(Integer.MAX_VALUE, numreplicas),
                        timeout == 0 ? 0 : System.currentTimeMillis() + timeout,
                        mark,
                        (int) numlocal);
        if (local < numlocal) {
            replication.fsyncForWaiters();
        }
        replication.requestAcks();
    }

    private void role(Client c, byte[][] a) {
        MasterLink link = replication.masterLink();
        if (link != null) {
            c.reply().array(5);
            c.reply().bulk("slave");
            c.reply().bulk(link.host);
            c.reply().integer(link.port);
            c.reply().bulk(link.state().label);
            c.reply().integer(link.state() == MasterLink.State.CONNECTED ? replication.offset() : -1);
            return;
        }
        List<String[]> rows = replication.replicaRows();
        c.reply().array(3);
        c.reply().bulk("master");
        c.reply().integer(replication.offset());
        c.reply().array(rows.size());
        for (String[] row : rows) {
            c.reply().array(3);
            for (String field : row) {
                c.reply().bulk(field);
            }
        }
    }
}
