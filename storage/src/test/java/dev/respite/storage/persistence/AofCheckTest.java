package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AofCheckTest {
    private static final byte[] SET = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n".getBytes(StandardCharsets.US_ASCII);

    private static byte[] rdb() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(out);
        w.writeHeader("redis-ver", "7.2.5", "aof-base", "1");
        w.writeDatabaseSelector(0, 1, 0);
        w.writeEntry("a".getBytes(StandardCharsets.US_ASCII), "b".getBytes(StandardCharsets.US_ASCII), -1);
        w.writeFooter();
        return out.toByteArray();
    }

    @Test
    void anRdbPreambleIsCheckedThenTheCommandsAfterIt(@TempDir Path dir) throws Exception {
        byte[] rdb = rdb();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(rdb);
        file.write(SET);
        Path f = dir.resolve("appendonly.aof");
        Files.write(f, file.toByteArray());
        assertTrue(AofCheck.startsWithRdb(f));
        AofCheck.Result ok = AofCheck.check(f);
        assertTrue(ok.ok(), ok.problem());
        assertEquals(1, ok.commands());

        Files.write(f, java.util.Arrays.copyOf(file.toByteArray(), rdb.length + SET.length - 3));
        AofCheck.Result cut = AofCheck.check(f);
        assertFalse(cut.ok());
        assertEquals(rdb.length, cut.goodLength());
        assertFalse(cut.damagedInMiddle());
    }

    @Test
    void damageInsideTheRdbPartLeavesNothingGood(@TempDir Path dir) throws Exception {
        byte[] rdb = rdb();
        rdb[rdb.length - 1] ^= 1;
        Path f = dir.resolve("appendonly.aof.1.base.rdb");
        Files.write(f, rdb);
        AofCheck.Result r = AofCheck.check(f);
        assertFalse(r.ok());
        assertEquals(0, r.goodLength());
        assertTrue(r.damagedInMiddle());
    }
}
