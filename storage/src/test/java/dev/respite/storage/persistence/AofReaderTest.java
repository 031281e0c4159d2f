package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AofReaderTest {
    private static byte[] log(String... commands) {
        CommandBuffer b = new CommandBuffer(8);
        for (String c : commands) {
            byte[][] args = Arrays.stream(c.split(" "))
                    .map(s -> s.getBytes(StandardCharsets.UTF_8))
                    .toArray(byte[][]::new);
            b.command(args);
        }
        return b.toByteArray();
    }

    @Test
    void readsWhatTheBufferWrites() throws Exception {
        byte[] bytes = log("SELECT 0", "SET k v", "DEL k");
        AofReader r = new AofReader(new ByteArrayInputStream(bytes));
        assertArrayEquals("SELECT".getBytes(), r.next()[0]);
        assertArrayEquals("v".getBytes(), r.next()[2]);
        assertEquals(2, r.next().length);
        assertNull(r.next());
        assertEquals(bytes.length, r.goodOffset());
    }

    @Test
    void everyCutInsideTheLastCommandIsATruncationAtItsStart() throws Exception {
        byte[] good = log("SET a 1");
        byte[] all = log("SET a 1", "SET bb 22");
        for (int cut = good.length + 1; cut < all.length; cut++) {
            AofReader r = new AofReader(new ByteArrayInputStream(Arrays.copyOf(all, cut)));
            r.next();
            AofFormatException e = assertThrows(AofFormatException.class, r::next);
            assertTrue(e.truncated(), "cut at " + cut);
            assertEquals(good.length, e.lastGoodOffset());
        }
    }

    @Test
    void damageInTheMiddleNamesItsOffset() throws Exception {
        byte[] all = log("SET a 1", "SET b 2", "SET c 3");
        int at = log("SET a 1").length;
        all[at] = 'X';
        AofReader r = new AofReader(new ByteArrayInputStream(all));
        r.next();
        AofFormatException e = assertThrows(AofFormatException.class, r::next);
        assertFalse(e.truncated());
        assertEquals(at, e.offset());
    }

    @Test
    void annotationsAreSkipped() throws Exception {
        byte[] body = log("SET a 1");
        byte[] all = new byte[body.length + 14];
        System.arraycopy("#TS:123456789\n".getBytes(), 0, all, 0, 14);
        System.arraycopy(body, 0, all, 14, body.length);
        AofReader r = new AofReader(new ByteArrayInputStream(all));
        assertEquals(3, r.next().length);
    }

    @Test
    void checkRevertsAnUnfinishedTransactionAndFixTruncates(@TempDir Path dir) throws Exception {
        byte[] good = log("SET a 1");
        byte[] all = log("SET a 1", "MULTI", "SET b 2");
        Path f = dir.resolve("x.aof");
        Files.write(f, all);
        AofCheck.Result r = AofCheck.check(f);
        assertFalse(r.ok());
        assertEquals(good.length, r.goodLength());
        AofCheck.truncate(f, r.goodLength());
        assertTrue(AofCheck.check(f).ok());
    }

    @Test
    void commandsAreReadIntoTheArraysGivenAndARepeatedNameIsShared() throws Exception {
        AofReader r = new AofReader(new ByteArrayInputStream(log("SET a 1", "SET b 2", "DEL a")));
        byte[][] given = new byte[3][];
        r.argumentArrays(n -> n == 3 ? given : new byte[n][]);
        byte[][] first = r.next();
        assertSame(given, first, "the command is read into the array the source gave");
        byte[] name = first[0];
        byte[][] second = r.next();
        assertSame(name, second[0], "the same name as the command before is the same array");
        assertArrayEquals(new byte[][] {"SET".getBytes(), "b".getBytes(), "2".getBytes()}, second);
        byte[][] del = r.next();
        assertNotSame(given, del);
        assertArrayEquals(new byte[][] {"DEL".getBytes(), "a".getBytes()}, del);
        assertNull(r.next());
    }
}
