package dev.respite.server.acl;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * ACL LOG: the most recent denials and failed logins, newest first. A denial like one of the ten newest
 * entries (same reason, context, object and user, within a minute of its last update) bumps that entry's
 * count instead of adding another, so a client retrying in a loop cannot flush the log. Each new entry gets
 * the next id; with its creation time it tells a new series apart after a restart.
 */
public final class AclLog {
    public static final String TOPLEVEL = "toplevel";
    public static final String MULTI = "multi";
    public static final String LUA = "lua";

    private static final long GROUPING_MILLIS = 60_000;
    /** How many of the newest entries a new denial is compared with, as in Redis. */
    private static final int GROUPING_SCAN = 10;

    /** One entry; client-info is the CLIENT INFO line of the client at its last update. */
    public static final class Entry {
        private long count = 1;
        private final String reason;
        private final String context;
        private final String object;
        private final String username;
        private final long entryId;
        private final long createdMillis;
        private long updatedMillis;
        private String clientInfo;

        Entry(String reason, String context, String object, String username, long id, long now, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.entryId = id;
            this.createdMillis = now;
            this.updatedMillis = now;
            this.clientInfo = clientInfo;
        }

        public long count() {
            return count;
        }

        public String reason() {
            return reason;
        }

        public String context() {
            return context;
        }

        public String object() {
            return object;
        }

        public String username() {
            return username;
        }

        public long entryId() {
            return entryId;
        }

        public long createdMillis() {
            return createdMillis;
        }

        public long updatedMillis() {
            return updatedMillis;
        }

        public String clientInfo() {
            return clientInfo;
        }

        boolean sameAs(String reason, String context, String object, String username, long now) {
            return this.reason.equals(reason)
                    && this.context.equals(context)
                    && Math.abs(now - updatedMillis) <= GROUPING_MILLIS
                    && this.object.equals(object)
                    && this.username.equals(username);
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    /** The id of the next new entry; RESET does not rewind it. */
    private long nextId;

    /** Records a denial ("command", "key", "channel") or a failed login ("auth"). */
    public void add(String reason, String context, String object, String username, String clientInfo, int maxLen) {
        long now = System.currentTimeMillis();
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < GROUPING_SCAN; scanned++) {
            Entry e = it.next();
            if (e.sameAs(reason, context, object, username, now)) {
                // The updated entry becomes the newest, as in Redis.
                it.remove();
                e.count++;
                e.updatedMillis = now;
                e.clientInfo = clientInfo;
                entries.addFirst(e);
                return;
            }
        }
        entries.addFirst(new Entry(reason, context, object, username, nextId++, now, clientInfo));
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    public List<Entry> newest(int count) {
        return entries.stream().limit(count).toList();
    }

    public void reset() {
        entries.clear();
    }
}
