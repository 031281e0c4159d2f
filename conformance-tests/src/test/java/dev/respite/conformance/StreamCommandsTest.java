package dev.respite.conformance;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Stream commands compared reply by reply with a real redis-server: explicit IDs keep every reply
 * deterministic, and every bad-input path must give Redis's exact error and change nothing.
 */
class StreamCommandsTest extends DifferentialSuite {
    @Test
    void addRangeAndLength() throws IOException {
        check(
                "XADD s 1-1 a 1 b 2",
                "XADD s 1-* a 3",
                "XADD s 5 c 4",
                "XADD s 5-* a 1 b 2",
                "XRANGE s - +",
                "XREVRANGE s + -",
                "XRANGE s (1-1 + COUNT 2",
                "XREVRANGE s (5-1 - COUNT 1",
                "XRANGE s 1 1",
                "XRANGE s - + COUNT 0",
                "XRANGE s - + COUNT -3",
                "XRANGE nokey - +",
                "XLEN s",
                "XLEN nokey",
                "XADD s NOMKSTREAM 6-0 x y",
                "XADD nokey NOMKSTREAM * x y",
                "EXISTS nokey",
                "TYPE s",
                "OBJECT ENCODING s");
    }

    /** IDs of every width in replies: past 32 bits, repeated milliseconds, sequences past 63 bits. */
    @Test
    void idsOfEveryWidthInReplies() throws IOException {
        check(
                "XADD big 9-9 f v",
                "XADD big 2147483647-0 f v",
                "XADD big 2147483648-1 f v",
                "XADD big 2147483648-2 g w h x",
                "XADD big 9999999999999-9223372036854775807 f v",
                "XADD big 9999999999999-* f v",
                "XADD big 9999999999999-18446744073709551615 f v",
                "XADD big 18446744073709551615-0 f v",
                "XRANGE big - +",
                "XREVRANGE big + - COUNT 3",
                "XREAD STREAMS big 0",
                "XGROUP CREATE big g 0",
                "XREADGROUP GROUP g c COUNT 4 STREAMS big >",
                "XREADGROUP GROUP g c STREAMS big 0",
                "XDEL big 18446744073709551615-0",
                "XREADGROUP GROUP g c STREAMS big >",
                "XREAD STREAMS big 9999999999999-18446744073709551614");
    }

    @Test
    void idErrors() throws IOException {
        check(
                "XADD s 10-5 f v",
                "XADD s 10-5 f v",
                "XADD s 9 f v",
                "XADD s 0-0 f v",
                "XADD s 0 f v",
                "XADD s abc f v",
                "XADD s 1-x f v",
                "XADD s - f v",
                "XADD s + f v",
                "XADD s 18446744073709551616 f v",
                "XADD s 1-2-3 f v",
                "XADD s f",
                "XADD s * f v g",
                "XADD s",
                "XRANGE s x +",
                "XRANGE s - y",
                "XRANGE s (18446744073709551615-18446744073709551615 +",
                "XRANGE s - (0-0",
                "XRANGE s ( +",
                "XRANGE s - + COUNT",
                "XRANGE s - + LIMIT 1",
                "XRANGE s - + COUNT x",
                "XDEL s bad",
                "XLEN s");
        check(
                "XADD e 18446744073709551615-18446744073709551615 f v",
                "XADD e * f v",
                "XADD e 18446744073709551615-* f v");
    }

    @Test
    void trimming() throws IOException {
        for (int i = 1; i <= 30; i++) {
            check("XADD s " + i + "-0 f " + i);
        }
        check(
                "XTRIM s MAXLEN 25",
                "XLEN s",
                "XTRIM s MAXLEN = 20",
                "XTRIM s MINID 15",
                "XRANGE s - + COUNT 2",
                "XTRIM s MINID = 18-0",
                "XTRIM s MAXLEN ~ 5 LIMIT 0",
                "XTRIM s MAXLEN -1",
                "XTRIM s MAXLEN 5 LIMIT 2",
                "XTRIM s LIMIT 2",
                "XTRIM s",
                "XTRIM s MAXLEN 5 MINID 3",
                "XTRIM s FOO 1",
                "XTRIM s MAXLEN ~ 5 LIMIT -1",
                "XTRIM s MINID bad",
                "XTRIM nokey MAXLEN 1",
                "XADD s MAXLEN 3 31-0 f v",
                "XRANGE s - +",
                "XADD s MINID 31 32-0 f v",
                "XRANGE s - +",
                "XADD s LIMIT 5 33-0 f v",
                "XADD s MAXLEN = 1 LIMIT 5 33-0 f v");
    }

    @Test
    void deletionAndSetId() throws IOException {
        check(
                "XADD s 1-0 a 1",
                "XADD s 2-0 a 2",
                "XADD s 3-0 a 3",
                "XDEL s 2-0 9-9",
                "XDEL s 2-0",
                "XDEL nokey 1-0",
                "XSETID s 2-0",
                "XSETID s 3-0 MAXDELETEDID 4-0",
                "XSETID s 5-0 ENTRIESADDED 1",
                "XSETID s 5-0 ENTRIESADDED -1",
                "XSETID s 5-0 MAXDELETEDID 1-0",
                "XSETID s 5-0 ENTRIESADDED 10 MAXDELETEDID 2-0",
                "XSETID s 4-0",
                "XSETID s 5-0 FOO",
                "XSETID nokey 1-0",
                "XSETID s +",
                "XADD s 5-0 x y",
                "XDEL s 1-0 3-0",
                "XLEN s",
                "XINFO STREAM s",
                "XDEL s 6-0",
                "XINFO STREAM s");
    }

    @Test
    void groupsAndPendingEntries() throws IOException {
        check(
                "XADD s 1-0 a 1",
                "XADD s 2-0 a 2",
                "XADD s 3-0 a 3",
                "XGROUP CREATE s g 0",
                "XGROUP CREATE s g 0",
                "XGROUP CREATE nokey g 0",
                "XGROUP CREATE new g $ MKSTREAM",
                "XGROUP CREATE s g2 $ ENTRIESREAD 3",
                "XGROUP CREATE s g3 0 ENTRIESREAD -2",
                "XGROUP CREATE s g3 0 FOO",
                "XREADGROUP GROUP g alice COUNT 2 STREAMS s >",
                "XREADGROUP GROUP g bob STREAMS s >",
                "XREADGROUP GROUP g bob STREAMS s >",
                "XREADGROUP GROUP g alice STREAMS s 0",
                "XREADGROUP GROUP g alice COUNT 1 STREAMS s 1-0",
                "XREADGROUP GROUP nog alice STREAMS s >",
                "XREADGROUP GROUP g alice STREAMS nokey >",
                "XREADGROUP GROUP g alice STREAMS s $",
                "XREADGROUP GROUP g alice STREAMS s",
                "XREADGROUP g alice STREAMS s >",
                "XREADGROUP GROUP g alice NOACK STREAMS s >",
                "XPENDING s g",
                "XPENDING s g - + 10 nobody",
                "XPENDING s g (9-0 + 10",
                "XPENDING s g - + x",
                "XPENDING s g - +",
                "XPENDING s nog",
                "XPENDING s g IDLE x - + 10",
                "XPENDING s g IDLE 5 - +",
                "XACK s g 1-0 9-0",
                "XACK s g bad",
                "XACK s nog 1-0",
                "XACK nokey g 1-0",
                "XPENDING s g",
                "XCLAIM s g carol 0 2-0 JUSTID",
                "XCLAIM s g carol 0 3-0 RETRYCOUNT 7 JUSTID",
                "XCLAIM s g carol 0 2-0 FOO",
                "XCLAIM s g carol x 2-0",
                "XCLAIM s g carol 0 2-0 IDLE x",
                "XCLAIM s nog carol 0 2-0",
                "XCLAIM s g carol 0 1-0 FORCE JUSTID",
                "XPENDING s g",
                "XINFO GROUPS s",
                "XAUTOCLAIM s g dave 0 0 COUNT 1 JUSTID",
                "XAUTOCLAIM s g dave 0 0 COUNT 0",
                "XAUTOCLAIM s g dave 0 0 FOO",
                "XAUTOCLAIM s g dave x 0",
                "XAUTOCLAIM s nog dave 0 0",
                "XDEL s 3-0",
                "XAUTOCLAIM s g dave 0 0 JUSTID",
                "XPENDING s g",
                "XGROUP SETID s g 1-0",
                "XGROUP SETID s g $ ENTRIESREAD 3",
                "XGROUP SETID s nog 0",
                "XGROUP SETID s g 0 MKSTREAM",
                "XGROUP CREATECONSUMER s g erin",
                "XGROUP CREATECONSUMER s g erin",
                "XGROUP CREATECONSUMER s nog x",
                "XGROUP DELCONSUMER s g dave",
                "XGROUP DELCONSUMER s g nobody",
                "XGROUP DESTROY s g2",
                "XGROUP DESTROY s g2",
                "XGROUP DESTROY nokey g",
                "XGROUP FOO s g",
                "XINFO GROUPS nokey",
                "XINFO CONSUMERS s nog",
                "XINFO STREAM s FOO",
                "XINFO STREAM s FULL COUNT x",
                "XINFO FOO s");
    }

    @Test
    void readErrors() throws IOException {
        check(
                "XADD s 1-0 a 1",
                "XREAD STREAMS s 0",
                "XREAD COUNT 1 STREAMS s s 0 0",
                "XREAD STREAMS s",
                "XREAD STREAMS s >",
                "XREAD GROUP g c STREAMS s 0",
                "XREAD NOACK STREAMS s 0",
                "XREAD BLOCK x STREAMS s $",
                "XREAD BLOCK -1 STREAMS s $",
                "XREAD FOO STREAMS s 0",
                "XREAD STREAMS s bad",
                "XREAD STREAMS s $",
                "XREAD STREAMS nokey 0",
                "XREAD COUNT -5 STREAMS s 0");
        // Redis prints names in these errors with C's %s: up to the first NUL byte.
        check(
                "XGROUP CREATE s g 0",
                "XREADGROUP GROUP \"\\x00\\xff\\x01\" c STREAMS s >",
                "XREADGROUP GROUP \"gr\\x00oup\" c STREAMS \"no\\x00key\" >",
                "XGROUP CREATECONSUMER s \"no\\x00pe\" c",
                "XGROUP DELCONSUMER \"s\\x00x\" g c",
                "XPENDING s \"n\\x00g\"",
                "XCLAIM s g c 0 1-0 \"BAD\\x00OPT\"",
                "XACK s \"n\\x00g\" 1-0");
    }

    @Test
    void wrongTypeEverywhere() throws IOException {
        check(
                "SET str x",
                "XADD str * f v",
                "XRANGE str - +",
                "XREVRANGE str + -",
                "XLEN str",
                "XDEL str 1-0",
                "XTRIM str MAXLEN 1",
                "XSETID str 1-0",
                "XREAD STREAMS str 0",
                "XREADGROUP GROUP g c STREAMS str >",
                "XACK str g 1-0",
                "XPENDING str g",
                "XCLAIM str g c 0 1-0",
                "XAUTOCLAIM str g c 0 0",
                "XGROUP CREATE str g 0",
                "XINFO STREAM str",
                "XINFO GROUPS str",
                "XADD s 1-0 f v",
                "LPUSH s x",
                "GET s");
    }

    /** HELP as Redis 7.2 words it (7.0's last line differs, so this is not compared with the package). */
    @Test
    void helpTexts() throws IOException {
        String groups = d.respite().call("XGROUP", "HELP");
        org.junit.jupiter.api.Assertions.assertTrue(
                groups.startsWith("*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                        + "+CREATE <key> <groupname> <id|$> [option]\r\n"),
                groups);
        org.junit.jupiter.api.Assertions.assertTrue(groups.endsWith("+HELP\r\n+    Print this help.\r\n"), groups);
        String info = d.respite().call("XINFO", "HELP");
        org.junit.jupiter.api.Assertions.assertTrue(info.contains("+STREAM <key> [FULL [COUNT <count>]\r\n"), info);
    }

    @Test
    void resp3Replies() throws IOException {
        d.hello("3");
        check(
                "XADD s 1-0 a 1",
                "XADD t 2-0 b 2",
                "XREAD STREAMS s t 0 0",
                "XGROUP CREATE s g 0",
                "XREADGROUP GROUP g c STREAMS s >",
                "XINFO STREAM s",
                "XINFO GROUPS s",
                "XPENDING s nog",
                "XRANGE s - + COUNT 0",
                "XREAD STREAMS s 5-0");
        d.hello("2");
    }
}
