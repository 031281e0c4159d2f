package dev.respite.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.protocol.RespDecoder;
import dev.respite.server.ServerStats;
import dev.respite.server.acl.AccessControl;
import dev.respite.server.blocking.BlockedClients;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.WatchedKeys;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.net.Client;
import dev.respite.server.net.ClientHost;
import dev.respite.server.net.Clients;
import dev.respite.server.pubsub.KeyspaceNotifier;
import dev.respite.server.pubsub.PubSubHub;
import dev.respite.storage.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    private final AccessControl acl = new AccessControl(config, table);
    private final List<String> propagated = new ArrayList<>();
    private long nowMillis = 1_700_000_000_000L;
    private final Keyspace keyspace = new Keyspace(config.databases, () -> nowMillis, config.encodingLimits);
    private final BlockedClients blocking = new BlockedClients(this::dispatch, () -> {});
    private final DataContext data = new DataContext(
            keyspace, new KeyspaceNotifier(config, new PubSubHub()), blocking, new WatchedKeys(), config);
    private final Client alice;
    private final Client bob;

    DataFamiliesInProcessTest() {
        new StringCommands(data).register(table);
        new HashCommands(data).register(table);
        ListCommands lists = new ListCommands(data);
        lists.register(table);
        new BlockingListCommands(data, lists).register(table);
        alice = new Client(1, this, new EmbeddedChannel(), new RespDecoder());
        bob = new Client(2, this, new EmbeddedChannel(), new RespDecoder());
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
