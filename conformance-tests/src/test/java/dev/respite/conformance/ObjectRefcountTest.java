package dev.respite.conformance;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OBJECT REFCOUNT for every type, with and without the shared integers, compared with Redis 7.0. */
class ObjectRefcountTest extends DifferentialSuite {
    private static final String[] EVERY_TYPE = {
        "SET int 123",
        "SET zero 0",
        "SET top 9999",
        "SET big 10000",
        "SET neg -5",
        "SET text hello",
        "SET long " + "x".repeat(60),
        "SET appended 12",
        "APPEND appended 3",
        "INCR counter",
        "RPUSH list a b",
        "SADD intset 1 2",
        "SADD set a b",
        "ZADD zset 1 a",
        "HSET hash f v"
    };

    @AfterEach
    void restorePolicy() throws IOException {
        check("CONFIG SET maxmemory 0", "CONFIG SET maxmemory-policy noeviction");
    }

    @Test
    void refcountOfEveryTypeMatchesRedis() throws IOException {
        check(EVERY_TYPE);
        checkRefcounts();
    }

    @Test
    void integersAreNotSharedUnderAnLruOrLfuPolicy() throws IOException {
        for (String policy : new String[] {"allkeys-lru", "volatile-lfu", "allkeys-random"}) {
            check("FLUSHALL", "CONFIG SET maxmemory 1gb", "CONFIG SET maxmemory-policy " + policy);
            check(EVERY_TYPE);
            checkRefcounts();
        }
    }

    private void checkRefcounts() throws IOException {
        for (String key : new String[] {
            "int",
            "zero",
            "top",
            "big",
            "neg",
            "text",
            "long",
            "appended",
            "counter",
            "list",
            "intset",
            "set",
            "zset",
            "hash",
            "missing"
        }) {
            check("OBJECT REFCOUNT " + key);
        }
        check("OBJECT REFCOUNT", "OBJECT REFCOUNT a b");
    }
}
