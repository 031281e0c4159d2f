package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ExpiryOption;

/** EXPIRE and friends, their NX/XX/GT/LT conditions and errors, against a real redis-server. */
class ExpiryCommandsTest extends DifferentialSuite {

    @Test
    void expireFamilySetsAndReadsTtl() throws IOException {
        check(
                "SET k v",
                "TTL k",
                "PTTL nope",
                "TTL nope",
                "EXPIRE k 100",
                "TTL k",
                "PEXPIRE k 200000",
                "TTL k",
                "EXPIREAT k 99999999999",
                "EXPIRETIME k",
                "PEXPIREAT k 99999999999123",
                "PEXPIRETIME k",
                "EXPIRETIME k",
                "PERSIST k",
                "PERSIST k",
                "TTL k",
                "EXPIRETIME k",
                "EXPIRETIME nope",
                "PERSIST nope",
                "EXPIRE nope 10");
    }

    /**
     * A transaction runs at one instant, Redis's command time snapshot: a key whose time passes while EXEC runs
     * is still there for the commands after it in the transaction, and gone after EXEC.
     */
    @Test
    void transactionSeesTheTimeItStarted() throws IOException {
        check("MULTI", "SET k v PX 100", "DEBUG SLEEP 0.3", "GET k", "EXISTS k", "PTTL k", "EXEC", "GET k", "EXISTS k");
    }

    @Test
    void expiryInThePastDeletesTheKey() throws IOException {
        check(
                "SET k v",
                "EXPIRE k 0",
                "EXISTS k",
                "SET k v",
                "EXPIRE k -5",
                "EXISTS k",
                "SET k v",
                "PEXPIREAT k 1",
                "EXISTS k",
                "SET k v",
                "EXPIREAT k 0",
                "GET k");
    }

    @Test
    void conditionsNxXxGtLt() throws IOException {
        check(
                "SET k v",
                "EXPIRE k 100 XX",
                "EXPIRE k 100 GT",
                "TTL k",
                "EXPIRE k 100 LT",
                "TTL k",
                "EXPIRE k 50 NX",
                "EXPIRE k 200 LT",
                "EXPIRE k 50 LT",
                "TTL k",
                "EXPIRE k 40 GT",
                "EXPIRE k 400 GT",
                "TTL k",
                "EXPIRE k 10 XX",
                "TTL k",
                "EXPIRE k 10 NX XX",
                "EXPIRE k 10 GT LT",
                "EXPIRE k 10 NX GT",
                "EXPIRE k 10 FOO",
                "EXPIRE k 10 xx gt",
                "TTL k",
                "PEXPIRE k 1000000 gt",
                "TTL k",
                "EXPIRE k",
                "EXPIRE k x",
                "EXPIRE k 9223372036854775807",
                "PEXPIRE k 9223372036854775807",
                "EXPIREAT k 9223372036854775807",
                "EXPIRE k -9223372036854775807",
                "EXISTS k");
    }

    @Test
    void setWithoutKeepttlClearsTtl() throws IOException {
        check(
                "SET k v EX 100",
                "SET k w",
                "TTL k",
                "SET k v EX 100",
                "GETSET k x",
                "TTL k",
                "SET k 1 EX 100",
                "INCR k",
                "TTL k",
                "MSET k 2",
                "TTL k");
    }

    @Test
    void expiredKeyIsInvisibleToEveryCommand() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            debug(j, "SET-ACTIVE-EXPIRE", "0");
            j.set("gone", "v");
            j.pexpire("gone", 50);
            j.set("stays", "v");
            Thread.sleep(120);
            assertEquals(false, j.exists("gone"));
            assertEquals(null, j.get("gone"));
            assertEquals(-2, j.ttl("gone"));
            assertEquals("none", j.type("gone"));
            assertEquals(0, j.keys("gone").size());
            assertEquals(1, j.dbSize());
            debug(j, "SET-ACTIVE-EXPIRE", "1");
            j.set("other", "v");
            assertEquals(1, j.expire("other", 100, ExpiryOption.NX));
        }
    }

    @Test
    void untouchedKeysExpireAndInfoCountsThem() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.configResetStat();
            var p = j.pipelined();
            for (int i = 0; i < 100; i++) {
                p.psetex("e" + i, 3000, "v");
            }
            p.sync();
            j.set("forever", "v");
            j.expire("later", 1000);
            j.setex("later", 1000, "v");
            String ks = j.info("keyspace");
            assertTrue(ks.contains("db0:keys=102,expires=101,avg_ttl="), ks);
            long deadline = System.currentTimeMillis() + 15_000;
            while (j.dbSize() != 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, j.dbSize());
            assertTrue(j.info("stats").contains("expired_keys:100"), j.info("stats"));
            assertTrue(j.info("keyspace").contains("db0:keys=2,expires=1,"));
        }
    }

    private static void debug(Jedis j, String... args) {
        j.sendCommand(() -> redis.clients.jedis.util.SafeEncoder.encode("DEBUG"), args);
    }
}
