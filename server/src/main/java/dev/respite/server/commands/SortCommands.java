package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.acl.AclCheck;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** SORT and SORT_RO: the elements of a list, set or sorted set, ordered, limited and projected as Redis does. */
public final class SortCommands {
    private static final byte[] EMPTY = new byte[0];

    private final DataContext server;

    public SortCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("sort", (c, a) -> sort(c, a, t.lookup("sort"), false));
        t.bind("sort_ro", (c, a) -> sort(c, a, t.lookup("sort_ro"), true));
    }

    /** One element with what it is ordered by: a number, or (ALPHA with BY) a string, null when BY found nothing. */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] text;

        Item(byte[] element) {
            this.element = element;
        }
    }

    private void sort(Client c, byte[][] a, CommandSpec spec, boolean readonly) {
        // BY and GET read keys the arguments do not name: Redis allows them only to who may read any key.
        boolean readsAnyKey = AclCheck.mayRunWithAccessToAllKeys(c.aclUser(), spec, a, false);
        SortRequest req = SortRequest.parse(a, readonly, readsAnyKey);
        Database db = c.db();
        Entry entry = db.lookup(a[1]);
        Object value = entry == null ? null : entry.value();
        if (value != null
                && !(value instanceof ListValue)
                && !(value instanceof SetValue)
                && !(value instanceof SortedSetValue)) {
            throw CommandError.wrongType();
        }
        if (value instanceof SortedSetValue zset) {
            zset.convertForSort();
        }
        boolean dontSort = req.dontSort;
        boolean alpha = req.alpha;
        SortPattern by = req.by;
        if (dontSort && value instanceof SetValue && (req.store != null || c.isScriptClient())) {
            // A set's order is arbitrary; what is stored (and replayed from the log) or handed to a script
            // must not depend on it.
            dontSort = false;
            alpha = true;
            by = null;
        }
        List<Item> items = elements(value, dontSort && req.desc);
        int length = items.size();
        // Clamped to the length first, as Redis does, so offset + count cannot overflow.
        long start = Math.min(Math.max(req.offset, 0), length);
        long count = Math.min(Math.max(req.count, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        end = Math.min(end, length - 1);
        if (!dontSort) {
            if (!weigh(db, items, by, alpha)) {
                throw new CommandError("ERR One or more scores can't be converted into double");
            }
            Comparator<Item> order = order(alpha, by != null, req.desc);
            if (by != null && (start != 0 || end != length - 1)) {
                // Redis's partial quicksort: which of the elements of equal weight land in the window is its doing.
                Item[] sorted = items.toArray(new Item[0]);
                PartialSort.sort(sorted, sorted.length, order, (int) start, (int) end);
                items = Arrays.asList(sorted);
            } else {
                // Stable, as glibc's qsort (a merge sort) is: elements of equal weight keep their order.
                items.sort(order);
            }
        }
        int from = (int) start;
        int to = (int) end + 1;
        List<Item> chosen = to > from ? items.subList(from, to) : List.of();
        if (req.store == null) {
            reply(c, db, chosen, req.gets);
        } else {
            store(c, db, req.store, chosen, req.gets);
        }
    }

    /** The elements in their natural order (reversed when asked): list order, score order, set iteration order. */
    private static List<Item> elements(Object value, boolean reversed) {
        List<Item> items = new ArrayList<>();
        if (value instanceof ListValue list) {
            list.iterator().forEachRemaining(e -> items.add(new Item(e)));
        } else if (value instanceof SetValue set) {
            set.forEach(e -> items.add(new Item(e)));
            return items;
        } else if (value instanceof SortedSetValue zset) {
            zset.forEach((member, score) -> items.add(new Item(member)));
        }
        if (reversed) {
            Collections.reverse(items);
        }
        return items;
    }

    /** Loads each item's weight; false when a numeric weight is not a number. */
    private static boolean weigh(Database db, List<Item> items, SortPattern by, boolean alpha) {
        boolean numbersOk = true;
        for (Item item : items) {
            byte[] weight = by == null ? item.element : by.lookup(db, item.element);
            if (weight == null) {
                continue;
            }
            if (alpha) {
                item.text = by == null ? null : weight;
            } else {
                double score = SortWeight.parse(weight);
                if (Double.isNaN(score)) {
                    numbersOk = false;
                } else {
                    item.score = score;
                }
            }
        }
        return numbersOk;
    }

    /**
     * Redis's sortCompare: numbers, ties broken by the elements' bytes; ALPHA by the elements, or by the BY
     * values with missing ones first. Byte order stands in for strcoll, which is byte order in the C locale.
     */
    private static Comparator<Item> order(boolean alpha, boolean byPattern, boolean desc) {
        Comparator<Item> cmp;
        if (!alpha) {
            cmp = (x, y) -> {
                int r = Double.compare(x.score == 0.0 ? 0.0 : x.score, y.score == 0.0 ? 0.0 : y.score);
                return r != 0 ? r : Arrays.compareUnsigned(x.element, y.element);
            };
        } else if (byPattern) {
            cmp = (x, y) -> {
                if (x.text == null || y.text == null) {
                    return x.text == y.text ? 0 : x.text == null ? -1 : 1;
                }
                return Arrays.compareUnsigned(x.text, y.text);
            };
        } else {
            cmp = (x, y) -> Arrays.compareUnsigned(x.element, y.element);
        }
        return desc ? cmp.reversed() : cmp;
    }

    private static void reply(Client c, Database db, List<Item> chosen, List<SortPattern> gets) {
        RespWriter r = c.reply();
        r.array((long) chosen.size() * Math.max(1, gets.size()));
        for (Item item : chosen) {
            if (gets.isEmpty()) {
                r.bulk(item.element);
            }
            for (SortPattern get : gets) {
                byte[] v = get.lookup(db, item.element);
                if (v == null) {
                    r.nullBulk();
                } else {
                    r.bulk(v);
                }
            }
        }
    }

    private void store(Client c, Database db, byte[] destination, List<Item> chosen, List<SortPattern> gets) {
        ListValue out = new ListValue(db.keyspace().limits());
        for (Item item : chosen) {
            if (gets.isEmpty()) {
                out.pushTail(item.element);
            }
            for (SortPattern get : gets) {
                byte[] v = get.lookup(db, item.element);
                out.pushTail(v == null ? EMPTY : v);
            }
        }
        server.storeOrDelete(db, destination, out, out.isEmpty(), KeyspaceEvents.LIST, "sortstore");
        c.reply().integer(out.size());
    }
}
