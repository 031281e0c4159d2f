package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.CrashReport;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandHandler;
import dev.respite.server.command.CommandTable;
import dev.respite.server.config.ConfigValueException;
import dev.respite.server.config.Units;
import dev.respite.server.net.Client;
import dev.respite.server.scripting.Scripts;
import dev.respite.storage.Database;
import dev.respite.storage.DatasetDigest;
import dev.respite.storage.Entry;
import dev.respite.storage.types.Doubles;
import dev.respite.storage.types.EncodingLimits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * DEBUG: tools for tests and diagnosis. Redis declares DEBUG as one command that reads its own subcommands (its
 * errors say so), so the subcommands live in a small table here rather than in the command table; HELP is built
 * from it, and a new subcommand is one entry.
 */
public final class DebugCommands {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DebugCommands.class);

    /** A subcommand: its name, the argument counts it accepts (with DEBUG and its name), what it does. */
    private record Sub(String name, int minArgs, int maxArgs, String summary, CommandHandler handler) {}

    private static final byte[] ATTRIBUTE_HEADER = "|1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE_HEAD = "value:".getBytes(StandardCharsets.US_ASCII);

    private final AdminContext server;
    private final Scripts scripts;
    private final Map<String, Sub> subs = new LinkedHashMap<>();

    public DebugCommands(AdminContext server, Scripts scripts) {
        this.server = server;
        this.scripts = scripts;
        add(new Sub(
                "populate",
                3,
                5,
                "<count> [<prefix>] [<size>]|Create <count> string keys named key:<num>. If <prefix> is specified then it is used instead of the 'key' prefix. These are not propagated to replicas. Cluster slots are not respected so keys not belonging to the current node can be created in cluster mode.",
                this::populate));
        add(new Sub("sleep", 3, 3, "<seconds>|Stop the server for <seconds>. Decimals allowed.", this::sleep));
        add(new Sub("object", 3, 3, "<key>|Show low level info about the <key> and associated value.", this::object));
        add(new Sub(
                "set-active-expire",
                3,
                3,
                "<0|1>|Setting it to 0 disables expiring keys in background when they are not accessed (otherwise the Redis behavior). Setting it to 1 reenables back the default.",
                this::setActiveExpire));
        add(new Sub("error", 3, 3, "<string>|Return a Redis protocol error with <string> as message.", (c, a) -> {
            throw new CommandError(Args.str(a[2]));
        }));
        add(new Sub(
                "set-skip-checksum-validation",
                3,
                3,
                "<0|1>|Enables or disables checksum checks for RESTORE's payload.",
                (c, a) -> {
                    server.config().skipChecksumValidation = atoi(a[2]) != 0;
                    c.reply().ok();
                }));
        add(new Sub("log", 3, 3, "<message>|Write <message> to the server log.", this::log));
        add(new Sub(
                "reload",
                2,
                5,
                "[MERGE] [NOFLUSH] [NOSAVE]|Save the RDB on disk and reload it back to memory.",
                this::reload));
        add(new Sub(
                "loadaof",
                2,
                Integer.MAX_VALUE,
                "|Flush the AOF buffers on disk and reload the AOF in memory.",
                this::loadAof));
        add(new Sub(
                "aof-flush-sleep",
                3,
                3,
                "<microsec>|Server will sleep before flushing the AOF, this is used for testing.",
                (c, a) -> {
                    server.persistence().setAofFlushSleep(atoi(a[2]));
                    c.reply().ok();
                }));
        add(new Sub(
                "digest",
                2,
                2,
                "|Output a hex signature representing the current DB content.",
                (c, a) -> c.reply().simple(DatasetDigest.of(server.keyspace()))));
        add(new Sub(
                "digest-value",
                2,
                Integer.MAX_VALUE,
                "<key> ...|Output a hex signature of the values of all the specified keys.",
                this::digestValue));
        add(new Sub(
                "change-repl-id",
                2,
                2,
                "|Answers OK; Respite leaves the replication IDs as they are.",
                (c, a) -> c.reply().ok()));
        add(new Sub(
                "protocol",
                3,
                3,
                "<type>|Reply with a test value of the specified type. <type> can be: string, integer, double, bignum, null, array, set, map, attrib, push, verbatim, true, false.",
                this::protocol));
        add(new Sub("pause-cron", 3, 3, "<0|1>|Stop periodic cron job processing.", (c, a) -> {
            server.control().pauseCron(atoi(a[2]) != 0);
            c.reply().ok();
        }));
        add(new Sub(
                "replybuffer",
                4,
                4,
                "PEAK-RESET-TIME <NEVER, RESET or time> or RESIZING <0 or 1>|Sets the time (in milliseconds) between"
                        + " resets of clients' reply buffer peaks (NEVER: never; RESET: the default), or stops (0) or"
                        + " restarts (1) the cron's resizing of reply buffers.",
                this::replyBuffer));
        add(new Sub(
                "set-disable-deny-scripts",
                3,
                3,
                "<0|1>|Setting it to 1 lets scripts run commands that are normally denied in scripts.",
                this::setDisableDenyScripts));
        add(new Sub(
                "quicklist-packed-threshold",
                3,
                3,
                "<size>|Sets the threshold for elements to be inserted as plain vs packed nodes. Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
                this::quicklistPackedThreshold));
        add(new Sub("segfault", 2, 2, "|Crash the server with sigsegv.", (c, a) -> CrashReport.signal(11, "SIGSEGV")));
        add(new Sub(
                "panic",
                2,
                2,
                "|Crash the server simulating a panic.",
                (c, a) -> CrashReport.panic("DEBUG PANIC called at Unix time " + System.currentTimeMillis() / 1000)));
        add(new Sub(
                "drop-cluster-packet-filter",
                3,
                3,
                "<packet-type>|Drop all packets that match the filtered type. Set to -1 allow all packets.",
                (c, a) -> {
                    server.control().cluster().dropPacketsOfType(Args.toLong(a[2]));
                    c.reply().ok();
                }));
        add(new Sub(
                "clusterlink",
                5,
                5,
                "KILL <to|from|all> <node-id>|Kills the link based on the direction to/from (both) with the provided node.",
                this::clusterLink));
        add(new Sub(
                "replicate",
                3,
                Integer.MAX_VALUE,
                "<command> [<arg> ...]|Send the command to the replicas without running it here (for tests of divergence).",
                (c, a) -> {
                    server.persistence().propagation().replicateOnly();
                    server.persistence().propagation().replace(Arrays.copyOfRange(a, 2, a.length));
                    c.reply().ok();
                }));
        add(new Sub("help", 2, 2, "|Print this help.", this::help));
    }

    private void add(Sub sub) {
        subs.put(sub.name, sub);
    }

    public void register(CommandTable t) {
        t.bind("debug", this::debug);
    }

    private void debug(Client c, byte[][] a) {
        String setting = server.config().enableDebugCommand;
        if (!setting.equals("yes") && !(setting.equals("local") && c.isLocal())) {
            throw new CommandError(
                    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                            + "you can run it from a local connection, otherwise you need to set this option in the configuration "
                            + "file, and then restart the server.");
        }
        Sub sub = subs.get(Args.str(a[1]).toLowerCase());
        if (sub == null || a.length < sub.minArgs || a.length > sub.maxArgs) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                    + Args.quoteForError(a[1]) + "'. Try DEBUG HELP.");
        }
        sub.handler.execute(c, a);
    }

    private void help(Client c, byte[][] a) {
        RespWriter r = c.reply();
        r.array(1 + subs.size() * 2L);
        r.simple("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (Sub sub : subs.values()) {
            int bar = sub.summary.indexOf('|');
            String args = sub.summary.substring(0, bar);
            r.simple(sub.name.toUpperCase() + (args.isEmpty() ? "" : " " + args));
            r.simple("    " + sub.summary.substring(bar + 1));
        }
    }

    private void clusterLink(Client c, byte[][] a) {
        if (!Args.str(a[2]).equalsIgnoreCase("kill")) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                    + Args.quoteForError(a[1]) + "'. Try DEBUG HELP.");
        }
        String error = server.control().cluster().killLinks(Args.str(a[3]), Args.str(a[4]));
        if (error != null) {
            throw new CommandError(error);
        }
        c.reply().ok();
    }

    private void populate(Client c, byte[][] a) {
        long count = positive(a[2]);
        long size = a.length == 5 ? positive(a[4]) : 0;
        StringCommands.checkLength(server.data(), size);
        byte[] prefix = a.length >= 4 ? a[3] : "key".getBytes(StandardCharsets.US_ASCII);
        byte[] keyHead = Arrays.copyOf(prefix, prefix.length + 1);
        keyHead[prefix.length] = ':';
        // Straight into the stored arrays: garbage between them would make the collector copy the whole
        // fill to compact it, doubling its memory for a while.
        Database db = c.db();
        for (long j = 0; j < count; j++) {
            byte[] key = IntegerText.joined(keyHead, j, -1);
            if (!db.exists(key)) {
                db.add(key, IntegerText.joined(VALUE_HEAD, j, size == 0 ? -1 : (int) size));
            }
        }
        c.reply().ok();
    }

    /** Redis's getPositiveLongFromObjectOrReply: one message for anything but a non-negative integer. */
    private static long positive(byte[] arg) {
        String error = "ERR value is out of range, must be positive";
        long v = Args.toLong(arg, error);
        if (v < 0) {
            throw new CommandError(error);
        }
        return v;
    }

    private void sleep(Client c, byte[][] a) {
        double seconds;
        try {
            seconds = Double.parseDouble(Args.str(a[2]));
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        c.reply().ok();
    }

    private void object(Client c, byte[][] a) {
        // As stored: a key whose time has passed but that no lookup has removed yet is still shown.
        Entry e = c.db().entryFor(a[2]);
        if (e == null) {
            throw new CommandError(CommandError.NO_SUCH_KEY);
        }
        Object v = e.value();
        long serialized = v instanceof byte[] s ? s.length : 0;
        // "Value at" names the entry: commands that update a value in place (INCR, APPEND) keep it, as Redis
        // keeps its object, while the value bytes inside may be replaced.
        long idle = Math.max(0, server.keyspace().now() / 1000 - e.access());
        c.reply()
                .simple("Value at:0x" + Integer.toHexString(System.identityHashCode(e)) + " refcount:1 encoding:"
                        + ValueTypes.encoding(v) + " serializedlength:" + serialized + " lru:" + (e.access() & 0xffffff)
                        + " lru_seconds_idle:" + idle);
    }

    /** One sample of each reply type, the values Redis uses, so client libraries can test their parsers. */
    private void protocol(Client c, byte[][] a) {
        RespWriter r = c.reply();
        switch (Args.str(a[2]).toLowerCase()) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(Doubles.format(3.141));
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array", "set" -> {
                if (Args.is(a[2], "set")) {
                    r.set(3);
                } else {
                    r.array(3);
                }
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.protocol() == 3) {
                    // An attribute precedes a reply and is not one; RESP2 has no way to send it.
                    r.encoded(ATTRIBUTE_HEADER);
                    r.bulk("key-popularity");
                    r.array(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (r.protocol() != 3) {
                    throw new CommandError("ERR RESP2 is not supported by this command");
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("txt", "This is a verbatim\nstring");
            default ->
                throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
                        + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    private void log(Client c, byte[][] a) {
        log.warn("DEBUG LOG: {}", Args.str(a[2]));
        c.reply().ok();
    }

    private void reload(Client c, byte[][] a) {
        boolean noSave = false;
        boolean noFlush = false;
        boolean merge = false;
        for (int i = 2; i < a.length; i++) {
            if (Args.is(a[i], "nosave")) {
                noSave = true;
            } else if (Args.is(a[i], "noflush")) {
                noFlush = true;
            } else if (Args.is(a[i], "merge")) {
                merge = true;
            } else {
                throw new CommandError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        try {
            server.snapshots().reload(noSave, noFlush, merge);
        } catch (java.io.IOException e) {
            throw new CommandError("ERR Error trying to load the RDB dump, check server logs.");
        }
        c.reply().ok();
    }

    private void loadAof(Client c, byte[][] a) {
        String problem = server.persistence().reloadAppendOnlyFile(this::emptyDataset);
        if (problem != null) {
            log.warn("DEBUG LOADAOF could not load the append only file: {}", problem);
            throw new CommandError("ERR Error trying to load the AOF files, check server logs.");
        }
        server.keyspace().resetDirty();
        log.info("Append Only File loaded by DEBUG LOADAOF");
        c.reply().ok();
    }

    /** What FLUSHALL does to the keys and to the clients watching or waiting on them. */
    private void emptyDataset() {
        for (int i = 0; i < server.keyspace().count(); i++) {
            server.watches().touchedDatabase(server.keyspace().db(i));
            server.blocking().signalDatabaseChanged(server.keyspace().db(i));
        }
        server.keyspace().flushAll();
        server.tracking().flushed();
    }

    private void digestValue(Client c, byte[][] a) {
        RespWriter r = c.reply();
        r.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            r.simple(DatasetDigest.ofKey(c.db(), a[i]));
        }
    }

    /** The settings of the cron's reply buffer resizing (CLIENT LIST's rbs and rbp). */
    private void replyBuffer(Client c, byte[][] a) {
        if (Args.is(a[2], "peak-reset-time")) {
            if (Args.is(a[3], "never")) {
                server.clients().setReplyBufferPeakResetMillis(-1);
            } else if (Args.is(a[3], "reset")) {
                server.clients().resetReplyBufferPeakResetMillis();
            } else {
                server.clients().setReplyBufferPeakResetMillis(Args.toLong(a[3]));
            }
        } else if (Args.is(a[2], "resizing")) {
            server.clients().setReplyBufferResizing(atoi(a[3]) != 0);
        } else {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                    + Args.quoteForError(a[1]) + "'. Try DEBUG HELP.");
        }
        c.reply().ok();
    }

    private void setDisableDenyScripts(Client c, byte[][] a) {
        scripts.setDenyScriptsDisabled(atoi(a[2]) != 0);
        c.reply().ok();
    }

    /** Redis reads these flags with atoi: anything that is not a number reads as 0. */
    private static long atoi(byte[] a) {
        long v = Args.parseLong(a, 0, a.length);
        return v == Long.MIN_VALUE ? 0 : v;
    }

    private void quicklistPackedThreshold(Client c, byte[][] a) {
        long size;
        try {
            size = Units.parseMemory(Args.str(a[2]));
        } catch (ConfigValueException e) {
            size = -1;
        }
        if (size < 0 || size > (1L << 32) - (1L << 20)) {
            throw new CommandError("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
        }
        server.keyspace().limits().listPackedThreshold =
                size == 0 ? EncodingLimits.DEFAULT_LIST_PACKED_THRESHOLD : size;
        c.reply().ok();
    }

    private void setActiveExpire(Client c, byte[][] a) {
        server.activeExpiry().setEnabled(atoi(a[2]) != 0);
        c.reply().ok();
    }
}
