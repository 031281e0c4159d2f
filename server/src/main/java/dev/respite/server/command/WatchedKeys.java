package dev.respite.server.command;

import dev.respite.server.DbKey;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** WATCHed keys: any change to one, by anyone, makes the watching clients' next EXEC fail. */
public final class WatchedKeys {
    private final Map<DbKey, List<Client>> byKey = new HashMap<>();
    private final Map<Client, List<DbKey>> byClient = new IdentityHashMap<>();

    public void watch(Client c, Database db, byte[] key) {
        // A key already past its TTL goes now, so that its removal does not count as a change.
        db.peek(key);
        DbKey k = new DbKey(db.index(), key);
        List<DbKey> mine = byClient.computeIfAbsent(c, x -> new ArrayList<>());
        if (mine.contains(k)) {
            return;
        }
        mine.add(k);
        byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
    }

    public void unwatchAll(Client c) {
        List<DbKey> mine = byClient.remove(c);
        if (mine == null) {
            return;
        }
        for (DbKey k : mine) {
            List<Client> list = byKey.get(k);
            if (list != null) {
                list.remove(c);
                if (list.isEmpty()) {
                    byKey.remove(k);
                }
            }
        }
    }

    /**
     * Removes watched keys whose TTL passed since WATCH, which breaks the watch as in Redis: a key that
     * expired is a key that changed, even if nobody touched it.
     */
    public void expireWatched(Client c, dev.respite.storage.Keyspace keyspace) {
        List<DbKey> mine = byClient.get(c);
        if (mine == null) {
            return;
        }
        for (DbKey k : new ArrayList<>(mine)) {
            keyspace.db(k.db()).peek(k.key());
        }
    }

    /** Distinct keys watched by anyone, for INFO total_watched_keys. */
    public int watchedKeys() {
        return byKey.size();
    }

    public int watchingClients() {
        return byClient.size();
    }

    public int watchedKeyCount(Client c) {
        List<DbKey> mine = byClient.get(c);
        return mine == null ? 0 : mine.size();
    }

    /** A key changed. Cheap when nothing is watched. */
    public void touched(Database db, byte[] key) {
        if (byKey.isEmpty()) {
            return;
        }
        List<Client> list = byKey.get(new DbKey(db.index(), key));
        if (list != null) {
            for (Client c : list) {
                c.setWatchBroken(true);
            }
        }
    }

    /** A whole database is about to be emptied or swapped: every watched key in it that exists changes. */
    public void touchedDatabase(Database db) {
        if (byKey.isEmpty()) {
            return;
        }
        for (Map.Entry<DbKey, List<Client>> e : byKey.entrySet()) {
            if (e.getKey().db() == db.index() && db.exists(e.getKey().key())) {
                for (Client c : e.getValue()) {
                    c.setWatchBroken(true);
                }
            }
        }
    }

    /**
     * SWAPDB, called before the swap: a watched key changes when it is stored in its database now (even past
     * its TTL, as the swap takes it away), or when the other database holds it alive. A missing key replaced
     * by one already past its TTL is no change, as in Redis.
     */
    public void touchedSwap(Database a, Database b, long now) {
        if (byKey.isEmpty()) {
            return;
        }
        for (Map.Entry<DbKey, List<Client>> e : byKey.entrySet()) {
            int d = e.getKey().db();
            if (d != a.index() && d != b.index()) {
                continue;
            }
            byte[] k = e.getKey().key();
            Entry incoming = (d == a.index() ? b : a).entryFor(k);
            boolean stored = (d == a.index() ? a : b).entryFor(k) != null;
            boolean incomingAlive = incoming != null && !(incoming.hasExpiry() && incoming.expireAt() <= now);
            if (stored || incomingAlive) {
                for (Client c : e.getValue()) {
                    c.setWatchBroken(true);
                }
            }
        }
    }
}
