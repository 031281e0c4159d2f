package dev.respite.server.acl;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * ACL LOG: the most recent denials and failed logins, newest first. A denial equal to a recent one (same
 * reason, context, object and user within a minute) bumps that entry's count instead of adding another,
 * so a client retrying in a loop cannot flush the log.
 */
public final class AclLog {
    private static final long GROUPING_MILLIS = 60_000;

    /** One entry; client-info is the CLIENT LIST line of the client at the time. */
    public static final class Entry {
        private long count = 1;
        private final String reason;
        private final String context;
        private final String object;
        private final String username;
        private long createdMillis;
        private String clientInfo;

        Entry(String reason, String context, String object, String username, long now, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.createdMillis = now;
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

        public long createdMillis() {
            return createdMillis;
        }

        public String clientInfo() {
            return clientInfo;
        }

        boolean sameAs(String reason, String context, String object, String username) {
            return this.reason.equals(reason)
                    && this.context.equals(context)
                    && this.object.equals(object)
                    && this.username.equals(username);
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    /** Records a denial ("command", "key", "channel") or a failed login ("auth"). */
    public void add(String reason, String context, String object, String username, String clientInfo, int maxLen) {
        long now = System.currentTimeMillis();
        for (java.util.Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.sameAs(reason, context, object, username) && now - e.createdMillis < GROUPING_MILLIS) {
                // The updated entry becomes the newest, as in Redis.
                it.remove();
                e.count++;
                e.createdMillis = now;
                e.clientInfo = clientInfo;
                entries.addFirst(e);
                return;
            }
        }
        entries.addFirst(new Entry(reason, context, object, username, now, clientInfo));
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
