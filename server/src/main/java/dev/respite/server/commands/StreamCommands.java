package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.types.PendingEntry;
import dev.respite.storage.types.StreamConsumer;
import dev.respite.storage.types.StreamEntry;
import dev.respite.storage.types.StreamGroup;
import dev.respite.storage.types.StreamId;
import dev.respite.storage.types.StreamValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The stream family: XADD, ranges, trimming, consumer groups and their pending entries, XINFO. Values are
 * {@link StreamValue}s. Commands whose effect their arguments do not fix (an auto ID, "~" trimming, group
 * deliveries and claims) are logged to the append-only file as the deterministic commands Redis
 * propagates: XADD with the generated ID, "=" trims, and XCLAIM ... FORCE JUSTID LASTID / XGROUP SETID
 * for every delivery, so a replay restores pending lists and delivery counts exactly.
 */
public final class StreamCommands {
    private static final byte[] XCLAIM = ascii("XCLAIM");
    private static final byte[] XGROUP = ascii("XGROUP");
    private static final byte[] SETID = ascii("SETID");
    private static final byte[] CREATECONSUMER = ascii("CREATECONSUMER");
    private static final byte[] ENTRIESREAD = ascii("ENTRIESREAD");
    private static final byte[] TIME = ascii("TIME");
    private static final byte[] RETRYCOUNT = ascii("RETRYCOUNT");
    private static final byte[] FORCE = ascii("FORCE");
    private static final byte[] JUSTID = ascii("JUSTID");
    private static final byte[] LASTID = ascii("LASTID");
    private static final byte[] ZERO = ascii("0");
    private static final byte[] EQUALS = ascii("=");

    private final DataContext data;
    private final StreamEntry entry = new StreamEntry();
    private final StreamEntryReply entries = new StreamEntryReply();

    public StreamCommands(DataContext data) {
        this.data = data;
    }

    public void register(CommandTable t) {
        t.bind("xadd", this::xadd);
        t.bind("xrange", (c, a) -> xrange(c, a, false));
        t.bind("xrevrange", (c, a) -> xrange(c, a, true));
        t.bind("xlen", this::xlen);
        t.bind("xdel", this::xdel);
        t.bind("xtrim", this::xtrim);
        t.bind("xsetid", this::xsetid);
        t.bind("xread", (c, a) -> xread(c, a, false));
        t.bind("xreadgroup", (c, a) -> xread(c, a, true));
        t.bind("xack", this::xack);
        t.bind("xpending", this::xpending);
        t.bind("xclaim", this::xclaim);
        t.bind("xautoclaim", this::xautoclaim);
        t.bind("xgroup|create", this::xgroupCreate);
        t.bind("xgroup|setid", this::xgroupSetId);
        t.bind("xgroup|destroy", this::xgroupDestroy);
        t.bind("xgroup|createconsumer", this::xgroupCreateConsumer);
        t.bind("xgroup|delconsumer", this::xgroupDelConsumer);
        t.bind("xgroup|help", (c, a) -> help(c, "XGROUP", StreamHelp.XGROUP));
        t.bind("xinfo|stream", this::xinfoStream);
        t.bind("xinfo|groups", this::xinfoGroups);
        t.bind("xinfo|consumers", this::xinfoConsumers);
        t.bind("xinfo|help", (c, a) -> help(c, "XINFO", StreamHelp.XINFO));
    }

    private long now() {
        return data.keyspace().now();
    }

    private boolean replaying(Client c) {
        return c.isReplaying();
    }

    // ---- XADD, XRANGE, XLEN, XDEL, XTRIM, XSETID

    private void xadd(Client c, byte[][] a) {
        StreamTrimArgs t =
                StreamTrimArgs.parse(a, true, replaying(c), data.keyspace().limits().streamNodeMaxEntries);
        int fieldsAt = t.idIndex + 1;
        int n = a.length - fieldsAt;
        if (n < 2 || n % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for 'xadd' command");
        }
        if (t.id != null && t.id.seqGiven() && t.id.id().isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        Database db = c.db();
        StreamValue s = TypeChecked.get(db, a[1], StreamValue.class);
        boolean created = false;
        if (s == null) {
            if (t.noMkStream) {
                c.reply().nullBulk();
                return;
            }
            s = new StreamValue(data.keyspace().limits());
            created = true;
        }
        if (s.lastId().isMax()) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id = nextId(s, t.id);
        if (id == null) {
            throw new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        if (created) {
            db.add(a[1], s);
        }
        s.append(id, a, fieldsAt, n / 2);
        byte[] idBytes = id.toBytes();
        c.reply().bulk(idBytes);
        db.signalModified(a[1]);
        data.notifier().notify(KeyspaceEvents.STREAM, "xadd", db, a[1]);
        if (t.strategy != StreamTrimArgs.Strategy.NONE && t.apply(s) > 0) {
            data.notifier().notify(KeyspaceEvents.STREAM, "xtrim", db, a[1]);
        }
        data.blocking().signalStreamReady(db, a[1]);
        boolean rewriteId = t.id == null || !t.id.seqGiven();
        if ((rewriteId || t.approx) && c.propagates()) {
            byte[][] logged = a.clone();
            if (t.approx) {
                rewriteTrim(logged, t, s);
            }
            if (rewriteId) {
                logged[t.idIndex] = idBytes;
            }
            c.propagate(logged);
        }
    }

    /** "~" trims are logged as "=" with the length or first ID they left, so a replay trims the same. */
    private static void rewriteTrim(byte[][] logged, StreamTrimArgs t, StreamValue s) {
        logged[t.valueIndex - 1] = EQUALS;
        logged[t.valueIndex] = t.strategy == StreamTrimArgs.Strategy.MAXLEN
                ? ascii(Long.toString(s.length()))
                : s.firstId().toBytes();
    }

    /** The ID XADD assigns, or null when it would not be above the stream's last ID. */
    private StreamId nextId(StreamValue s, StreamIds.Explicit given) {
        StreamId last = s.lastId();
        StreamId id;
        if (given == null) {
            long ms = now();
            id = Long.compareUnsigned(ms, last.ms()) > 0 ? new StreamId(ms, 0) : last.next();
            if (id == null) {
                return null;
            }
        } else if (given.seqGiven()) {
            id = given.id();
        } else if (last.ms() == given.id().ms()) {
            if (last.seq() == -1L) {
                return null;
            }
            id = new StreamId(last.ms(), last.seq() + 1);
        } else {
            id = given.id();
        }
        return id.compareTo(last) > 0 ? id : null;
    }

    private void xrange(Client c, byte[][] a, boolean rev) {
        StreamId start = StreamIds.rangeStart(rev ? a[3] : a[2]);
        StreamId end = StreamIds.rangeEnd(rev ? a[2] : a[3]);
        long count = -1;
        for (int j = 4; j < a.length; j++) {
            if (Args.is(a[j], "count") && j + 1 < a.length) {
                count = Math.max(0, Args.toLong(a[j + 1]));
                j++;
            } else {
                throw CommandError.syntax();
            }
        }
        StreamValue s = TypeChecked.get(c.db(), a[1], StreamValue.class);
        if (s == null) {
            c.reply().array(0);
            return;
        }
        if (count == 0) {
            c.reply().nullArray();
            return;
        }
        writeRange(c.reply(), s, start, end, count < 0 ? 0 : count, rev);
    }

    /** Writes the entries in [start, end] (at most {@code count}, 0 for all) as an array; returns how many. */
    private long writeRange(RespWriter r, StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
        StreamValue.Cursor cur = s.cursor(start, end, rev);
        while ((count == 0 || entries.count() < count) && cur.next(entry)) {
            entries.add(entry);
        }
        long n = entries.count();
        entries.writeArray(r);
        return n;
    }

    private void writeEntry(RespWriter r, StreamEntry e) {
        entries.add(e);
        entries.writeEntries(r);
    }

    /** Writes the single entry {@code id}, returning false (writing nothing) when it does not exist. */
    private boolean writeEntry(RespWriter r, StreamValue s, StreamId id) {
        StreamValue.Cursor cur = s.cursor(id, id, false);
        if (!cur.next(entry)) {
            return false;
        }
        writeEntry(r, entry);
        return true;
    }

    private boolean exists(StreamValue s, StreamId id) {
        return s.cursor(id, id, false).next(entry);
    }

    static byte[] idBytes(long ms, long seq) {
        return ascii(Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq));
    }

    private void xlen(Client c, byte[][] a) {
        StreamValue s = TypeChecked.get(c.db(), a[1], StreamValue.class);
        c.reply().integer(s == null ? 0 : s.length());
    }

    private void xdel(Client c, byte[][] a) {
        Database db = c.db();
        StreamValue s = TypeChecked.get(db, a[1], StreamValue.class);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[a.length - 2];
        for (int j = 2; j < a.length; j++) {
            ids[j - 2] = StreamIds.parseStrict(a[j], 0);
        }
        long deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                if (id.compareTo(s.maxDeletedId()) > 0) {
                    s.setMaxDeletedId(id);
                }
                deleted++;
            }
        }
        if (deleted > 0) {
            db.signalModified(a[1]);
            data.notifier().notify(KeyspaceEvents.STREAM, "xdel", db, a[1]);
            data.keyspace().addDirty(deleted - 1);
        }
        c.reply().integer(deleted);
    }

    private void xtrim(Client c, byte[][] a) {
        StreamTrimArgs t =
                StreamTrimArgs.parse(a, false, replaying(c), data.keyspace().limits().streamNodeMaxEntries);
        Database db = c.db();
        StreamValue s = TypeChecked.get(db, a[1], StreamValue.class);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = t.apply(s);
        if (deleted > 0) {
            data.notifier().notify(KeyspaceEvents.STREAM, "xtrim", db, a[1]);
            if (t.approx) {
                byte[][] logged = a.clone();
                rewriteTrim(logged, t, s);
                c.propagate(logged);
            }
            db.signalModified(a[1]);
            data.keyspace().addDirty(deleted - 1);
        }
        c.reply().integer(deleted);
    }

    private void xsetid(Client c, byte[][] a) {
        StreamId id = StreamIds.parseStrict(a[2], 0);
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < a.length; i++) {
            boolean more = i + 1 < a.length;
            if (Args.is(a[i], "entriesadded") && more) {
                entriesAdded = Args.toLong(a[i + 1]);
                if (entriesAdded < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
                i++;
            } else if (Args.is(a[i], "maxdeletedid") && more) {
                maxDeleted = StreamIds.parseStrict(a[i + 1], 0);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandError(
                            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i++;
            } else {
                throw CommandError.syntax();
            }
        }
        Database db = c.db();
        StreamValue s = TypeChecked.get(db, a[1], StreamValue.class);
        if (s == null) {
            throw new CommandError(CommandError.NO_SUCH_KEY);
        }
        if (id.compareTo(s.maxDeletedId()) < 0) {
            throw new CommandError("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastLiveId()) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError(
                        "ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.setLastId(id);
        if (entriesAdded != -1) {
            s.setEntriesAdded(entriesAdded);
        }
        if (!maxDeleted.isZero()) {
            s.setMaxDeletedId(maxDeleted);
        }
        c.reply().ok();
        db.signalModified(a[1]);
        data.notifier().notify(KeyspaceEvents.STREAM, "xsetid", db, a[1]);
    }

    // ---- XREAD and XREADGROUP

    private void xread(Client c, byte[][] a, boolean grouped) {
        long timeout = -1;
        long count = 0;
        int streamsAt = 0;
        byte[] groupName = null;
        byte[] consumerName = null;
        boolean noack = false;
        String name = grouped ? "xreadgroup" : "xread";
        for (int i = 1; i < a.length; i++) {
            int more = a.length - i - 1;
            if (Args.is(a[i], "block") && more > 0) {
                if (c.isScriptClient()) {
                    throw new CommandError(
                            "ERR " + Args.str(a[0]) + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                timeout = blockTimeout(a[i]);
            } else if (Args.is(a[i], "count") && more > 0) {
                i++;
                count = Math.max(0, Args.toLong(a[i]));
            } else if (Args.is(a[i], "streams") && more > 0) {
                streamsAt = i + 1;
                if ((a.length - streamsAt) % 2 != 0) {
                    throw new CommandError(
                            "ERR Unbalanced '" + name + "' list of streams: for each stream key an ID or '"
                                    + (grouped ? '>' : '$') + "' must be specified.");
                }
                break;
            } else if (Args.is(a[i], "group") && more >= 2) {
                if (!grouped) {
                    throw new CommandError(
                            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupName = a[i + 1];
                consumerName = a[i + 2];
                i += 2;
            } else if (Args.is(a[i], "noack")) {
                if (!grouped) {
                    throw new CommandError(
                            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw CommandError.syntax();
            }
        }
        if (streamsAt == 0) {
            throw CommandError.syntax();
        }
        if (grouped && groupName == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        Database db = c.db();
        int n = (a.length - streamsAt) / 2;
        if (!grouped && c.isBlocked() && holdsOtherType(db, a, streamsAt, n)) {
            // Woken because a key changed to another type: Redis serves a blocked XREAD only from streams.
            data.blocking().block(c, db, null, timeout, a, null);
            return;
        }
        StreamId[] after = new StreamId[n];
        StreamGroup[] groups = new StreamGroup[n];
        for (int i = 0; i < n; i++) {
            byte[] key = a[streamsAt + i];
            byte[] idArg = a[streamsAt + n + i];
            StreamValue s = TypeChecked.get(db, key, StreamValue.class);
            if (grouped) {
                StreamGroup g = s == null ? null : s.group(groupName);
                if (g == null) {
                    throw new CommandError("NOGROUP No such key '" + Args.cString(key) + "' or consumer group '"
                            + Args.cString(groupName) + "' in XREADGROUP with GROUP option");
                }
                groups[i] = g;
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (grouped) {
                    throw new CommandError(
                            "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of "
                                    + "this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just "
                                    + "return an empty result set.");
                }
                after[i] = s == null ? StreamId.MIN : s.lastId();
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!grouped) {
                    throw new CommandError(
                            "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                }
                after[i] = StreamId.MAX;
            } else {
                after[i] = StreamIds.parseStrict(idArg, 0);
            }
        }
        long time = now();
        List<byte[][]> effects = grouped ? new ArrayList<>() : null;
        boolean[] serve = new boolean[n];
        int served = 0;
        StreamConsumer[] consumers = new StreamConsumer[n];
        for (int i = 0; i < n; i++) {
            byte[] key = a[streamsAt + i];
            StreamValue s = TypeChecked.get(db, key, StreamValue.class);
            if (s == null) {
                continue;
            }
            if (grouped) {
                StreamGroup g = groups[i];
                if (!after[i].isMax()) {
                    serve[i] = true;
                } else if (s.length() > 0 && s.lastLiveId().compareTo(g.lastId()) > 0) {
                    serve[i] = true;
                }
                boolean[] created = new boolean[1];
                StreamConsumer consumer = g.consumerOrCreate(consumerName, time, created);
                if (created[0]) {
                    data.keyspace().addDirty(1);
                    data.notifier().notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", db, key);
                    if (noack) {
                        effects.add(new byte[][] {XGROUP, CREATECONSUMER, key, groupName, consumerName});
                    }
                }
                consumer.setSeenTime(time);
                consumers[i] = consumer;
            } else if (s.length() > 0 && s.lastLiveId().compareTo(after[i]) > 0) {
                serve[i] = true;
            }
            if (serve[i]) {
                served++;
            }
        }
        RespWriter r = c.reply();
        if (served > 0) {
            if (r.protocol() == 2) {
                r.array(served);
            } else {
                r.map(served);
            }
            for (int i = 0; i < n; i++) {
                if (!serve[i]) {
                    continue;
                }
                byte[] key = a[streamsAt + i];
                StreamValue s = TypeChecked.get(db, key, StreamValue.class);
                if (r.protocol() == 2) {
                    r.array(2);
                }
                r.bulk(key);
                if (!grouped) {
                    StreamId start = after[i].next();
                    if (start == null) {
                        r.array(0);
                    } else {
                        writeRange(r, s, start, StreamId.MAX, count, false);
                    }
                } else if (!after[i].isMax()) {
                    writeHistory(r, s, groups[i], consumers[i], after[i], count, time, key, groupName, effects);
                    data.keyspace().addDirty(1);
                } else {
                    // Building each delivery's XCLAIM is skipped when nothing takes it.
                    List<byte[][]> logged = c.propagates() ? effects : null;
                    deliverNew(r, s, groups[i], consumers[i], key, groupName, count, noack, time, logged);
                    data.keyspace().addDirty(1);
                }
            }
            if (grouped) {
                c.propagate(effects.toArray(new byte[0][][]));
            }
            return;
        }
        if (grouped) {
            c.propagate(effects.toArray(new byte[0][][]));
        }
        if (timeout != -1) {
            byte[][] keys = Arrays.copyOfRange(a, streamsAt, streamsAt + n);
            byte[][] again = a;
            if (!grouped) {
                // "$" means the last ID when the client blocked, not when it is woken.
                again = a.clone();
                for (int i = 0; i < n; i++) {
                    byte[] idArg = a[streamsAt + n + i];
                    if (idArg.length == 1 && idArg[0] == '$') {
                        again[streamsAt + n + i] = after[i].toBytes();
                    }
                }
            }
            data.blocking()
                    .blockOnStreams(c, db, keys, timeout, again, x -> x.reply().nullArray(), grouped);
            return;
        }
        r.nullArray();
    }

    private static boolean holdsOtherType(Database db, byte[][] a, int streamsAt, int n) {
        for (int i = 0; i < n; i++) {
            Object v = db.get(a[streamsAt + i]);
            if (v != null && !(v instanceof StreamValue)) {
                return true;
            }
        }
        return false;
    }

    /** BLOCK's milliseconds, with Redis's errors for values that are not integers, negative or too large. */
    private long blockTimeout(byte[] arg) {
        long ms = Args.toLong(arg, "ERR timeout is not an integer or out of range");
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (ms > 0 && ms > Long.MAX_VALUE - now()) {
            throw new CommandError("ERR timeout is out of range");
        }
        return ms;
    }

    /**
     * XREADGROUP with an ID: the consumer's own pending entries after it, counted as delivered again. Redis
     * does not log these new counts; Respite logs each as an XCLAIM, so a restart keeps them too.
     */
    private void writeHistory(
            RespWriter r,
            StreamValue s,
            StreamGroup g,
            StreamConsumer consumer,
            StreamId after,
            long count,
            long time,
            byte[] key,
            byte[] groupName,
            List<byte[][]> effects) {
        StreamId from = after.next();
        List<PendingEntry> list = new ArrayList<>();
        if (from != null) {
            for (PendingEntry p : consumer.pending().tailMap(from, true).values()) {
                if (count > 0 && list.size() >= count) {
                    break;
                }
                list.add(p);
            }
        }
        r.array(list.size());
        for (PendingEntry p : list) {
            if (writeEntry(r, s, p.id())) {
                p.setDeliveryTime(time);
                p.setDeliveryCount(p.deliveryCount() + 1);
                effects.add(claimEffect(key, groupName, p, g));
            } else {
                r.array(2);
                r.bulk(p.id().toBytes());
                r.nullArray();
            }
        }
    }

    /**
     * XREADGROUP with ">": entries after the group's last ID, added to the pending lists unless NOACK; the
     * effects to log go to {@code effects}, null when nothing is logged.
     */
    private void deliverNew(
            RespWriter r,
            StreamValue s,
            StreamGroup g,
            StreamConsumer consumer,
            byte[] key,
            byte[] groupName,
            long count,
            boolean noack,
            long time,
            List<byte[][]> effects) {
        StreamId start = g.lastId().next();
        if (start == null) {
            r.array(0);
            return;
        }
        StreamValue.Cursor cur = s.cursor(start, StreamId.MAX, false);
        boolean movedLastId = false;
        while ((count == 0 || entries.count() < count) && cur.next(entry)) {
            StreamId id = entry.id();
            if (id.compareTo(g.lastId()) > 0) {
                advanceGroup(s, g, id);
                movedLastId = true;
            }
            entries.add(entry);
            if (!noack) {
                PendingEntry p = g.deliver(id, consumer, time, 1);
                consumer.setActiveTime(time);
                if (effects != null) {
                    effects.add(claimEffect(key, groupName, p, g));
                }
            }
        }
        entries.writeArray(r);
        if (noack && movedLastId && effects != null) {
            effects.add(setIdEffect(key, groupName, g));
        }
    }

    /** Moves a group's last-delivered ID to {@code id}, keeping entries-read exact where it can be. */
    private static void advanceGroup(StreamValue s, StreamGroup g, StreamId id) {
        if (g.entriesRead() != StreamGroup.UNKNOWN_ENTRIES_READ && !s.rangeHasTombstones(id, null)) {
            g.setEntriesRead(g.entriesRead() + 1);
        } else if (s.entriesAdded() > 0) {
            g.setEntriesRead(s.entriesReadAt(id));
        }
        g.setLastId(id);
    }

    /** The XCLAIM Redis propagates for a delivery or claim: it recreates the pending entry exactly. */
    private static byte[][] claimEffect(byte[] key, byte[] groupName, PendingEntry p, StreamGroup g) {
        return new byte[][] {
            XCLAIM,
            key,
            groupName,
            p.consumer().name(),
            ZERO,
            p.id().toBytes(),
            TIME,
            ascii(Long.toString(p.deliveryTime())),
            RETRYCOUNT,
            ascii(Long.toString(p.deliveryCount())),
            FORCE,
            JUSTID,
            LASTID,
            g.lastId().toBytes()
        };
    }

    private static byte[][] setIdEffect(byte[] key, byte[] groupName, StreamGroup g) {
        return new byte[][] {
            XGROUP, SETID, key, groupName, g.lastId().toBytes(), ENTRIESREAD, ascii(Long.toString(g.entriesRead()))
        };
    }

    // ---- XACK, XPENDING, XCLAIM, XAUTOCLAIM

    private void xack(Client c, byte[][] a) {
        StreamValue s = TypeChecked.get(c.db(), a[1], StreamValue.class);
        StreamGroup g = s == null ? null : s.group(a[2]);
        if (g == null) {
            c.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[a.length - 3];
        for (int j = 3; j < a.length; j++) {
            ids[j - 3] = StreamIds.parseStrict(a[j], 0);
        }
        long acked = 0;
        for (StreamId id : ids) {
            if (g.acknowledge(id)) {
                acked++;
            }
        }
        data.keyspace().addDirty(acked);
        c.reply().integer(acked);
    }

    private StreamGroup groupOrNoGroup(Database db, byte[] key, byte[] group) {
        StreamValue s = TypeChecked.get(db, key, StreamValue.class);
        StreamGroup g = s == null ? null : s.group(group);
        if (g == null) {
            throw new CommandError(
                    "NOGROUP No such key '" + Args.cString(key) + "' or consumer group '" + Args.cString(group) + "'");
        }
        return g;
    }

    private void xpending(Client c, byte[][] a) {
        boolean summary = a.length == 3;
        if (a.length != 3 && (a.length < 6 || a.length > 9)) {
            throw CommandError.syntax();
        }
        StreamId start = null;
        StreamId end = null;
        long count = 0;
        long minIdle = 0;
        byte[] consumerName = null;
        if (a.length >= 6) {
            int at = 3;
            if (Args.is(a[3], "idle")) {
                minIdle = Args.toLong(a[4]);
                if (a.length < 8) {
                    throw CommandError.syntax();
                }
                at += 2;
            }
            count = Math.max(0, Args.toLong(a[at + 2]));
            start = StreamIds.rangeStart(a[at]);
            end = StreamIds.rangeEnd(a[at + 1]);
            if (at + 3 < a.length) {
                consumerName = a[at + 3];
            }
        }
        StreamGroup g = groupOrNoGroup(c.db(), a[1], a[2]);
        RespWriter r = c.reply();
        if (summary) {
            r.array(4);
            r.integer(g.pending().size());
            if (g.pending().isEmpty()) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
                return;
            }
            r.bulk(g.pending().firstKey().toBytes());
            r.bulk(g.pending().lastKey().toBytes());
            int holders = 0;
            for (StreamConsumer sc : g.consumers().values()) {
                if (!sc.pending().isEmpty()) {
                    holders++;
                }
            }
            r.array(holders);
            for (StreamConsumer sc : g.consumers().values()) {
                if (!sc.pending().isEmpty()) {
                    r.array(2);
                    r.bulk(sc.name());
                    r.bulk(ascii(Integer.toString(sc.pending().size())));
                }
            }
            return;
        }
        Map<StreamId, PendingEntry> pel;
        if (consumerName != null) {
            StreamConsumer sc = g.consumer(consumerName);
            if (sc == null) {
                r.array(0);
                return;
            }
            pel = sc.pending();
        } else {
            pel = g.pending();
        }
        long time = now();
        List<PendingEntry> out = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (PendingEntry p : ((java.util.NavigableMap<StreamId, PendingEntry>) pel)
                    .subMap(start, true, end, true)
                    .values()) {
                if (out.size() >= count) {
                    break;
                }
                if (minIdle != 0 && time - p.deliveryTime() < minIdle) {
                    continue;
                }
                out.add(p);
            }
        }
        r.array(out.size());
        for (PendingEntry p : out) {
            r.array(4);
            r.bulk(p.id().toBytes());
            r.bulk(p.consumer().name());
            r.integer(Math.max(0, time - p.deliveryTime()));
            r.integer(p.deliveryCount());
        }
    }

    private void xclaim(Client c, byte[][] a) {
        Database db = c.db();
        StreamValue s = TypeChecked.get(db, a[1], StreamValue.class);
        StreamGroup g = groupOrNoGroup(db, a[1], a[2]);
        long minIdle = Math.max(0, Args.toLong(a[4], "ERR Invalid min-idle-time argument for XCLAIM"));
        int j = 5;
        List<StreamId> ids = new ArrayList<>();
        for (; j < a.length; j++) {
            StreamId id = tryStrictId(a[j]);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        long time = now();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < a.length; j++) {
            boolean more = j + 1 < a.length;
            if (Args.is(a[j], "force")) {
                force = true;
            } else if (Args.is(a[j], "justid")) {
                justId = true;
            } else if (Args.is(a[j], "idle") && more) {
                j++;
                deliveryTime = time - Args.toLong(a[j], "ERR Invalid IDLE option argument for XCLAIM");
            } else if (Args.is(a[j], "time") && more) {
                j++;
                deliveryTime = Args.toLong(a[j], "ERR Invalid TIME option argument for XCLAIM");
            } else if (Args.is(a[j], "retrycount") && more) {
                j++;
                retryCount = Args.toLong(a[j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Args.is(a[j], "lastid") && more) {
                j++;
                lastId = StreamIds.parseStrict(a[j], 0);
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + Args.cString(a[j]) + "'");
            }
        }
        boolean propagateLastId = false;
        if (lastId.compareTo(g.lastId()) > 0) {
            g.setLastId(lastId);
            propagateLastId = true;
        }
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > time) {
            deliveryTime = time;
        }
        StreamConsumer consumer = consumerFor(db, a[1], g, a[3], time);
        consumer.setSeenTime(time);
        List<byte[][]> effects = new ArrayList<>();
        List<StreamId> claimed = new ArrayList<>();
        long dirty = 0;
        for (int k = 0; k < ids.size(); k++) {
            StreamId id = ids.get(k);
            PendingEntry p = g.pending().get(id);
            if (!exists(s, id)) {
                if (p != null) {
                    effects.add(claimEffect(a[1], a[2], p, g));
                    propagateLastId = false;
                    dirty++;
                    g.acknowledge(id);
                }
                continue;
            }
            boolean fresh = false;
            if (force && p == null) {
                p = g.deliver(id, consumer, deliveryTime, 0);
                fresh = true;
            }
            if (p == null) {
                continue;
            }
            if (!fresh && minIdle > 0 && time - p.deliveryTime() < minIdle) {
                continue;
            }
            g.transfer(p, consumer);
            p.setDeliveryTime(deliveryTime);
            if (retryCount >= 0) {
                p.setDeliveryCount(retryCount);
            } else if (!justId) {
                p.setDeliveryCount(p.deliveryCount() + 1);
            }
            claimed.add(id);
            consumer.setActiveTime(time);
            effects.add(claimEffect(a[1], a[2], p, g));
            propagateLastId = false;
            dirty++;
        }
        if (propagateLastId) {
            effects.add(setIdEffect(a[1], a[2], g));
            dirty++;
        }
        data.keyspace().addDirty(dirty);
        RespWriter r = c.reply();
        r.array(claimed.size());
        for (StreamId id : claimed) {
            if (justId) {
                r.bulk(id.toBytes());
            } else {
                writeEntry(r, s, id);
            }
        }
        c.propagate(effects.toArray(new byte[0][][]));
    }

    private static StreamId tryStrictId(byte[] arg) {
        try {
            return StreamIds.parseStrict(arg, 0);
        } catch (CommandError e) {
            return null;
        }
    }

    /** The named consumer of a group, created (with Redis's notification) if absent. */
    private StreamConsumer consumerFor(Database db, byte[] key, StreamGroup g, byte[] name, long time) {
        boolean[] created = new boolean[1];
        StreamConsumer consumer = g.consumerOrCreate(name, time, created);
        if (created[0]) {
            data.keyspace().addDirty(1);
            data.notifier().notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", db, key);
        }
        return consumer;
    }

    private void xautoclaim(Client c, byte[][] a) {
        long minIdle = Math.max(0, Args.toLong(a[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamIds.rangeStart(a[5]);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < a.length; j++) {
            boolean more = j + 1 < a.length;
            if (Args.is(a[j], "count") && more) {
                long max = Long.MAX_VALUE / 16;
                long v = Args.toLong(a[j + 1], "ERR COUNT must be > 0");
                if (v < 1 || v > max) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                count = v;
                j++;
            } else if (Args.is(a[j], "justid")) {
                justId = true;
            } else {
                throw CommandError.syntax();
            }
        }
        Database db = c.db();
        StreamValue s = TypeChecked.get(db, a[1], StreamValue.class);
        StreamGroup g = groupOrNoGroup(db, a[1], a[2]);
        long time = now();
        StreamConsumer consumer = consumerFor(db, a[1], g, a[3], time);
        consumer.setSeenTime(time);
        long attempts = count * 10;
        List<StreamId> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        List<byte[][]> effects = new ArrayList<>();
        StreamId cursor = start;
        StreamId next = StreamId.MIN;
        while (true) {
            Map.Entry<StreamId, PendingEntry> at = g.pending().ceilingEntry(cursor);
            if (at == null) {
                next = StreamId.MIN;
                break;
            }
            if (attempts == 0 || count == 0) {
                next = at.getKey();
                break;
            }
            attempts--;
            PendingEntry p = at.getValue();
            StreamId id = at.getKey();
            StreamId after = id.next();
            if (!exists(s, id)) {
                effects.add(claimEffect(a[1], a[2], p, g));
                g.acknowledge(id);
                deleted.add(id);
                count--;
            } else if (minIdle == 0 || time - p.deliveryTime() >= minIdle) {
                g.transfer(p, consumer);
                p.setDeliveryTime(time);
                if (!justId) {
                    p.setDeliveryCount(p.deliveryCount() + 1);
                }
                claimed.add(id);
                count--;
                consumer.setActiveTime(time);
                effects.add(claimEffect(a[1], a[2], p, g));
            }
            if (after == null) {
                next = StreamId.MIN;
                break;
            }
            cursor = after;
        }
        data.keyspace().addDirty(claimed.size() + deleted.size());
        RespWriter r = c.reply();
        r.array(3);
        r.bulk(next.toBytes());
        r.array(claimed.size());
        for (StreamId id : claimed) {
            if (justId) {
                r.bulk(id.toBytes());
            } else {
                writeEntry(r, s, id);
            }
        }
        r.array(deleted.size());
        for (StreamId id : deleted) {
            r.bulk(id.toBytes());
        }
        c.propagate(effects.toArray(new byte[0][][]));
    }

    // ---- XGROUP

    private static final String KEY_REQUIRED =
            "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you "
                    + "may want to use the MKSTREAM option to create an empty stream automatically.";

    private static CommandError subcommandSyntax(byte[][] a) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.quoteForError(a[1])
                + "'. Try XGROUP HELP.");
    }

    /** Reads CREATE's and SETID's trailing options; returns entries-read (-1 when not given). */
    private static long groupOptions(byte[][] a, boolean create, boolean[] mkstream) {
        long entriesRead = StreamGroup.UNKNOWN_ENTRIES_READ;
        int i = 5;
        while (i < a.length) {
            if (create && Args.is(a[i], "mkstream")) {
                mkstream[0] = true;
                i++;
            } else if (Args.is(a[i], "entriesread") && i + 1 < a.length) {
                entriesRead = Args.toLong(a[i + 1]);
                if (entriesRead < 0 && entriesRead != StreamGroup.UNKNOWN_ENTRIES_READ) {
                    throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw subcommandSyntax(a);
            }
        }
        return entriesRead;
    }

    private StreamGroup existingGroup(Database db, byte[][] a) {
        StreamValue s = TypeChecked.get(db, a[2], StreamValue.class);
        if (s == null) {
            throw new CommandError(KEY_REQUIRED);
        }
        StreamGroup g = s.group(a[3]);
        if (g == null) {
            throw noSuchGroup(a[3], a[2]);
        }
        return g;
    }

    private void xgroupCreate(Client c, byte[][] a) {
        boolean[] mkstream = new boolean[1];
        long entriesRead = groupOptions(a, true, mkstream);
        Database db = c.db();
        StreamValue s = TypeChecked.get(db, a[2], StreamValue.class);
        if (s == null && !mkstream[0]) {
            throw new CommandError(KEY_REQUIRED);
        }
        if (a.length > 8) {
            throw subcommandSyntax(a);
        }
        StreamId id;
        if (a[4].length == 1 && a[4][0] == '$') {
            id = s == null ? StreamId.MIN : s.lastId();
        } else {
            id = StreamIds.parseStrict(a[4], 0);
        }
        if (s == null) {
            s = new StreamValue(data.keyspace().limits());
            db.add(a[2], s);
        }
        if (s.createGroup(a[3], id, entriesRead) == null) {
            throw new CommandError("BUSYGROUP Consumer Group name already exists");
        }
        c.reply().ok();
        db.signalModified(a[2]);
        data.notifier().notify(KeyspaceEvents.STREAM, "xgroup-create", db, a[2]);
    }

    private void xgroupSetId(Client c, byte[][] a) {
        long entriesRead = groupOptions(a, false, new boolean[1]);
        Database db = c.db();
        StreamGroup g = existingGroup(db, a);
        if (a.length != 5 && a.length != 7) {
            throw subcommandSyntax(a);
        }
        StreamValue s = TypeChecked.get(db, a[2], StreamValue.class);
        StreamId id = a[4].length == 1 && a[4][0] == '$' ? s.lastId() : StreamIds.parse(a[4], 0);
        g.setLastId(id);
        g.setEntriesRead(entriesRead);
        c.reply().ok();
        db.signalModified(a[2]);
        data.notifier().notify(KeyspaceEvents.STREAM, "xgroup-setid", db, a[2]);
    }

    private void xgroupDestroy(Client c, byte[][] a) {
        Database db = c.db();
        StreamValue s = TypeChecked.get(db, a[2], StreamValue.class);
        if (s == null) {
            throw new CommandError(KEY_REQUIRED);
        }
        if (s.destroyGroup(a[3])) {
            c.reply().integer(1);
            db.signalModified(a[2]);
            data.notifier().notify(KeyspaceEvents.STREAM, "xgroup-destroy", db, a[2]);
            data.blocking().signalKeyChanged(db, a[2]);
        } else {
            c.reply().integer(0);
        }
    }

    private void xgroupCreateConsumer(Client c, byte[][] a) {
        Database db = c.db();
        StreamGroup g = existingGroup(db, a);
        boolean[] created = new boolean[1];
        g.consumerOrCreate(a[4], now(), created);
        if (created[0]) {
            db.signalModified(a[2]);
            data.notifier().notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", db, a[2]);
        }
        c.reply().integer(created[0] ? 1 : 0);
    }

    private void xgroupDelConsumer(Client c, byte[][] a) {
        Database db = c.db();
        StreamGroup g = existingGroup(db, a);
        StreamConsumer consumer = g.consumer(a[4]);
        long pending = 0;
        if (consumer != null) {
            pending = g.removeConsumer(consumer);
            db.signalModified(a[2]);
            data.notifier().notify(KeyspaceEvents.STREAM, "xgroup-delconsumer", db, a[2]);
        }
        c.reply().integer(pending);
    }

    private static void help(Client c, String command, List<String> lines) {
        RespWriter r = c.reply();
        r.array(lines.size() + 3);
        r.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            r.simple(l);
        }
        r.simple("HELP");
        r.simple("    Print this help.");
    }

    // ---- XINFO

    private StreamValue streamOrNoKey(Database db, byte[] key) {
        StreamValue s = TypeChecked.get(db, key, StreamValue.class);
        if (s == null) {
            throw new CommandError(CommandError.NO_SUCH_KEY);
        }
        return s;
    }

    private void xinfoStream(Client c, byte[][] a) {
        boolean full = a.length > 3;
        long count = 10;
        if (full) {
            int optc = a.length - 3;
            if ((optc != 1 && optc != 3) || !Args.is(a[3], "full") || (optc == 3 && !Args.is(a[4], "count"))) {
                throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                        + Args.quoteForError(a[1]) + "'. Try XINFO HELP.");
            }
            if (optc == 3) {
                count = Args.toLong(a[5]);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        StreamValue s = streamOrNoKey(c.db(), a[2]);
        RespWriter r = c.reply();
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(radixNodes(s.nodeCount()));
        r.bulk("last-generated-id");
        r.bulk(s.lastId().toBytes());
        r.bulk("max-deleted-entry-id");
        r.bulk(s.maxDeletedId().toBytes());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        r.bulk(s.firstId().toBytes());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groups().size());
            r.bulk("first-entry");
            if (!s.cursor(StreamId.MIN, StreamId.MAX, false).next(entry)) {
                r.nullBulk();
            } else {
                writeEntry(r, entry);
            }
            r.bulk("last-entry");
            if (!s.cursor(StreamId.MIN, StreamId.MAX, true).next(entry)) {
                r.nullBulk();
            } else {
                writeEntry(r, entry);
            }
            return;
        }
        r.bulk("entries");
        writeRange(r, s, StreamId.MIN, StreamId.MAX, count, false);
        r.bulk("groups");
        r.array(s.groups().size());
        for (StreamGroup g : s.groups().values()) {
            r.map(7);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId().toBytes());
            r.bulk("entries-read");
            writeEntriesRead(r, g);
            r.bulk("lag");
            writeLag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pending().size());
            r.bulk("pending");
            long n = count == 0
                    ? g.pending().size()
                    : Math.min(count, g.pending().size());
            r.array(n);
            long i = 0;
            for (PendingEntry p : g.pending().values()) {
                if (i++ == n) {
                    break;
                }
                r.array(4);
                r.bulk(p.id().toBytes());
                r.bulk(p.consumer().name());
                r.integer(p.deliveryTime());
                r.integer(p.deliveryCount());
            }
            r.bulk("consumers");
            r.array(g.consumers().size());
            for (StreamConsumer sc : g.consumers().values()) {
                r.map(5);
                r.bulk("name");
                r.bulk(sc.name());
                r.bulk("seen-time");
                r.integer(sc.seenTime());
                r.bulk("active-time");
                r.integer(sc.activeTime());
                r.bulk("pel-count");
                r.integer(sc.pending().size());
                r.bulk("pending");
                long m = count == 0
                        ? sc.pending().size()
                        : Math.min(count, sc.pending().size());
                r.array(m);
                long k = 0;
                for (PendingEntry p : sc.pending().values()) {
                    if (k++ == m) {
                        break;
                    }
                    r.array(3);
                    r.bulk(p.id().toBytes());
                    r.integer(p.deliveryTime());
                    r.integer(p.deliveryCount());
                }
            }
        }
    }

    /**
     * An estimate of the radix tree's node count for XINFO: Respite indexes nodes in a balanced tree, and
     * Redis's figure depends on its radix tree's shape, so this reports one node per key plus the root.
     */
    private static long radixNodes(int keys) {
        return keys + 1L;
    }

    private static void writeEntriesRead(RespWriter r, StreamGroup g) {
        if (g.entriesRead() == StreamGroup.UNKNOWN_ENTRIES_READ) {
            r.nullBulk();
        } else {
            r.integer(g.entriesRead());
        }
    }

    private static void writeLag(RespWriter r, StreamValue s, StreamGroup g) {
        long lag = s.lag(g);
        if (lag < 0) {
            r.nullBulk();
        } else {
            r.integer(lag);
        }
    }

    private void xinfoGroups(Client c, byte[][] a) {
        StreamValue s = streamOrNoKey(c.db(), a[2]);
        RespWriter r = c.reply();
        r.array(s.groups().size());
        for (StreamGroup g : s.groups().values()) {
            r.map(6);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("consumers");
            r.integer(g.consumers().size());
            r.bulk("pending");
            r.integer(g.pending().size());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId().toBytes());
            r.bulk("entries-read");
            writeEntriesRead(r, g);
            r.bulk("lag");
            writeLag(r, s, g);
        }
    }

    private void xinfoConsumers(Client c, byte[][] a) {
        StreamValue s = streamOrNoKey(c.db(), a[2]);
        StreamGroup g = s.group(a[3]);
        if (g == null) {
            throw noSuchGroup(a[3], a[2]);
        }
        long time = now();
        RespWriter r = c.reply();
        r.array(g.consumers().size());
        for (StreamConsumer sc : g.consumers().values()) {
            r.map(4);
            r.bulk("name");
            r.bulk(sc.name());
            r.bulk("pending");
            r.integer(sc.pending().size());
            r.bulk("idle");
            r.integer(Math.max(0, time - sc.seenTime()));
            r.bulk("inactive");
            r.integer(sc.activeTime() != -1 ? time - sc.activeTime() : -1);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** XGROUP's and XINFO's error for a group the stream does not have; names print up to a NUL, as with %s. */
    private static CommandError noSuchGroup(byte[] group, byte[] key) {
        return new CommandError("NOGROUP No such consumer group '" + Args.cString(group) + "' for key name '"
                + Args.cString(key) + "'");
    }
}
