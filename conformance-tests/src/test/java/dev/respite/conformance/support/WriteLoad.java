package dev.respite.conformance.support;

import java.util.Random;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.ZParams;

/**
 * A seeded mixed write load over every type and several databases: relative and absolute expiries, TTLs
 * short enough to expire during the run, random and blocking pops, floating-point increments, key moves
 * between databases, and transactions. What a master must propagate so that its replicas end up equal.
 */
public final class WriteLoad {
    private final Random random;
    private int db;

    private final String prefix;

    public WriteLoad(long seed) {
        this(seed, "");
    }

    /** A load whose keys all start with {@code prefix}: loads with different prefixes can run at once. */
    public WriteLoad(long seed, String prefix) {
        this.random = new Random(seed);
        this.prefix = prefix;
    }

    /** Runs {@code rounds} rounds of about forty commands each on {@code j}. */
    public void run(Jedis j, int rounds) {
        for (int r = 0; r < rounds; r++) {
            db = random.nextInt(3);
            j.select(db);
            round(j);
        }
        j.select(0);
    }

    private String key(String type) {
        return prefix + type + ":" + random.nextInt(40);
    }

    private void round(Jedis j) {
        String s = key("s");
        j.set(s, "v" + random.nextInt(1000));
        j.set(key("s"), "ex", SetParams.setParams().ex(3600));
        j.set(key("s"), "px", SetParams.setParams().px(50 + random.nextInt(200)));
        j.setex(key("s"), 3600, "setex");
        j.psetex(key("s"), 100 + random.nextInt(100), "short");
        j.incr(key("n"));
        j.incrByFloat(key("f"), random.nextDouble());
        j.append(s, "tail");
        j.setrange(key("s"), 3, "range");
        j.getSet(key("s"), "gs");
        j.getEx(key("s"), GetExParams.getExParams().px(3_600_000));
        j.expire(key("s"), 7200);
        j.pexpireAt(key("s"), System.currentTimeMillis() + 3_600_000);
        j.persist(key("s"));
        j.getDel(key("s"));
        j.mset(key("s"), "m1", key("s"), "m2");

        String l = key("l");
        j.rpush(l, "a", "b", "c", "d");
        j.lpush(key("l"), "x", "y");
        j.lpop(key("l"), 2);
        j.rpop(key("l"));
        j.lmove(key("l"), key("l"), ListDirection.LEFT, ListDirection.RIGHT);
        j.ltrim(key("l"), 0, 5);
        j.linsert(l, redis.clients.jedis.args.ListPosition.BEFORE, "b", "ins");
        j.blpop(0.01, key("l"));
        j.blmove(key("l"), key("l"), ListDirection.RIGHT, ListDirection.LEFT, 0.01);

        String set = key("set");
        j.sadd(set, "m" + random.nextInt(20), "m" + random.nextInt(20), "m" + random.nextInt(20));
        j.spop(key("set"));
        j.spop(key("set"), 2);
        j.srem(key("set"), "m" + random.nextInt(20));
        j.smove(key("set"), key("set"), "m" + random.nextInt(20));
        j.sinterstore(key("set"), set, key("set"));

        String z = key("z");
        j.zadd(z, random.nextInt(100), "z" + random.nextInt(30));
        j.zincrby(key("z"), random.nextDouble(), "z" + random.nextInt(30));
        j.zpopmin(key("z"));
        j.zmpop(SortedSetOption.MAX, 2, key("z"));
        j.zunionstore(key("z"), new ZParams().weights(1, 2), z, key("z"));
        j.bzpopmax(0.01, key("z"));

        String h = key("h");
        j.hset(h, "f" + random.nextInt(10), "v" + random.nextInt(10));
        j.hincrBy(h, "count", 1);
        j.hincrByFloat(key("h"), "float", random.nextDouble());
        j.hdel(key("h"), "f" + random.nextInt(10));
        j.pexpire(key("h"), 100 + random.nextInt(200));

        j.del(key("s"));
        j.copy(key("s"), key("copy"), true);
        if (j.exists(set)) {
            j.rename(set, key("renamed"));
        }
        j.move(key("s"), (db + 1) % 3);
        j.pexpire(key("l"), 150);

        Transaction t = j.multi();
        t.incr(key("n"));
        t.rpush(key("l"), "tx");
        t.set(key("s"), "tx", SetParams.setParams().px(3_600_000));
        t.spop(key("set"));
        t.exec();
    }
}
