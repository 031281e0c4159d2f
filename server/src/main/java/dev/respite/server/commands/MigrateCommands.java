package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.persistence.DumpPayload;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * MIGRATE: keys sent to another server as DUMP payloads in RESTORE commands, then deleted here unless COPY.
 * Values are serialized on the keyspace thread; the connection, writing and waiting for replies happen on a
 * migration thread while the client waits (blocked, its later commands queued); the reply and the deletions
 * are done back on the keyspace thread.
 */
public final class MigrateCommands {
    /** What a client waiting for its MIGRATE is blocked on (see Client.blockedOn). */
    private static final Object MIGRATING = new Object();

    private final AdminContext server;
    private final ExecutorService network = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "migrate");
        t.setDaemon(true);
        return t;
    });

    public MigrateCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("migrate", this::migrate);
    }

    /** The keys found here and what travels for them. */
    private record Batch(Database db, List<byte[]> keys, List<Entry> entries, boolean copy, boolean auth) {}

    private void migrate(Client c, byte[][] a) {
        boolean copy = false;
        boolean replace = false;
        byte[] username = null;
        byte[] password = null;
        int firstKey = 3;
        int keyCount = 1;
        for (int j = 6; j < a.length; j++) {
            int more = a.length - 1 - j;
            if (Args.is(a[j], "copy")) {
                copy = true;
            } else if (Args.is(a[j], "replace")) {
                replace = true;
            } else if (Args.is(a[j], "auth")) {
                if (more < 1) {
                    throw CommandError.syntax();
                }
                password = a[++j];
            } else if (Args.is(a[j], "auth2")) {
                if (more < 2) {
                    throw CommandError.syntax();
                }
                username = a[++j];
                password = a[++j];
            } else if (Args.is(a[j], "keys")) {
                if (a[3].length != 0) {
                    throw new CommandError(
                            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                firstKey = j + 1;
                keyCount = a.length - j - 1;
                break;
            } else {
                throw CommandError.syntax();
            }
        }
        long timeout = Args.toLong(a[5]);
        long dbid = Args.toLong(a[4]);
        if (timeout <= 0) {
            timeout = 1000;
        }
        Database db = c.db();
        List<byte[]> keys = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (int j = firstKey; j < firstKey + keyCount; j++) {
            Entry e = db.lookup(a[j]);
            if (e != null) {
                keys.add(a[j]);
                entries.add(e);
            }
        }
        if (keys.isEmpty()) {
            c.reply().simple("NOKEY");
            return;
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        if (password != null) {
            if (username != null) {
                command(request, bytes("AUTH"), username, password);
            } else {
                command(request, bytes("AUTH"), password);
            }
        }
        // Each MIGRATE opens its own connection, so the target database is always selected.
        command(request, bytes("SELECT"), bytes(Long.toString(dbid)));
        long now = server.keyspace().now();
        // A cluster node may be importing the slot: RESTORE-ASKING is served there, as Redis sends it.
        byte[] restore = bytes(server.config().cluster.enabled ? "RESTORE-ASKING" : "RESTORE");
        for (int i = 0; i < keys.size(); i++) {
            Entry e = entries.get(i);
            long ttl = e.hasExpiry() ? Math.max(1, e.expireAt() - now) : 0;
            byte[] payload = DumpPayload.serialize(e.value());
            if (replace) {
                command(request, restore, keys.get(i), bytes(Long.toString(ttl)), payload, bytes("REPLACE"));
            } else {
                command(request, restore, keys.get(i), bytes(Long.toString(ttl)), payload);
            }
        }
        Batch batch = new Batch(db, keys, entries, copy, password != null);
        MigrationTransfer transfer = new MigrationTransfer(
                Args.str(a[1]),
                portOf(a[2]),
                (int) Math.min(timeout, Integer.MAX_VALUE),
                request.toByteArray(),
                keys.size() + (password != null ? 2 : 1));
        if (c.executingTransaction()) {
            // EXEC's replies must be complete when it returns, so inside a transaction the transfer is waited for,
            // bounded by the timeout, as Redis always does.
            finish(c, batch, transfer.run(), true);
            return;
        }
        c.setBlockedOn(MIGRATING);
        network.execute(() -> {
            MigrationTransfer.Result result = transfer.run();
            server.execute(() -> {
                c.setBlockedOn(null);
                finish(c, batch, result, false);
                c.runDeferred();
            });
        });
    }

    /** Redis's migrateCommand after the exchange: deletes what the target acknowledged, then replies. */
    private void finish(Client c, Batch batch, MigrationTransfer.Result result, boolean inCommand) {
        if (result.failure() == MigrationTransfer.Failure.CONNECTING) {
            c.reply().error("IOERR error or timeout connecting to the client");
            return;
        }
        List<String> replies = result.replies();
        int preamble = batch.auth() ? 2 : 1;
        if (replies.size() < preamble) {
            ioError(c, result);
            return;
        }
        String failedPreamble = null;
        for (int i = 0; i < preamble; i++) {
            if (replies.get(i).startsWith("-") && failedPreamble == null) {
                failedPreamble = replies.get(i);
            }
        }
        String targetError = null;
        List<byte[]> deleted = new ArrayList<>();
        for (int j = 0; j + preamble < replies.size(); j++) {
            String line = replies.get(j + preamble);
            if (failedPreamble != null || line.startsWith("-")) {
                if (targetError == null) {
                    targetError = failedPreamble != null ? failedPreamble : line;
                }
            } else if (!batch.copy()) {
                deleteMigrated(batch, j, deleted, inCommand);
            }
        }
        if (inCommand && !deleted.isEmpty()) {
            byte[][] del = new byte[deleted.size() + 1][];
            del[0] = bytes("DEL");
            for (int i = 0; i < deleted.size(); i++) {
                del[i + 1] = deleted.get(i);
            }
            c.propagate(del);
        }
        if (targetError != null) {
            c.reply().error("ERR Target instance replied with error: " + targetError.substring(1));
        } else if (result.failure() != MigrationTransfer.Failure.NONE) {
            ioError(c, result);
        } else {
            c.reply().ok();
        }
    }

    /**
     * Deletes a key the target acknowledged, unless it was deleted or replaced while the transfer ran, in which
     * case it is no longer the value that was sent.
     */
    private void deleteMigrated(Batch batch, int index, List<byte[]> deleted, boolean inCommand) {
        Database db = batch.db();
        byte[] key = batch.keys().get(index);
        Entry now = db.peek(key);
        if (now == null || now != batch.entries().get(index)) {
            return;
        }
        db.delete(key);
        server.notifier().notify(KeyspaceEvents.GENERIC, "del", db, key);
        deleted.add(key);
        // Outside a command nothing else logs the deletion; inside one, the command is logged as DEL instead.
        if (!inCommand) {
            server.persistence().propagation().keyRemoved(db, key);
        }
    }

    private static void ioError(Client c, MigrationTransfer.Result result) {
        String step = result.failure() == MigrationTransfer.Failure.WRITING ? "writing" : "reading";
        c.reply().error("IOERR error or timeout " + step + " to target instance");
    }

    private static int portOf(byte[] arg) {
        long port = Args.parseLong(arg, 0, arg.length);
        return port < 0 || port > 65535 ? -1 : (int) port;
    }

    private static void command(ByteArrayOutputStream out, byte[]... args) {
        out.writeBytes(bytes("*" + args.length + "\r\n"));
        for (byte[] arg : args) {
            out.writeBytes(bytes("$" + arg.length + "\r\n"));
            out.writeBytes(arg);
            out.writeBytes(bytes("\r\n"));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
