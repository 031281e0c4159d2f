package dev.respite.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.protocol.RespDecoder;
import dev.respite.server.ServerStats;
import dev.respite.server.acl.AccessControl;
import dev.respite.server.blocking.BlockedClients;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.WatchedKeys;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.net.Client;
import dev.respite.server.net.ClientHost;
import dev.respite.server.net.Clients;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.server.pubsub.KeyspaceNotifier;
import dev.respite.server.pubsub.PubSubHub;
import dev.respite.server.pubsub.SubscriptionKind;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.Keyspace;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.SetValue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Data families run on a DataContext of the test's own, with no server built or started: a keyspace on a
 * clock the test moves, blocked clients served as the dispatcher serves them, and clients hosted here.
 */
class DataFamiliesInProcessTest implements ClientHost {
    private final ServerConfig config = new ServerConfig();
    private final CommandTable table = new CommandTable();
    private final Clients clients = new Clients();
    private final ServerStats stats = new ServerStats();
    private final AccessControl acl = new AccessControl(config, table, stats);
    private final List<String> propagated = new ArrayList<>();
    private long nowMillis = 1_700_000_000_000L;
    private final Keyspace keyspace = new Keyspace(config.databases, () -> nowMillis, config.encodingLimits);
    private final BlockedClients blocking = new BlockedClients(this::dispatch, () -> {}, code -> {});
    private final PubSubHub hub = new PubSubHub();
    private final DataContext data =
            new DataContext(keyspace, new KeyspaceNotifier(config, hub), blocking, new WatchedKeys(), config);
    private final Client alice;
    private final Client bob;
    /** Subscribed to every key event of database 0; see {@link #events()}. */
    private final Client listener;

    DataFamiliesInProcessTest() {
        new StringCommands(data).register(table);
        new HashCommands(data).register(table);
        ListCommands lists = new ListCommands(data);
        lists.register(table);
        new BlockingListCommands(data, lists).register(table);
        new SetCommands(data).register(table);
        SortedSetCommands sortedSets = new SortedSetCommands(data);
        sortedSets.register(table);
        new GeoCommands(data, sortedSets).register(table);
        new SortCommands(data).register(table);
        new BitCommands(data).register(table);
        alice = new Client(1, this, new EmbeddedChannel(), new RespDecoder());
        bob = new Client(2, this, new EmbeddedChannel(), new RespDecoder());
        listener = new Client(3, this, new EmbeddedChannel(), new RespDecoder());
        config.notifyKeyspaceEvents = KeyspaceEvents.KEYEVENT | KeyspaceEvents.ALL;
        hub.subscribe(listener, SubscriptionKind.PATTERN, bytes("__keyevent@0__:*"));
    }

    @Test
    void hashCommandsAnswerOnTheirOwnKeyspace() {
        assertEquals(":2\r\n", call(alice, "HSET h a 1 b 2"));
        assertEquals("$1\r\n2\r\n", call(alice, "HGET h b"));
        assertEquals("-ERR value is not an integer or out of range\r\n", call(alice, "HINCRBY h a x"));
        assertEquals(":1\r\n", call(alice, "HDEL h a"));
        assertEquals(1, keyspace.db(0).size());
        assertEquals(":1\r\n", call(alice, "HDEL h b"));
        assertEquals(0, keyspace.db(0).size(), "a hash left without fields is deleted");
    }

    @Test
    void expiryFollowsTheContextsClock() {
        assertEquals("+OK\r\n", call(alice, "SET k v PX 100"));
        nowMillis += 99;
        assertEquals("$1\r\nv\r\n", call(alice, "GET k"));
        nowMillis += 1;
        assertEquals("$-1\r\n", call(alice, "GET k"));
        assertEquals(1, keyspace.expiredKeys());
    }

    @Test
    void aBlockedPopIsServedByThePushThatFollows() {
        assertEquals("", call(alice, "BLPOP q 0"));
        assertTrue(alice.isBlocked());
        assertEquals(1, blocking.count());
        assertEquals(":1\r\n", call(bob, "RPUSH q x"));
        assertFalse(alice.isBlocked());
        assertEquals("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", take(alice));
        assertEquals(0, keyspace.db(0).size());
        assertEquals(List.of("LPOP"), propagated, "the served pop goes to the append-only file as LPOP");
    }

    @Test
    void typeCheckedGetAnswersTheValueNullOrWrongType() {
        Database db = keyspace.db(0);
        call(alice, "SET s v");
        call(alice, "HSET h f v");
        HashValue h = TypeChecked.get(db, bytes("h"), HashValue.class);
        assertEquals("v", new String(h.get(bytes("f")), StandardCharsets.UTF_8));
        assertEquals("v", new String(TypeChecked.get(db, bytes("s"), byte[].class), StandardCharsets.UTF_8));
        assertNull(TypeChecked.get(db, bytes("missing"), HashValue.class));
        CommandError e = assertThrows(CommandError.class, () -> TypeChecked.get(db, bytes("s"), HashValue.class));
        assertEquals(CommandError.WRONGTYPE, e.getMessage());
        assertThrows(CommandError.class, () -> TypeChecked.get(db, bytes("h"), byte[].class));
        Entry entry = TypeChecked.entry(db, bytes("s"), byte[].class);
        assertSame(db.peek(bytes("s")), entry);
        assertNull(TypeChecked.entry(db, bytes("missing"), byte[].class));
        assertThrows(CommandError.class, () -> TypeChecked.entry(db, bytes("h"), byte[].class));
        String wrongType = "-" + CommandError.WRONGTYPE + "\r\n";
        for (String command :
                List.of("HGET s f", "LLEN s", "SCARD s", "ZCARD s", "GEOPOS s m", "GET h", "GETBIT h 0")) {
            assertEquals(wrongType, call(alice, command), command);
        }
    }

    @Test
    void removedPublishesTheEventThenDeletesAnEmptiedCollectionWithDel() {
        Database db = keyspace.db(0);
        SetValue set = new SetValue(config.encodingLimits);
        set.add(bytes("a"));
        set.add(bytes("b"));
        db.add(bytes("k"), set);
        events();
        set.remove(bytes("a"));
        long dirty = keyspace.dirty();
        data.removed(db, bytes("k"), false, KeyspaceEvents.SET, "srem");
        assertEquals(List.of("srem k"), events());
        assertTrue(db.exists(bytes("k")));
        assertEquals(dirty + 1, keyspace.dirty(), "the in-place change is reported");
        set.remove(bytes("b"));
        data.removed(db, bytes("k"), true, KeyspaceEvents.SET, "srem");
        assertEquals(List.of("srem k", "del k"), events(), "the command's event first, then del");
        assertFalse(db.exists(bytes("k")));
    }

    @Test
    void everyFamilyDeletesTheCollectionItsRemovalEmptied() {
        List<String[]> cases = List.of(
                new String[] {"HSET k f v", "HDEL k f", "hdel"},
                new String[] {"SADD k m", "SREM k m", "srem"},
                new String[] {"SADD k m", "SPOP k", "spop"},
                new String[] {"SADD k m", "SMOVE k other m", "srem"},
                new String[] {"RPUSH k a", "LPOP k", "lpop"},
                new String[] {"RPUSH k a", "RPOP k 5", "rpop"},
                new String[] {"RPUSH k a", "LMPOP 1 k LEFT", "lpop"},
                new String[] {"RPUSH k a", "BRPOP k 0", "rpop"},
                new String[] {"RPUSH k a", "LREM k 0 a", "lrem"},
                new String[] {"RPUSH k a", "LTRIM k 1 0", "ltrim"},
                new String[] {"ZADD k 1 m", "ZREM k m", "zrem"},
                new String[] {"ZADD k 1 m", "ZPOPMIN k", "zpopmin"},
                new String[] {"ZADD k 1 m", "ZREMRANGEBYSCORE k -inf +inf", "zremrangebyscore"},
                new String[] {"ZADD k 1 m", "ZREMRANGEBYRANK k 0 -1", "zremrangebyrank"},
                new String[] {"GEOADD k 13.36 38.11 m", "ZREM k m", "zrem"});
        for (String[] c : cases) {
            call(alice, c[0]);
            events();
            call(alice, c[1]);
            List<String> seen = events();
            assertEquals(List.of(c[2] + " k", "del k"), seen.subList(0, Math.min(2, seen.size())), c[1]);
            assertFalse(keyspace.db(0).exists(bytes("k")), c[1]);
            keyspace.db(0).delete(bytes("other"));
        }
        call(alice, "SADD k a b");
        events();
        assertEquals(":1\r\n", call(alice, "SREM k a"));
        assertEquals(List.of("srem k"), events(), "a set that keeps members is not deleted");
    }

    @Test
    void storeOrDeleteReplacesTheDestinationOrDeletesIt() {
        Database db = keyspace.db(0);
        call(alice, "SET d old PX 5000");
        events();
        SetValue result = new SetValue(config.encodingLimits);
        result.add(bytes("m"));
        assertTrue(data.storeOrDelete(db, bytes("d"), result, false, KeyspaceEvents.SET, "sunionstore"));
        assertSame(result, db.get(bytes("d")));
        assertEquals(Entry.NO_EXPIRY, db.peek(bytes("d")).expireAt(), "the destination's TTL is cleared");
        assertEquals(List.of("sunionstore d"), events());
        SetValue empty = new SetValue(config.encodingLimits);
        assertTrue(data.storeOrDelete(db, bytes("d"), empty, true, KeyspaceEvents.SET, "sunionstore"));
        assertFalse(db.exists(bytes("d")));
        assertEquals(List.of("del d"), events(), "an empty result deletes the destination");
        assertFalse(data.storeOrDelete(db, bytes("d"), empty, true, KeyspaceEvents.SET, "sunionstore"));
        assertEquals(List.of(), events(), "nothing to delete, nothing published");
    }

    @Test
    void everyStoreFormStoresOrDeletesItsDestination() {
        call(alice, "SADD a x");
        call(alice, "SADD b y");
        call(alice, "ZADD za 1 x");
        call(alice, "GEOADD g 13.36 38.11 m");
        call(alice, "RPUSH l 1");
        List<String[]> cases = List.of(
                new String[] {"SUNIONSTORE d a b", "sunionstore", "SINTERSTORE d a b"},
                new String[] {"SDIFFSTORE d a b", "sdiffstore", "SDIFFSTORE d missing"},
                new String[] {"ZUNIONSTORE d 1 za", "zunionstore", "ZINTERSTORE d 2 za missing"},
                new String[] {"ZDIFFSTORE d 1 za", "zdiffstore", "ZDIFFSTORE d 2 za za"},
                new String[] {"ZRANGESTORE d za 0 -1", "zrangestore", "ZRANGESTORE d za 5 9"},
                new String[] {
                    "GEOSEARCHSTORE d g FROMLONLAT 13.36 38.11 BYRADIUS 1 km",
                    "geosearchstore",
                    "GEOSEARCHSTORE d missing FROMLONLAT 0 0 BYRADIUS 1 km"
                },
                new String[] {"GEORADIUS g 13.36 38.11 1 km STORE d", "georadiusstore", "GEORADIUS g 0 0 1 km STORE d"},
                new String[] {"SORT l STORE d", "sortstore", "SORT missing STORE d"},
                new String[] {"BITOP OR d s1", "set", "BITOP OR d missing"});
        for (String[] c : cases) {
            call(alice, "SET d old EX 100");
            call(alice, "SET s1 v");
            events();
            call(alice, c[0]);
            assertEquals(List.of(c[1] + " d"), events(), c[0]);
            call(alice, c[2]);
            assertEquals(List.of("del d"), events(), c[2]);
            assertFalse(keyspace.db(0).exists(bytes("d")), c[2]);
        }
    }

    /** The key events published since the last call, as "event key". */
    private List<String> events() {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\$\\d+\r\n__keyevent@0__:([a-z_]+)\r\n\\$\\d+\r\n([^\r]*)\r\n")
                .matcher(take(listener));
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs one command as the dispatcher does: the handler, then the waiters its writes made ready. */
    private String call(Client c, String line) {
        String[] parts = line.split(" ");
        byte[][] args = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            args[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        dispatch(c, args);
        if (blocking.hasReadyKeys()) {
            blocking.serveReadyKeys();
        }
        return take(c);
    }

    private static String take(Client c) {
        ByteBuf out = c.reply().take();
        if (out == null) {
            return "";
        }
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Override
    public void dispatch(Client c, byte[][] args) {
        try {
            table.lookup(args[0]).handler().execute(c, args);
        } catch (dev.respite.server.command.CommandError e) {
            c.reply().error(e.getMessage());
        }
    }

    @Override
    public void propagate(byte[][]... commands) {
        for (byte[][] command : commands) {
            propagated.add(new String(command[0], StandardCharsets.UTF_8));
        }
    }

    @Override
    public Keyspace keyspace() {
        return keyspace;
    }

    @Override
    public AccessControl acl() {
        return acl;
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    @Override
    public Clients clients() {
        return clients;
    }

    @Override
    public ServerStats stats() {
        return stats;
    }
}
