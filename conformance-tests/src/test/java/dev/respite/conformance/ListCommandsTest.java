package dev.respite.conformance;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Non-blocking list commands compared byte for byte with a real redis-server, replies and errors alike. */
class ListCommandsTest extends DifferentialSuite {

    @Test
    void pushesAndPops() throws IOException {
        d.check("LPUSH", "l", "a", "b", "c");
        d.check("RPUSH", "l", "x", "y");
        d.check("LPUSHX", "l", "h");
        d.check("RPUSHX", "l", "t1", "t2");
        d.check("LPUSHX", "nokey", "a");
        d.check("RPUSHX", "nokey", "a");
        d.check("EXISTS", "nokey");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LPOP", "l");
        d.check("RPOP", "l");
        d.check("LPOP", "l", "2");
        d.check("RPOP", "l", "0");
        d.check("RPOP", "l", "100");
        d.check("EXISTS", "l");
        d.check("LPOP", "l");
        d.check("LPOP", "l", "1");
        d.check("LPOP", "l", "-1");
        d.check("LPOP", "l", "x");
        d.check("LPOP", "l", "1", "2");
        d.check("RPUSH", "l");
    }

    @Test
    void indexRangeAndSet() throws IOException {
        d.check("RPUSH", "l", "a", "b", "c", "d", "e");
        for (String[] r : new String[][] {
            {"0", "-1"}, {"1", "2"}, {"-2", "-1"}, {"-100", "100"}, {"3", "1"}, {"5", "10"}, {"0", "0"}, {"a", "1"}
        }) {
            d.check("LRANGE", "l", r[0], r[1]);
        }
        d.check("LRANGE", "nokey", "0", "-1");
        d.check("LINDEX", "l", "0");
        d.check("LINDEX", "l", "-1");
        d.check("LINDEX", "l", "5");
        d.check("LINDEX", "l", "x");
        d.check("LINDEX", "nokey", "0");
        d.check("LSET", "l", "1", "B");
        d.check("LSET", "l", "-1", "E");
        d.check("LSET", "l", "10", "x");
        d.check("LSET", "nokey", "0", "x");
        d.check("LSET", "l", "x", "x");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LLEN", "l");
        d.check("LLEN", "nokey");
    }

    @Test
    void insertRemoveTrim() throws IOException {
        d.check("RPUSH", "l", "a", "b", "a", "c", "a", "d");
        d.check("LINSERT", "l", "BEFORE", "c", "x");
        d.check("LINSERT", "l", "after", "d", "z");
        d.check("LINSERT", "l", "after", "nope", "z");
        d.check("LINSERT", "l", "middle", "c", "z");
        d.check("LINSERT", "nokey", "before", "c", "z");
        d.check("LREM", "l", "1", "a");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LREM", "l", "-1", "a");
        d.check("LRANGE", "l", "0", "-1");
        d.check("RPUSH", "l", "a", "a");
        d.check("LREM", "l", "0", "a");
        d.check("LREM", "l", "x", "a");
        d.check("LREM", "nokey", "0", "a");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LTRIM", "l", "1", "-2");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LTRIM", "l", "5", "1");
        d.check("EXISTS", "l");
        d.check("LTRIM", "nokey", "0", "1");
        d.check("LTRIM", "l", "x", "1");
    }

    @Test
    void positions() throws IOException {
        d.check("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
        d.check("LPOS", "l", "c");
        d.check("LPOS", "l", "c", "RANK", "2");
        d.check("LPOS", "l", "c", "RANK", "-1");
        d.check("LPOS", "l", "c", "COUNT", "0");
        d.check("LPOS", "l", "c", "COUNT", "2", "RANK", "-1");
        d.check("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "3");
        d.check("LPOS", "l", "c", "MAXLEN", "2");
        d.check("LPOS", "l", "zz");
        d.check("LPOS", "l", "zz", "COUNT", "3");
        d.check("LPOS", "nokey", "zz");
        d.check("LPOS", "nokey", "zz", "COUNT", "1");
        d.check("LPOS", "l", "c", "RANK", "0");
        d.check("LPOS", "l", "c", "COUNT", "-1");
        d.check("LPOS", "l", "c", "COUNT", "abc");
        d.check("LPOS", "l", "c", "MAXLEN", "-1");
        d.check("LPOS", "l", "c", "RANK");
        d.check("LPOS", "l", "c", "BOGUS", "1");
    }

    @Test
    void movesBetweenLists() throws IOException {
        d.check("RPUSH", "src", "1", "2", "3");
        d.check("LMOVE", "src", "dst", "LEFT", "RIGHT");
        d.check("LMOVE", "src", "dst", "RIGHT", "LEFT");
        d.check("LMOVE", "src", "src", "LEFT", "RIGHT");
        d.check("LRANGE", "src", "0", "-1");
        d.check("RPOPLPUSH", "src", "dst");
        d.check("EXISTS", "src");
        d.check("LRANGE", "dst", "0", "-1");
        d.check("RPOPLPUSH", "nokey", "dst");
        d.check("LMOVE", "dst", "dst", "UP", "LEFT");
        d.check("SET", "str", "x");
        d.check("RPOPLPUSH", "dst", "str");
        d.check("RPOPLPUSH", "nokey", "str");
        d.check("RPOPLPUSH", "str", "dst");
        d.check("LRANGE", "dst", "0", "-1");
    }

    @Test
    void multiPop() throws IOException {
        d.check("RPUSH", "b", "1", "2", "3");
        d.check("LMPOP", "2", "a", "b", "LEFT");
        d.check("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "10");
        d.check("LMPOP", "2", "a", "b", "RIGHT");
        d.check("LMPOP", "0", "a", "LEFT");
        d.check("LMPOP", "x", "a", "LEFT");
        d.check("LMPOP", "5", "a", "LEFT");
        d.check("LMPOP", "1", "a", "MIDDLE");
        d.check("LMPOP", "1", "a", "LEFT", "COUNT", "0");
        d.check("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "2");
        d.check("LMPOP", "1", "a", "LEFT", "COUNT");
    }

    @Test
    void wrongType() throws IOException {
        d.check("SET", "s", "x");
        for (String[] cmd : new String[][] {
            {"LPUSH", "s", "a"},
            {"RPUSHX", "s", "a"},
            {"LPOP", "s"},
            {"RPOP", "s", "2"},
            {"LRANGE", "s", "0", "1"},
            {"LINDEX", "s", "0"},
            {"LSET", "s", "0", "a"},
            {"LINSERT", "s", "BEFORE", "a", "b"},
            {"LLEN", "s"},
            {"LREM", "s", "0", "a"},
            {"LTRIM", "s", "0", "1"},
            {"LPOS", "s", "a"},
            {"LMOVE", "s", "d", "LEFT", "LEFT"},
            {"LMPOP", "1", "s", "LEFT"},
            {"BLPOP", "s", "0"},
            {"BRPOPLPUSH", "s", "d", "0"},
            {"BLMPOP", "0", "1", "s", "LEFT"}
        }) {
            d.check(cmd);
        }
    }

    @Test
    void longListsAcrossNodeBoundaries() throws IOException {
        List<String> push = new ArrayList<>(List.of("RPUSH", "l"));
        for (int i = 0; i < 3000; i++) {
            push.add("element-" + i);
        }
        d.check(push.toArray(String[]::new));
        d.check("LINDEX", "l", "1777");
        d.check("LRANGE", "l", "1000", "1010");
        d.check("LINSERT", "l", "BEFORE", "element-2000", "inserted");
        d.check("LSET", "l", "2500", "x".repeat(10000));
        d.check("LPOS", "l", "element-2999");
        d.check("LREM", "l", "0", "element-5");
        d.check("LTRIM", "l", "100", "-100");
        d.check("LLEN", "l");
        d.check("LRANGE", "l", "-5", "-1");
        d.check("LPOP", "l", "1000");
        d.check("LRANGE", "l", "0", "3");
    }

    @Test
    void encodingDirective() throws IOException {
        d.check("CONFIG", "SET", "list-max-listpack-size", "4");
        d.check("RPUSH", "l", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        d.check("LINSERT", "l", "AFTER", "5", "x");
        d.check("LRANGE", "l", "0", "-1");
        d.check("CONFIG", "SET", "list-max-listpack-size", "-2");
    }
}
