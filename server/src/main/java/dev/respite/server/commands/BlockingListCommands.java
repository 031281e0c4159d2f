package dev.respite.server.commands;

import dev.respite.server.command.BlockingTimeout;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.types.ListValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP. Each tries its non-blocking form; when there is nothing
 * to take it parks the client in {@link dev.respite.server.blocking.BlockedClients}, which runs the same
 * handler again when a push signals one of the keys, in the order clients blocked. Inside MULTI the
 * parking is refused and the timeout reply is written at once, so they behave as their non-blocking forms.
 */
public final class BlockingListCommands {
    private static final byte[] LMOVE = "LMOVE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPOPLPUSH = "RPOPLPUSH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEFT = "LEFT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RIGHT = "RIGHT".getBytes(StandardCharsets.US_ASCII);

    private final DataContext server;
    private final ListCommands lists;

    public BlockingListCommands(DataContext server, ListCommands lists) {
        this.server = server;
        this.lists = lists;
    }

    public void register(CommandTable t) {
        t.bind("blpop", (c, a) -> blockingPop(c, a, true));
        t.bind("brpop", (c, a) -> blockingPop(c, a, false));
        t.bind("blmove", this::blmove);
        t.bind("brpoplpush", this::brpoplpush);
        t.bind("blmpop", this::blmpop);
    }

    private void blockingPop(Client c, byte[][] a, boolean left) {
        long timeout = BlockingTimeout.millis(a[a.length - 1]);
        Database db = c.db();
        byte[][] keys = Arrays.copyOfRange(a, 1, a.length - 1);
        for (byte[] key : keys) {
            ListValue list = TypeChecked.get(db, key, ListValue.class);
            if (list != null) {
                c.reply().array(2);
                c.reply().bulk(key);
                c.reply().bulk(left ? list.popHead() : list.popTail());
                server.removed(db, key, list.isEmpty(), KeyspaceEvents.LIST, ListCommands.popEvent(left));
                // Logged as the non-blocking pop, as Redis 7 propagates it, whether served now or after parking.
                c.propagate(new byte[][] {left ? ListCommands.LPOP : ListCommands.RPOP, key});
                return;
            }
        }
        server.blocking()
                .blockFor(
                        ListValue.class, c, db, keys, timeout, a, x -> x.reply().nullArray());
    }

    private void blmove(Client c, byte[][] a) {
        boolean fromLeft = ListCommands.isLeft(a[3]);
        boolean toLeft = ListCommands.isLeft(a[4]);
        moveOrBlock(c, a, fromLeft, toLeft, a[5]);
    }

    private void brpoplpush(Client c, byte[][] a) {
        moveOrBlock(c, a, false, true, a[3]);
    }

    /** BLMOVE propagates as LMOVE, BRPOPLPUSH as RPOPLPUSH, as Redis rewrites them. */
    private void moveOrBlock(Client c, byte[][] a, boolean fromLeft, boolean toLeft, byte[] timeoutArg) {
        long timeout = BlockingTimeout.millis(timeoutArg);
        Database db = c.db();
        byte[] value = lists.move(db, a[1], a[2], fromLeft, toLeft);
        if (value != null) {
            c.reply().bulk(value);
            c.propagate(
                    a.length == 4
                            ? new byte[][] {RPOPLPUSH, a[1], a[2]}
                            : new byte[][] {LMOVE, a[1], a[2], fromLeft ? LEFT : RIGHT, toLeft ? LEFT : RIGHT});
            return;
        }
        if (c.executingTransaction()) {
            // as LMOVE would reply; only a real timeout replies with the null array
            c.reply().nullBulk();
            return;
        }
        server.blocking()
                .blockFor(
                        ListValue.class,
                        c,
                        db,
                        new byte[][] {a[1]},
                        timeout,
                        a,
                        x -> x.reply().nullArray());
    }

    private void blmpop(Client c, byte[][] a) {
        MultiPop p = MultiPop.parse(a, 2);
        long timeout = BlockingTimeout.millis(a[1]);
        Database db = c.db();
        for (byte[] key : p.keys()) {
            ListValue list = TypeChecked.get(db, key, ListValue.class);
            if (list != null) {
                lists.popMany(c, key, list, p.head(), p.count());
                return;
            }
        }
        server.blocking()
                .blockFor(
                        ListValue.class,
                        c,
                        db,
                        p.keys(),
                        timeout,
                        a,
                        x -> x.reply().nullArray());
    }
}
