package dev.respite.server;

import dev.respite.server.blocking.BlockedClients;
import dev.respite.server.command.WatchedKeys;
import dev.respite.server.persistence.Propagation;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.server.pubsub.KeyspaceNotifier;
import dev.respite.server.tracking.ClientSideCaching;
import dev.respite.storage.Database;
import dev.respite.storage.KeyspaceListener;

/**
 * What the server does when the keyspace changes a key by itself or on a command's behalf: WATCH and
 * client-side caching see every change (and so does a blocked XREADGROUP, which must learn that its stream went
 * away), and keys that expire or are evicted reach the append-only file and keyspace notifications.
 */
final class KeyspaceBridge implements KeyspaceListener {
    private final WatchedKeys watches;
    private final Propagation propagation;
    private final KeyspaceNotifier notifier;
    private final BlockedClients blocking;
    private final ClientSideCaching tracking;

    KeyspaceBridge(
            WatchedKeys watches,
            Propagation propagation,
            KeyspaceNotifier notifier,
            BlockedClients blocking,
            ClientSideCaching tracking) {
        this.watches = watches;
        this.propagation = propagation;
        this.notifier = notifier;
        this.blocking = blocking;
        this.tracking = tracking;
    }

    @Override
    public void keyModified(Database db, byte[] key) {
        watches.touched(db, key);
        blocking.signalKeyChanged(db, key);
        tracking.invalidate(key);
    }

    @Override
    public void keyEvicted(Database db, byte[] key) {
        tracking.removedByServer(key);
        propagation.keyRemoved(db, key);
        notifier.notify(KeyspaceEvents.EVICTED, "evicted", db, key);
    }

    @Override
    public void keyExpired(Database db, byte[] key) {
        tracking.removedByServer(key);
        propagation.keyRemoved(db, key);
        notifier.notify(KeyspaceEvents.EXPIRED, "expired", db, key);
    }

    @Override
    public void keyCreated(Database db, byte[] key) {
        // As Redis's dbAdd: any new key (RENAME, MOVE, COPY, RESTORE, SORT STORE...) may serve a blocked client.
        blocking.signalKeyReady(db, key);
        notifier.notify(KeyspaceEvents.NEW, "new", db, key);
    }
}
