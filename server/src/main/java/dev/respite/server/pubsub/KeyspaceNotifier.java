package dev.respite.server.pubsub;

import dev.respite.server.config.ServerConfig;
import dev.respite.storage.Database;
import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications: the one call every command family makes after changing a key. Publishes on
 * {@code __keyspace@<db>__:<key>} (message: the event) and {@code __keyevent@<db>__:<event>} (message:
 * the key) as notify-keyspace-events allows. Costs one flag test when notifications are off.
 *
 * <p>Event names are Redis's: "set", "del", "expire", "expired", "evicted", "new", "rename_from",
 * "rename_to", "lpush", "hset"... Call it after the change is made, once per key touched.
 */
public final class KeyspaceNotifier {
    private final ServerConfig config;
    private final PubSubHub hub;

    public KeyspaceNotifier(ServerConfig config, PubSubHub hub) {
        this.config = config;
        this.hub = hub;
    }

    /**
     * Reports that {@code event} happened to {@code key} in {@code db}.
     *
     * @param typeFlag the event's class, one of the {@link KeyspaceEvents} class constants (GENERIC, STRING,
     *                 LIST, HASH, EXPIRED, EVICTED, NEW...)
     */
    public void notify(int typeFlag, String event, Database db, byte[] key) {
        int flags = config.notifyKeyspaceEvents;
        if ((flags & typeFlag) == 0
                || (flags & (KeyspaceEvents.KEYSPACE | KeyspaceEvents.KEYEVENT)) == 0
                || !hub.hasListeners()) {
            return;
        }
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            hub.publish(channel("__keyspace@", db.index(), key), eventBytes);
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            hub.publish(channel("__keyevent@", db.index(), eventBytes), key);
        }
    }

    private static byte[] channel(String prefix, int db, byte[] suffix) {
        byte[] head = (prefix + db + "__:").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + suffix.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(suffix, 0, out, head.length, suffix.length);
        return out;
    }
}
