package dev.respite.server.command;

import dev.respite.server.DbKey;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.Keyspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * WATCHed keys: any change to one, by anyone, makes the watching clients' next EXEC fail. As in Redis 7.2, a key
 * already past its TTL when watched is remembered as such: its removal is then no change, and neither is a
 * SWAPDB or FLUSH that leaves it expired or missing.
 */
public final class WatchedKeys {
    /** One client's watch on one key. */
    private static final class Watch {
        final Client client;
        final DbKey key;
        /** The key was stored but past its TTL: logically missing, as it was at WATCH. */
        boolean expired;

        Watch(Client client, DbKey key, boolean expired) {
            this.client = client;
            this.key = key;
            this.expired = expired;
        }
    }

    private final Map<DbKey, List<Watch>> byKey = new HashMap<>();
    private final Map<Client, List<Watch>> byClient = new IdentityHashMap<>();

    public void watch(Client c, Database db, byte[] key) {
        DbKey k = new DbKey(db.index(), key);
        List<Watch> mine = byClient.computeIfAbsent(c, x -> new ArrayList<>());
        for (Watch w : mine) {
            if (w.key.equals(k)) {
                return;
            }
        }
        Watch w = new Watch(c, k, isStale(db.entryFor(key), db.keyspace().now()));
        mine.add(w);
        byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(w);
        c.setWatchedKeys(mine.size());
    }

    public void unwatchAll(Client c) {
        List<Watch> mine = byClient.remove(c);
        if (mine == null) {
            return;
        }
        c.setWatchedKeys(0);
        for (Watch w : mine) {
            List<Watch> list = byKey.get(w.key);
            if (list != null) {
                list.remove(w);
                if (list.isEmpty()) {
                    byKey.remove(w.key);
                }
            }
        }
    }

    /**
     * At EXEC: a watched key whose TTL passed since WATCH breaks the watch, as in Redis: a key that expired is a
     * key that changed, even if nobody touched it. Nothing is removed here.
     */
    public void breakIfExpired(Client c, Keyspace keyspace) {
        List<Watch> mine = byClient.get(c);
        if (mine == null) {
            return;
        }
        long now = keyspace.now();
        for (Watch w : mine) {
            if (!w.expired && isStale(keyspace.db(w.key.db()).entryFor(w.key.key()), now)) {
                c.setWatchBroken(true);
                return;
            }
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
        List<Watch> mine = byClient.get(c);
        return mine == null ? 0 : mine.size();
    }

    /** A key changed (called after the change). Cheap when nothing is watched. */
    public void touched(Database db, byte[] key) {
        if (byKey.isEmpty()) {
            return;
        }
        List<Watch> list = byKey.get(new DbKey(db.index(), key));
        if (list == null) {
            return;
        }
        boolean gone = db.entryFor(key) == null;
        for (Watch w : list) {
            if (w.expired) {
                // The removal of a key that was already expired is no logical change; from then on it is missing.
                if (gone) {
                    w.expired = false;
                }
                continue;
            }
            w.client.setWatchBroken(true);
        }
    }

    /** A whole database is about to be emptied: every watched key stored in it changes, unless it was expired. */
    public void touchedDatabase(Database db) {
        if (byKey.isEmpty()) {
            return;
        }
        for (Map.Entry<DbKey, List<Watch>> e : byKey.entrySet()) {
            if (e.getKey().db() == db.index() && db.entryFor(e.getKey().key()) != null) {
                for (Watch w : e.getValue()) {
                    if (w.expired) {
                        w.expired = false;
                    } else {
                        w.client.setWatchBroken(true);
                    }
                }
            }
        }
    }

    /**
     * SWAPDB, called before the swap: a watched key changes when it is stored in its database now or the other
     * database holds it, except that an expired key replaced by nothing or by another expired key, and a missing
     * key replaced by an expired one, are no change (the latter is remembered as expired).
     */
    public void touchedSwap(Database a, Database b, long now) {
        if (byKey.isEmpty()) {
            return;
        }
        for (Map.Entry<DbKey, List<Watch>> e : byKey.entrySet()) {
            int d = e.getKey().db();
            if (d != a.index() && d != b.index()) {
                continue;
            }
            byte[] k = e.getKey().key();
            boolean stored = (d == a.index() ? a : b).entryFor(k) != null;
            Entry incoming = (d == a.index() ? b : a).entryFor(k);
            if (!stored && incoming == null) {
                continue;
            }
            boolean incomingStale = isStale(incoming, now);
            for (Watch w : e.getValue()) {
                if (w.expired) {
                    if (incoming == null) {
                        w.expired = false;
                        continue;
                    }
                    if (incomingStale) {
                        continue;
                    }
                } else if (!stored && incomingStale) {
                    w.expired = true;
                    continue;
                }
                w.client.setWatchBroken(true);
            }
        }
    }

    /** Stored but past its TTL: logically missing, though no lookup has removed it yet. */
    private static boolean isStale(Entry e, long now) {
        return e != null && e.hasExpiry() && e.expireAt() <= now;
    }
}
