package dev.respite.conformance.support;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Fills a real Redis with every type in its small and large encodings: integers and LZF-compressible
 * strings, listpack and multi-node quicklists (with a plain node for a huge element), intsets, small and
 * large sets, sorted sets with infinite scores, small and large hashes, and keys with TTLs in two databases.
 */
public final class SampleData {
    private SampleData() {}

    public static void populate(Jedis j) {
        Pipeline p = j.pipelined();
        p.set("str:small", "hello");
        p.set("str:int", "12345");
        p.set("str:negative", "-9000000000");
        p.set("str:lzf", "abcdefgh".repeat(500));
        p.set("str:ttl", "soon");
        p.pexpire("str:ttl", 3_600_000);
        p.rpush("list:small", "a", "b", "1", "-2");
        for (int i = 0; i < 20_000; i += 100) {
            String[] batch = new String[100];
            for (int k = 0; k < 100; k++) {
                batch[k] = "element-" + (i + k);
            }
            p.rpush("list:big", batch);
        }
        p.rpush("list:big", "x".repeat(20_000));
        p.rpush("list:huge-element", "y".repeat(100_000), "z");
        p.sadd("set:intset", "1", "2", "3", "-40000", "5000000000");
        p.sadd("set:small", "a", "b", "c");
        for (int i = 0; i < 1000; i++) {
            p.sadd("set:big", "member-" + i);
            p.sadd("set:bigint", Integer.toString(i * 7));
            p.zadd("zset:big", i / 3.0, "m" + i);
            p.hset("hash:big", "field-" + i, "value-" + i);
        }
        p.zadd("zset:small", 1.5, "a");
        p.zadd("zset:small", Double.POSITIVE_INFINITY, "top");
        p.zadd("zset:small", Double.NEGATIVE_INFINITY, "bottom");
        p.zadd("zset:small", -0.25, "neg");
        p.hset("hash:small", "f1", "v1");
        p.hset("hash:small", "n", "42");
        p.hset("hash:long-value", "f", "v".repeat(200));
        p.expire("hash:small", 7200);
        p.expire("set:big", 9000);
        p.select(3);
        p.set("db3:key", "in database three");
        p.rpush("db3:list", "q", "r");
        p.pexpire("db3:list", 5_000_000);
        p.select(0);
        p.sync();
    }
}
