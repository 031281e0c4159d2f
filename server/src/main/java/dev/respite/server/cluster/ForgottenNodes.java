package dev.respite.server.cluster;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nodes CLUSTER FORGET removed (Redis's nodes_black_list): for a minute gossip about them does not add them
 * back, and every ping tells the other nodes to forget them too, with the seconds left.
 */
final class ForgottenNodes {
    /** CLUSTER_BLACKLIST_TTL. */
    static final long TTL_SECONDS = 60;

    /** Node name to the Unix second the ban ends. */
    private final Map<String, Long> expires = new LinkedHashMap<>();

    void add(String name, long nowSeconds) {
        addUntil(name, nowSeconds + TTL_SECONDS);
    }

    void addUntil(String name, long expireSeconds) {
        expires.put(name, expireSeconds);
    }

    boolean contains(String name, long nowSeconds) {
        expire(nowSeconds);
        return expires.containsKey(name);
    }

    /** The banned nodes with the seconds left for each, expired bans dropped. */
    Map<String, Long> remaining(long nowSeconds) {
        expire(nowSeconds);
        Map<String, Long> out = new LinkedHashMap<>();
        expires.forEach((name, end) -> out.put(name, end - nowSeconds));
        return out;
    }

    private void expire(long nowSeconds) {
        for (Iterator<Long> it = expires.values().iterator(); it.hasNext(); ) {
            if (it.next() < nowSeconds) {
                it.remove();
            }
        }
    }
}
