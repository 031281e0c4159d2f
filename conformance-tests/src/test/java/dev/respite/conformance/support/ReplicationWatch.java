package dev.respite.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/** Reading replication state from INFO, waiting for a replica to catch up, and comparing datasets. */
public final class ReplicationWatch {
    private ReplicationWatch() {}

    /** One field of INFO {@code section}, or null. */
    public static String info(Jedis j, String section, String field) {
        for (String line : j.info(section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    public static long offset(Jedis j) {
        return Long.parseLong(info(j, "replication", "master_repl_offset"));
    }

    /** Waits until {@code replica}'s link is up and its offset equals the master's, which stops moving. */
    public static void awaitCaughtUp(Jedis master, Jedis replica, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            long m = offset(master);
            if ("up".equals(info(replica, "replication", "master_link_status")) && offset(replica) == m) {
                return;
            }
            Thread.sleep(50);
        }
        fail("replica did not catch up: master offset " + offset(master) + ", replica "
                + info(replica, "replication", "") + " " + replica.info("replication"));
    }

    /** Waits until the master's keys that expired are gone (their DELs propagated), reading every key. */
    public static void settleExpiries(Jedis master, int databases) throws InterruptedException {
        Thread.sleep(400);
        for (int db = 0; db < databases; db++) {
            master.select(db);
            for (String k : master.keys("*")) {
                master.pttl(k);
            }
        }
        master.select(0);
    }

    /** Every key of the first {@code databases} databases on both sides: type, contents and whether it expires. */
    public static void assertSameData(Jedis master, Jedis replica, int databases) {
        for (int db = 0; db < databases; db++) {
            master.select(db);
            replica.select(db);
            Map<String, String> expected = describe(master);
            Map<String, String> actual = describe(replica);
            assertEquals(expected, actual, "database " + db);
        }
        master.select(0);
        replica.select(0);
    }

    private static Map<String, String> describe(Jedis j) {
        List<String> keys = new ArrayList<>(j.keys("*"));
        Map<String, String> contents = RedisContents.of(j, keys, false);
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : contents.entrySet()) {
            long ttl = j.pttl(e.getKey());
            out.put(e.getKey(), e.getValue() + (ttl == -1 ? " persistent" : " expiring"));
        }
        return out;
    }
}
