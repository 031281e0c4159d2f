package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The command table against Redis 7.2.5: COMMAND INFO, DOCS, LIST, COUNT, GETKEYS and GETKEYSANDFLAGS, and the
 * ACL key checks that read the same key positions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandTableTest {
    private RespiteProcess respite;
    private RealRedis reference;
    private Differential d;

    @BeforeAll
    void startServers() throws IOException {
        respite = RespiteProcess.start();
        reference = RealRedis.start();
        d = new Differential(respite.port(), reference.port());
    }

    @AfterAll
    void stopServers() throws IOException {
        d.close();
        respite.close();
        reference.close();
    }

    /** Names in a flat array reply of bulk strings. */
    private static List<String> names(String reply) {
        List<String> out = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 2; i < lines.length; i += 2) {
            out.add(lines[i]);
        }
        return out;
    }

    private List<String> respiteList(String... filter) throws IOException {
        List<String> args = new ArrayList<>(List.of("COMMAND", "LIST"));
        args.addAll(List.of(filter));
        return names(d.respite().call(args.toArray(String[]::new)));
    }

    @Test
    void infoAndDocsAreRedisBytesForEveryCommandRespiteHas() throws IOException {
        List<String> all = respiteList();
        assertTrue(all.size() > 250, "COMMAND LIST names " + all.size());
        for (String protocol : List.of("2", "3")) {
            d.hello(protocol);
            for (String name : all) {
                // A container's subcommands come in Redis's hash order, which changes from run to run: each is
                // compared on its own instead.
                if (all.stream().anyMatch(n -> n.startsWith(name + "|"))) {
                    continue;
                }
                d.check("COMMAND", "INFO", name);
                d.check("COMMAND", "DOCS", name);
            }
            d.check("COMMAND", "INFO", "get", "no-such-command", "lmpop", "config|get");
            d.check("COMMAND", "DOCS", "no-such-command");
        }
        d.hello("2");
    }

    @Test
    void containersDescribeTheSubcommandsRespiteRuns() throws IOException {
        List<String> all = respiteList();
        for (String container : List.of("client", "config", "acl", "command", "object", "memory")) {
            long subs = all.stream().filter(n -> n.startsWith(container + "|")).count();
            assertTrue(subs > 1, container);
            String info = d.respite().call("COMMAND", "INFO", container);
            String docs = d.respite().call("COMMAND", "DOCS", container);
            for (String n : all) {
                if (n.startsWith(container + "|")) {
                    assertTrue(info.contains("$" + n.length() + "\r\n" + n + "\r\n"), n);
                    assertTrue(docs.contains("$" + n.length() + "\r\n" + n + "\r\n"), n);
                }
            }
            assertTrue(info.contains("*" + subs + "\r\n*10\r\n"), info);
        }
    }

    @Test
    void listNamesSubcommandsAndFiltersAsRedis() throws IOException {
        Set<String> ours = new TreeSet<>(respiteList());
        Set<String> redis = new TreeSet<>(names(d.redis().call("COMMAND", "LIST")));
        assertTrue(redis.containsAll(ours), "only Redis's commands");
        assertTrue(ours.contains("acl|cat") && ours.contains("lmpop"), ours.toString());
        long topLevel = ours.stream().filter(n -> !n.contains("|")).count();
        assertEquals(":" + topLevel + "\r\n", d.respite().call("COMMAND", "COUNT"));
        String[][] filters = {
            {"ACLCAT", "list"},
            {"ACLCAT", "DANGEROUS"},
            {"ACLCAT", "no-such"},
            {"PATTERN", "acl|*"},
            {"PATTERN", "Z*"},
            {"PATTERN", "*get*"},
            {"MODULE", "none"}
        };
        for (String[] f : filters) {
            Set<String> expected = new TreeSet<>(names(d.redis().call("COMMAND", "LIST", "FILTERBY", f[0], f[1])));
            expected.retainAll(ours);
            assertEquals(expected, new TreeSet<>(respiteList("FILTERBY", f[0], f[1])), String.join(" ", f));
        }
        d.check("COMMAND", "LIST", "FILTERBY", "nosuch", "x");
        d.check("COMMAND", "LIST", "FILTERBY", "PATTERN");
        d.check("COMMAND", "LIST", "extra");
    }

    @Test
    void getKeysAndFlagsMatchRedis() throws IOException {
        List<List<String>> corpus = List.of(
                List.of("lmpop", "2", "a1", "b1", "left"),
                List.of("lmpop", "0", "a", "left"),
                List.of("lmpop", "5", "a", "left"),
                List.of("lmpop", "x", "a", "left"),
                List.of("lmpop", "1", "a"),
                List.of("blmpop", "0", "2", "a", "b", "right", "count", "3"),
                List.of("zmpop", "2", "a", "b", "min"),
                List.of("bzmpop", "1.5", "1", "a", "max"),
                List.of("zunion", "2", "a", "b"),
                List.of("zunionstore", "d", "2", "a", "b", "weights", "1", "2"),
                List.of("zunionstore", "d", "2x", "a", "b"),
                List.of("zinter", "2", "a", "b", "withscores"),
                List.of("zinterstore", "d", "1", "a"),
                List.of("zdiff", "2", "a", "b"),
                List.of("zdiffstore", "d", "2", "a", "b"),
                List.of("zintercard", "2", "a", "b", "limit", "1"),
                List.of("sintercard", "2", "a", "b"),
                List.of("sintercard", " 2", "a", "b"),
                List.of("sintercard", "-1", "a", "b"),
                List.of("sort", "k", "by", "w*", "store", "dst", "limit", "0", "1"),
                List.of("sort", "k", "store", "a", "store", "b"),
                List.of("sort", "k", "get", "store", "x"),
                List.of("sort_ro", "k", "get", "x"),
                List.of("migrate", "h", "1", "", "0", "5", "copy", "auth", "keys", "keys", "a", "b"),
                List.of("migrate", "h", "1", "k", "0", "5", "keys", "a"),
                List.of("migrate", "h", "1", "k", "0", "5"),
                List.of("set", "k", "v", "get"),
                List.of("set", "k", "v", "ex", "10"),
                List.of("bitfield", "k", "get", "u8", "0"),
                List.of("bitfield", "k", "get", "u8", "0", "incrby", "u8", "0", "1"),
                List.of("bitfield_ro", "k", "get", "u8", "0"),
                List.of("mset", "a", "1", "b", "2"),
                List.of("mset", "a", "1", "b"),
                List.of("msetnx", "a", "1"),
                List.of("get", "k"),
                List.of("del", "a", "b", "c"),
                List.of("rename", "a", "b"),
                List.of("lmove", "a", "b", "left", "right"),
                List.of("blpop", "a", "b", "0"),
                List.of("bitop", "and", "d", "a", "b"),
                List.of("memory", "usage", "k"),
                List.of("object", "encoding", "k"),
                List.of("copy", "a", "b", "db", "1"),
                List.of("touch", "a", "b"),
                List.of("watch", "a", "b"),
                List.of("hset", "h", "f", "v"),
                List.of("lcs", "a", "b"),
                List.of("georadius", "g", "0", "0", "1", "km", "store", "dst"),
                List.of("ping"),
                List.of("config", "get", "x"),
                List.of("nosuch", "x"),
                List.of("client", "nosuch"),
                List.of("get"),
                List.of("get", "a", "b"),
                List.of("lmpop"));
        for (List<String> args : corpus) {
            for (String sub : List.of("GETKEYS", "GETKEYSANDFLAGS")) {
                List<String> cmd = new ArrayList<>(List.of("COMMAND", sub));
                cmd.addAll(args);
                String redis = d.redis().call(cmd.toArray(String[]::new));
                String ours = d.respite().call(cmd.toArray(String[]::new));
                // Commands Respite does not run yet are unknown to it; everything else answers as Redis.
                if (!ours.equals("-ERR Invalid command specified\r\n") || redis.startsWith("-ERR Invalid command")) {
                    assertEquals(redis, ours, String.join(" ", cmd));
                }
            }
        }
        assertEquals("*2\r\n$2\r\na1\r\n$2\r\nb1\r\n", d.check("COMMAND", "GETKEYS", "lmpop", "2", "a1", "b1", "left"));
    }

    @Test
    void aUserLimitedToSomeKeysIsRefusedTheOthersWhereverTheyAre() throws IOException {
        d.check("ACL", "SETUSER", "lim", "on", "nopass", "~a*", "+@all", "-@dangerous");
        d.check("ACL", "SETUSER", "split", "on", "nopass", "%R~r*", "%W~w*", "+@all");
        try (Differential u = new Differential(respite.port(), reference.port())) {
            u.check("AUTH", "lim", "x");
            assertEquals("-NOPERM No permissions to access a key\r\n", u.check("LMPOP", "2", "a1", "b1", "LEFT"));
            for (String line : List.of(
                    "LMPOP 2 a1 b1 LEFT",
                    "BLMPOP 0.01 2 a1 b1 LEFT",
                    "ZMPOP 2 a1 b1 MIN",
                    "BZMPOP 0.01 2 a1 b1 MIN",
                    "ZUNION 2 a1 b1",
                    "ZINTER 2 a1 b1",
                    "ZDIFF 2 a1 b1",
                    "ZINTERCARD 2 a1 b1",
                    "SINTERCARD 2 a1 b1",
                    "ZUNIONSTORE a0 2 a1 b1",
                    "ZUNIONSTORE b0 1 a1",
                    "ZRANGESTORE b0 a1 0 -1",
                    "LMPOP 2 a1 a2 LEFT",
                    "ZUNION 2 a1 a2",
                    "SINTERCARD 2 a1 a2",
                    "LMPOP x b1 LEFT",
                    "SET b1 x",
                    "MSET a1 1 b1 1",
                    "GET a1",
                    "SORT a1 STORE b1",
                    "SORT a1 STORE a2",
                    "BITFIELD b1 GET u8 0",
                    "ACL DRYRUN lim LMPOP 1 b1 LEFT",
                    "ACL DRYRUN lim LMPOP 1 a1 LEFT")) {
                u.check(line.split(" "));
            }
            u.check("AUTH", "split", "x");
            for (String line : List.of(
                    "GET r1",
                    "SET r1 x",
                    "SET w1 x",
                    "GET w1",
                    "LMPOP 1 r1 LEFT",
                    "LMPOP 1 w1 LEFT",
                    "SINTERCARD 1 r1",
                    "SINTERCARD 1 w1",
                    "ZUNIONSTORE w2 1 r1",
                    "ZUNIONSTORE r2 1 r1",
                    "EXISTS r1",
                    "EXISTS w1",
                    "SET w1 x GET",
                    "SET w1 x",
                    "BITFIELD r1 GET u8 0",
                    "BITFIELD r1 SET u8 0 1",
                    "SORT r1 STORE w1",
                    "SORT w1 STORE w2",
                    "COPY r1 w3",
                    "DEL r1",
                    "DEL w1")) {
                u.check(line.split(" "));
            }
        }
    }
}
