package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.hll.HyperLogLog;
import dev.respite.storage.hll.HyperLogLogSelfTest;
import java.util.Arrays;

/**
 * The HyperLogLog family. A HyperLogLog is a string holding Redis's exact layout ({@link HyperLogLog}),
 * so GET, SET, DUMP and RESTORE carry it unchanged. A dense value (PFADD's registers, PFCOUNT's cached
 * count) changes in place, as Redis changes its string; a sparse one, which may grow, is changed on a copy
 * that is then stored.
 */
public final class HyperLogLogCommands {
    private static final String INVALID = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    private static final String CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";

    private final DataContext server;
    /** PFADD's hashed elements; commands run on the keyspace thread only, so one array serves every call. */
    private int[] patterns = new int[16];
    /** PFCOUNT's union of several keys, one register per byte; reused for the same reason. */
    private final byte[] unionRegisters = new byte[HyperLogLog.REGISTERS];

    public HyperLogLogCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("pfadd", this::pfadd);
        t.bind("pfcount", this::pfcount);
        t.bind("pfmerge", this::pfmerge);
        t.bind("pfdebug", this::pfdebug);
        t.bind("pfselftest", this::pfselftest);
    }

    private int sparseMaxBytes() {
        long max = server.keyspace().limits().hllSparseMaxBytes;
        return (int) Math.min(max, Integer.MAX_VALUE);
    }

    /** The HyperLogLog string at {@code key}, or null; Redis's errors for other types and foreign strings. */
    private static byte[] hll(Database db, byte[] key) {
        byte[] s = TypeChecked.get(db, key, byte[].class);
        if (s == null) {
            return null;
        }
        if (!HyperLogLog.isValid(s)) {
            throw new CommandError(INVALID);
        }
        return s;
    }

    /** Stores a changed value in place of the old one; Redis keeps such strings "raw". */
    private static void put(Database db, byte[] key, byte[] value, boolean created) {
        ValueTypes.modifiedInPlace(value);
        if (created) {
            db.add(key, value);
        } else {
            db.setKeepTtl(key, value);
        }
    }

    private void pfadd(Client c, byte[][] a) {
        Database db = c.db();
        byte[] current = hll(db, a[1]);
        int n = a.length - 2;
        if (patterns.length < n) {
            patterns = new int[Math.max(n, patterns.length * 2)];
        }
        // Each element is hashed once; a dense value (12 KB) is copied only when some register grows.
        for (int j = 0; j < n; j++) {
            patterns[j] = HyperLogLog.patternOf(a[j + 2]);
        }
        if (current != null && !HyperLogLog.isSparse(current)) {
            // A dense value (12 KB) changes in place: the array is this key's alone (COPY clones, replies
            // copy it out, a running snapshot saved it before this command), as the string is in Redis.
            int raised = HyperLogLog.addDense(current, patterns, n);
            if (raised > 0) {
                db.signalModified(a[1]);
                server.keyspace().addDirty(raised);
                server.notifier().notify(KeyspaceEvents.STRING, "pfadd", db, a[1]);
            }
            c.reply().integer(raised > 0 ? 1 : 0);
            return;
        }
        HyperLogLog h =
                current == null ? HyperLogLog.create(sparseMaxBytes()) : HyperLogLog.copyOf(current, sparseMaxBytes());
        int updated = current == null ? 1 : 0;
        for (int j = 0; j < n; j++) {
            int r = h.set(patterns[j] >>> 8, patterns[j] & 0xff);
            if (r < 0) {
                // Registers already raised stay raised, as in Redis, which changes the string in place.
                put(db, a[1], h.toByteArray(), current == null);
                throw new CommandError(CORRUPTED);
            }
            updated += r;
        }
        if (updated > 0) {
            h.invalidateCache();
            put(db, a[1], h.toByteArray(), current == null);
            server.keyspace().addDirty(updated);
            server.notifier().notify(KeyspaceEvents.STRING, "pfadd", db, a[1]);
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    private void pfcount(Client c, byte[][] a) {
        Database db = c.db();
        if (a.length > 2) {
            byte[] max = unionRegisters;
            Arrays.fill(max, (byte) 0);
            for (int j = 1; j < a.length; j++) {
                byte[] v = hll(db, a[j]);
                if (v != null && !HyperLogLog.mergeInto(v, max)) {
                    throw new CommandError(CORRUPTED);
                }
            }
            c.reply().integer(HyperLogLog.countRaw(max));
            return;
        }
        byte[] v = hll(db, a[1]);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        long card = HyperLogLog.cachedCardinality(v);
        if (card < 0) {
            boolean sparse = HyperLogLog.isSparse(v);
            if (!sparse) {
                // PFCOUNT is not a write command, so the dispatcher has not shown the key to a running snapshot.
                server.keyspace().beforeWrite(db, a[1]);
            }
            HyperLogLog h = sparse ? HyperLogLog.copyOf(v, sparseMaxBytes()) : HyperLogLog.denseInPlace(v);
            card = h.count();
            if (card < 0) {
                throw new CommandError(CORRUPTED);
            }
            // The cache lives in the string, so a count is a change of the value (WATCH sees it, as in Redis).
            h.setCachedCardinality(card);
            if (sparse) {
                put(db, a[1], h.toByteArray(), false);
            } else {
                db.signalModified(a[1]);
            }
            server.keyspace().addDirty(1);
        }
        c.reply().integer(card);
    }

    private void pfmerge(Client c, byte[][] a) {
        Database db = c.db();
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean dense = false;
        byte[] target = null;
        for (int j = 1; j < a.length; j++) {
            byte[] v = hll(db, a[j]);
            if (v == null) {
                continue;
            }
            if (j == 1) {
                target = v;
            }
            dense |= !HyperLogLog.isSparse(v);
            if (!HyperLogLog.mergeInto(v, max)) {
                throw new CommandError(CORRUPTED);
            }
        }
        HyperLogLog h =
                target == null ? HyperLogLog.create(sparseMaxBytes()) : HyperLogLog.copyOf(target, sparseMaxBytes());
        if (dense && !h.toDense()) {
            if (target == null) {
                put(db, a[1], h.toByteArray(), true);
            }
            throw new CommandError(CORRUPTED);
        }
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) {
                h.set(j, max[j]);
            }
        }
        h.invalidateCache();
        put(db, a[1], h.toByteArray(), target == null);
        server.keyspace().addDirty(1);
        server.notifier().notify(KeyspaceEvents.STRING, "pfadd", db, a[1]);
        c.reply().ok();
    }

    private void pfdebug(Client c, byte[][] a) {
        Database db = c.db();
        byte[] v = hll(db, a[2]);
        if (v == null) {
            throw new CommandError("ERR The specified key does not exist");
        }
        HyperLogLog h = HyperLogLog.copyOf(v, sparseMaxBytes());
        RespWriter r = c.reply();
        if (Args.is(a[1], "getreg")) {
            if (h.isSparse()) {
                toDense(db, a[2], h);
            }
            r.array(HyperLogLog.REGISTERS);
            for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                r.integer(h.register(j));
            }
        } else if (Args.is(a[1], "decode")) {
            if (!h.isSparse()) {
                throw new CommandError("ERR HLL encoding is not sparse");
            }
            r.bulk(h.decodeSparse());
        } else if (Args.is(a[1], "encoding")) {
            r.simple(h.isSparse() ? "sparse" : "dense");
        } else if (Args.is(a[1], "todense")) {
            boolean converted = h.isSparse();
            if (converted) {
                toDense(db, a[2], h);
            }
            r.integer(converted ? 1 : 0);
        } else {
            throw new CommandError("ERR Unknown PFDEBUG subcommand '" + Args.cString(a[1]) + "'");
        }
    }

    private void toDense(Database db, byte[] key, HyperLogLog h) {
        if (!h.toDense()) {
            throw new CommandError(CORRUPTED);
        }
        put(db, key, h.toByteArray(), false);
        server.keyspace().addDirty(1);
    }

    private void pfselftest(Client c, byte[][] a) {
        String failure = HyperLogLogSelfTest.run(sparseMaxBytes());
        if (failure != null) {
            throw new CommandError("TESTFAILED " + failure);
        }
        c.reply().ok();
    }
}
