package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.types.SetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** The set family: unordered collections of distinct byte strings, stored as {@link SetValue}. */
public final class SetCommands {

    private static final byte[] SREM = "SREM".getBytes(StandardCharsets.US_ASCII);
    /** The most members one SREM carries when SPOP with a count is propagated (Redis 7.2's batch). */
    private static final int SREM_BATCH = 1024;

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final DataContext server;
    // Only the keyspace thread draws from it, so an unsynchronized generator is enough.
    private final SplittableRandom random = new SplittableRandom();

    public SetCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("sadd", this::sadd);
        t.bind("srem", this::srem);
        t.bind("smembers", this::smembers);
        t.bind("sismember", this::sismember);
        t.bind("smismember", this::smismember);
        t.bind("scard", this::scard);
        t.bind("spop", this::spop);
        t.bind("srandmember", this::srandmember);
        t.bind("smove", this::smove);
        t.bind("sinter", (c, a) -> combine(c, a, 1, null, Operation.INTER));
        t.bind("sintercard", this::sintercard);
        t.bind("sinterstore", (c, a) -> combine(c, a, 2, a[1], Operation.INTER));
        t.bind("sunion", (c, a) -> combine(c, a, 1, null, Operation.UNION));
        t.bind("sunionstore", (c, a) -> combine(c, a, 2, a[1], Operation.UNION));
        t.bind("sdiff", (c, a) -> combine(c, a, 1, null, Operation.DIFF));
        t.bind("sdiffstore", (c, a) -> combine(c, a, 2, a[1], Operation.DIFF));
        t.bind("sscan", this::sscan);
    }

    private enum Operation {
        INTER,
        UNION,
        DIFF
    }

    private void sadd(Client c, byte[][] a) {
        Database db = c.db();
        SetValue set = TypeChecked.get(db, a[1], SetValue.class);
        boolean created = set == null;
        if (created) {
            set = new SetValue(server.keyspace().limits());
        }
        long added = 0;
        for (int i = 2; i < a.length; i++) {
            if (set.add(a[i])) {
                added++;
            }
        }
        if (created) {
            db.add(a[1], set);
        } else if (added > 0) {
            db.signalModified(a[1]);
        }
        if (added > 0) {
            server.notifier().notify(KeyspaceEvents.SET, "sadd", db, a[1]);
        }
        server.keyspace().addDirty(added);
        c.reply().integer(added);
    }

    private void srem(Client c, byte[][] a) {
        Database db = c.db();
        SetValue set = TypeChecked.get(db, a[1], SetValue.class);
        long removed = 0;
        if (set != null) {
            for (int i = 2; i < a.length && !set.isEmpty(); i++) {
                if (set.remove(a[i])) {
                    removed++;
                }
            }
            afterRemoval(db, a[1], set, removed, "srem");
        }
        c.reply().integer(removed);
    }

    /** {@link DataContext#removed} for members that left a set, each member counted as a change. */
    private void afterRemoval(Database db, byte[] key, SetValue set, long removed, String event) {
        if (removed > 0) {
            server.removed(db, key, set.isEmpty(), KeyspaceEvents.SET, event);
            server.keyspace().addDirty(removed);
        }
    }

    private void smembers(Client c, byte[][] a) {
        SetValue set = TypeChecked.get(c.db(), a[1], SetValue.class);
        RespWriter r = c.reply();
        if (set == null) {
            r.set(0);
            return;
        }
        r.set(set.size());
        set.forEach(r::bulk);
    }

    private void sismember(Client c, byte[][] a) {
        SetValue set = TypeChecked.get(c.db(), a[1], SetValue.class);
        c.reply().integer(set != null && set.contains(a[2]) ? 1 : 0);
    }

    private void smismember(Client c, byte[][] a) {
        SetValue set = TypeChecked.get(c.db(), a[1], SetValue.class);
        RespWriter r = c.reply();
        r.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            r.integer(set != null && set.contains(a[i]) ? 1 : 0);
        }
    }

    private void scard(Client c, byte[][] a) {
        SetValue set = TypeChecked.get(c.db(), a[1], SetValue.class);
        c.reply().integer(set == null ? 0 : set.size());
    }

    private void spop(Client c, byte[][] a) {
        if (a.length > 3) {
            throw CommandError.syntax();
        }
        Database db = c.db();
        RespWriter r = c.reply();
        if (a.length == 2) {
            SetValue set = TypeChecked.get(db, a[1], SetValue.class);
            if (set == null) {
                r.nullBulk();
                return;
            }
            byte[] member = set.pop(random);
            afterRemoval(db, a[1], set, 1, "spop");
            c.propagate(new byte[][] {SREM, a[1], member});
            r.bulk(member);
            return;
        }
        long count = positiveCount(a[2]);
        SetValue set = TypeChecked.get(db, a[1], SetValue.class);
        if (set == null || count == 0) {
            r.set(0);
            return;
        }
        r.set(Math.min(count, set.size()));
        List<byte[]> members = new ArrayList<>();
        long popped = set.pop(count, random, m -> {
            members.add(m);
            r.bulk(m);
        });
        afterRemoval(db, a[1], set, popped, "spop");
        propagatePop(c, a[1], set, members);
    }

    /**
     * SPOP chooses at random, so the log gets what it chose: DEL when the set is gone (as Redis writes it),
     * otherwise SREMs of the popped members, at most {@link #SREM_BATCH} members each, as Redis sends them.
     */
    private static void propagatePop(Client c, byte[] key, SetValue set, List<byte[]> members) {
        if (set.isEmpty()) {
            c.propagate(new byte[][] {DEL, key});
            return;
        }
        int batches = (members.size() + SREM_BATCH - 1) / SREM_BATCH;
        byte[][][] srems = new byte[batches][][];
        for (int b = 0; b < batches; b++) {
            int from = b * SREM_BATCH;
            int n = Math.min(SREM_BATCH, members.size() - from);
            byte[][] srem = new byte[n + 2][];
            srem[0] = SREM;
            srem[1] = key;
            for (int i = 0; i < n; i++) {
                srem[i + 2] = members.get(from + i);
            }
            srems[b] = srem;
        }
        c.propagate(srems);
    }

    /** A count as Redis's getPositiveLong reads it: anything but a non-negative integer gets one error. */
    static long positiveCount(byte[] arg) {
        long v = Args.parseLong(arg, 0, arg.length);
        if (v < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        return v;
    }

    private void srandmember(Client c, byte[][] a) {
        if (a.length > 3) {
            throw CommandError.syntax();
        }
        RespWriter r = c.reply();
        if (a.length == 2) {
            SetValue set = TypeChecked.get(c.db(), a[1], SetValue.class);
            r.bulk(set == null ? null : set.randomMember(random));
            return;
        }
        long count = Args.toLongInRange(a[2], -Long.MAX_VALUE, Long.MAX_VALUE);
        SetValue set = TypeChecked.get(c.db(), a[1], SetValue.class);
        if (set == null || count == 0) {
            r.array(0);
            return;
        }
        r.array(count < 0 ? -count : Math.min(count, set.size()));
        set.randomMembers(count, random, r::bulk);
    }

    private void smove(Client c, byte[][] a) {
        Database db = c.db();
        SetValue source = TypeChecked.get(db, a[1], SetValue.class);
        byte[] member = a[3];
        if (source == null) {
            c.reply().integer(0);
            return;
        }
        SetValue destination = TypeChecked.get(db, a[2], SetValue.class);
        if (source == destination) {
            c.reply().integer(source.contains(member) ? 1 : 0);
            return;
        }
        if (!source.remove(member)) {
            c.reply().integer(0);
            return;
        }
        afterRemoval(db, a[1], source, 1, "srem");
        if (destination == null) {
            destination = new SetValue(server.keyspace().limits());
            destination.add(member);
            db.add(a[2], destination);
            server.notifier().notify(KeyspaceEvents.SET, "sadd", db, a[2]);
        } else if (destination.add(member)) {
            db.signalModified(a[2]);
            server.keyspace().addDirty(1);
            server.notifier().notify(KeyspaceEvents.SET, "sadd", db, a[2]);
        }
        c.reply().integer(1);
    }

    private void sintercard(Client c, byte[][] a) {
        long numKeys = Args.toLong(a[1], "ERR numkeys should be greater than 0");
        if (numKeys < 1) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numKeys > a.length - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        int firstOption = 2 + (int) numKeys;
        long limit = 0;
        for (int i = firstOption; i < a.length; i += 2) {
            if (i + 1 < a.length && Args.is(a[i], "limit")) {
                limit = Args.toLong(a[i + 1], "ERR LIMIT can't be negative");
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
            } else {
                throw CommandError.syntax();
            }
        }
        SetValue[] sets = sources(c.db(), a, 2, firstOption);
        long[] count = {0};
        long cap = limit == 0 ? Long.MAX_VALUE : limit;
        if (!Arrays.asList(sets).contains(null)) {
            intersect(sets, member -> count[0]++, () -> count[0] >= cap);
        }
        c.reply().integer(count[0]);
    }

    /** Reads the sets named by {@code a[from, to)}; an absent key is a null entry. */
    private static SetValue[] sources(Database db, byte[][] a, int from, int to) {
        SetValue[] sets = new SetValue[to - from];
        for (int i = from; i < to; i++) {
            sets[i - from] = TypeChecked.get(db, a[i], SetValue.class);
        }
        return sets;
    }

    /** Members of every set, smallest set first so the fewest lookups are made; stops when {@code done} says so. */
    private static void intersect(
            SetValue[] sets, java.util.function.Consumer<byte[]> out, java.util.function.BooleanSupplier done) {
        SetValue[] bySize = sets.clone();
        Arrays.sort(bySize, Comparator.comparingInt(SetValue::size));
        for (byte[] member : bySize[0]) {
            if (done.getAsBoolean()) {
                return;
            }
            boolean everywhere = true;
            for (int i = 1; i < bySize.length && everywhere; i++) {
                everywhere = bySize[i] == bySize[0] || bySize[i].contains(member);
            }
            if (everywhere) {
                out.accept(member);
            }
        }
    }

    /**
     * SINTER, SUNION, SDIFF and their STORE forms: the sets are {@code a[firstKey..]}; with a
     * destination the result replaces it (or deletes it when empty) and the reply is its size.
     */
    private void combine(Client c, byte[][] a, int firstKey, byte[] destination, Operation op) {
        Database db = c.db();
        SetValue[] sets = sources(db, a, firstKey, a.length);
        List<byte[]> members = new ArrayList<>();
        boolean anyMissing = Arrays.asList(sets).contains(null);
        if (destination != null) {
            // The STORE forms are writes, so the dispatcher does not count their reads of the sources.
            for (SetValue s : sets) {
                server.keyspace().countHit(s != null);
            }
        }
        switch (op) {
            case INTER -> {
                if (!anyMissing) {
                    intersect(sets, members::add, () -> false);
                }
            }
            case UNION -> {
                SetValue seen = new SetValue(server.keyspace().limits());
                for (SetValue s : sets) {
                    if (s != null) {
                        for (byte[] m : s) {
                            if (seen.add(m)) {
                                members.add(m);
                            }
                        }
                    }
                }
            }
            case DIFF -> {
                if (sets[0] != null) {
                    for (byte[] m : sets[0]) {
                        boolean elsewhere = false;
                        for (int i = 1; i < sets.length && !elsewhere; i++) {
                            elsewhere = sets[i] != null && sets[i].contains(m);
                        }
                        if (!elsewhere) {
                            members.add(m);
                        }
                    }
                }
            }
        }
        if (destination == null) {
            RespWriter r = c.reply();
            r.set(members.size());
            members.forEach(r::bulk);
            return;
        }
        SetValue result = new SetValue(server.keyspace().limits());
        members.forEach(result::add);
        // The event is the command's name: sinterstore, sunionstore or sdiffstore.
        String event = Args.str(a[0]).toLowerCase(java.util.Locale.ROOT);
        if (server.storeOrDelete(db, destination, result, members.isEmpty(), KeyspaceEvents.SET, event)) {
            server.keyspace().addDirty(1);
        }
        c.reply().integer(members.size());
    }

    private void sscan(Client c, byte[][] a) {
        long cursor = ScanRequest.parseCursor(a[2]);
        SetValue set = TypeChecked.get(c.db(), a[1], SetValue.class);
        if (set == null) {
            ScanRequest.emptyPage(c.reply());
            return;
        }
        RespWriter r = c.reply();
        ScanRequest request = ScanRequest.parse(cursor, a, 3);
        List<byte[]> found = new ArrayList<>();
        long next = set.scan(request.cursor, request.count, m -> {
            if (request.matches(m)) {
                found.add(m);
            }
        });
        r.array(2);
        r.bulk(ScanRequest.cursorText(next));
        r.array(found.size());
        found.forEach(r::bulk);
    }
}
