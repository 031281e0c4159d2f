package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** notify-keyspace-events: flag syntax and the published events, compared with a real redis-server. */
class KeyspaceNotificationsTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    @Test
    void flagsAreStoredInRedisCanonicalForm() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            for (String flags : new String[] {"KEA", "EKmA", "Kn", "KEnmx$", "ndtxzhsl$g", "An", "Kd", "E", ""}) {
                d.check("CONFIG", "SET", "notify-keyspace-events", flags);
                d.check("CONFIG", "GET", "notify-keyspace-events");
            }
            d.check("CONFIG", "SET", "notify-keyspace-events", "Kq");
            d.check("CONFIG", "GET", "notify-keyspace-events");
        }
    }

    @Test
    void setDelAndNewPublishOnKeyspaceAndKeyeventChannels() throws IOException {
        try (Differential admin = new Differential(respite.port(), redis.port());
                Differential sub = new Differential(respite.port(), redis.port())) {
            admin.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
            sub.check("PSUBSCRIBE", "__key*@*__:*");
            admin.check("SET", "ks:foo", "bar");
            frames(sub, 2);
            admin.check("DEL", "ks:foo", "ks:absent");
            frames(sub, 2);
            admin.check("CONFIG", "SET", "notify-keyspace-events", "KEAn");
            admin.check("SELECT", "3");
            admin.check("SET", "ks:new", "v");
            frames(sub, 4);
            admin.check("SET", "ks:new", "again");
            frames(sub, 2);
            admin.check("CONFIG", "SET", "notify-keyspace-events", "E$");
            admin.check("DEL", "ks:new");
            admin.check("SET", "ks:only-event", "v");
            frames(sub, 1);
            admin.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Test
    void flagsGivenAtStartupApply() throws Exception {
        try (RespiteProcess configured = RespiteProcess.start("--notify-keyspace-events", "gE");
                RealRedis reference = RealRedis.start("--notify-keyspace-events", "gE");
                Differential d = new Differential(configured.port(), reference.port())) {
            d.check("CONFIG", "GET", "notify-keyspace-events");
        }
    }

    private static void frames(Differential d, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            assertEquals(d.redis().readReply(), d.respite().readReply());
        }
    }
}
