package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.persistence.DumpPayload;
import dev.respite.storage.persistence.RdbFormatException;

/** DUMP and RESTORE: a value serialized as Redis does, so keys move between Respite and Redis both ways. */
public final class DumpCommands {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DumpCommands.class);

    private final DataContext server;

    public DumpCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("dump", this::dump);
        t.bind("restore", this::restore);
        // The form a MIGRATE source sends after ASKING: the same restore, accepted for a slot being imported.
        t.bind("restore-asking", this::restore);
    }

    private void dump(Client c, byte[][] a) {
        Entry e = c.db().lookup(a[1]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(DumpPayload.serialize(e.value()));
    }

    private void restore(Client c, byte[][] a) {
        boolean replace = false;
        boolean absolute = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < a.length; j++) {
            boolean hasArgument = j + 1 < a.length;
            if (Args.is(a[j], "replace")) {
                replace = true;
            } else if (Args.is(a[j], "absttl")) {
                absolute = true;
            } else if (Args.is(a[j], "idletime") && hasArgument && freq == -1) {
                idle = Args.toLong(a[++j]);
                if (idle < 0) {
                    throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (Args.is(a[j], "freq") && hasArgument && idle == -1) {
                freq = Args.toLong(a[++j]);
                if (freq < 0 || freq > 255) {
                    throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw CommandError.syntax();
            }
        }
        Database db = c.db();
        byte[] key = a[1];
        if (!replace && db.peek(key) != null) {
            throw new CommandError("BUSYKEY Target key name already exists.");
        }
        long ttl = Args.toLong(a[2]);
        if (ttl < 0) {
            throw new CommandError("ERR Invalid TTL value, must be >= 0");
        }
        byte[] payload = a[3];
        if (!DumpPayload.isIntact(payload, !server.skipChecksumValidation())) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        Object value;
        try {
            value = DumpPayload.deserialize(payload, db.keyspace().limits(), deepCheck(c));
        } catch (RdbFormatException e) {
            // Redis logs the reason at verbose level and answers with no detail.
            log.debug("Internal error in RDB reading offset {} -> {}", e.offset(), e.reason());
            throw new CommandError("ERR Bad data format");
        }
        long now = db.keyspace().now();
        long expireAt = ttl == 0 ? 0 : absolute ? ttl : now + ttl;
        boolean replaced = replace && db.delete(key);
        if (expireAt != 0 && expireAt <= db.keyspace().expiryNow()) {
            // Redis answers OK for a key that would be born expired, and only the deletion happens.
            if (replaced) {
                server.notifier().notify(KeyspaceEvents.GENERIC, "del", db, key);
            }
            c.reply().ok();
            return;
        }
        Entry e = db.add(key, value);
        if (expireAt != 0) {
            db.setExpireAt(e, expireAt);
        }
        setAccess(e, idle, freq, now);
        server.notifier().notify(KeyspaceEvents.GENERIC, "restore", db, key);
        c.reply().ok();
    }

    /**
     * sanitize-dump-payload: "clients" checks deeply what ordinary clients send, not what the master replicates
     * nor what users flagged skip-sanitize-payload restore.
     */
    private boolean deepCheck(Client c) {
        return switch (server.sanitizeDumpPayload()) {
            case "yes" -> true;
            case "clients" -> !c.isMaster() && !c.aclUser().skipsSanitizePayload();
            default -> false;
        };
    }

    /** Redis's objectSetLRUOrLFU: IDLETIME matters under an LRU policy, FREQ under an LFU one. */
    private void setAccess(Entry e, long idle, long freq, long now) {
        boolean lfu = server.maxmemoryPolicy().endsWith("lfu");
        if (lfu && freq >= 0) {
            e.setAccess((int) ((((now / 60_000) & 0xffff) << 8) | freq));
        } else if (!lfu && idle >= 0) {
            e.setAccess((int) (now / 1000 - idle));
        }
    }
}
