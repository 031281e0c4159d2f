package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.storage.Keyspace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Damaged or unsupported files stop the load with a message that says what and where. */
class DamagedFileTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sampleFile() throws IOException {
        Keyspace ks = new Keyspace(16);
        for (int i = 0; i < 100; i++) {
            ks.db(0).add(b("key:" + i), b("value:" + i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotFile.writeAll(ks, new RdbWriter(out), "7.2.5");
        return out.toByteArray();
    }

    private static RdbFormatException loadFails(byte[] file) {
        return assertThrows(
                RdbFormatException.class,
                () -> SnapshotFile.load(
                        new ByteArrayInputStream(file), file.length, new Keyspace(16), (k, r, t) -> {}));
    }

    @Test
    void truncatedFileNamesTheOffsetWhereDataEnds() throws IOException {
        byte[] file = sampleFile();
        RdbFormatException e = loadFails(Arrays.copyOf(file, file.length - 30));
        assertTrue(e.getMessage().contains("end of"), e.getMessage());
        assertTrue(e.offset() <= file.length - 30, e.getMessage());
    }

    @Test
    void flippedByteInAValueFailsTheChecksum() throws IOException {
        byte[] file = sampleFile();
        int at = file.length / 2;
        file[at] ^= 0x01;
        RdbFormatException e = loadFails(file);
        assertTrue(e.getMessage().contains("checksum") || e.getMessage().contains("at offset"), e.getMessage());
    }

    @Test
    void flippedByteInAValueTextIsCaughtByTheChecksumAtTheFooter() throws IOException {
        byte[] file = sampleFile();
        int at = new String(file, StandardCharsets.ISO_8859_1).indexOf("value:50") + 6;
        file[at] = 'X';
        RdbFormatException e = loadFails(file);
        assertTrue(e.getMessage().startsWith("RDB CRC error"), e.getMessage());
        assertEquals(file.length - 8, e.offset());
    }

    @Test
    void zeroChecksumMeansChecksumsWereDisabled() throws IOException {
        byte[] file = sampleFile();
        Arrays.fill(file, file.length - 8, file.length, (byte) 0);
        SnapshotFile.LoadResult r =
                SnapshotFile.load(new ByteArrayInputStream(file), file.length, new Keyspace(16), (k, x, t) -> {});
        assertEquals(100, r.keys());
    }

    @Test
    void moduleValueIsRefusedNamingTypeAndKey() throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(b("REDIS0011"));
        f.write(0xFE);
        f.write(0);
        f.write(7);
        f.write(6);
        f.writeBytes(b("events"));
        f.writeBytes(new byte[20]);
        RdbFormatException e = loadFails(f.toByteArray());
        assertTrue(e.getMessage().contains("type 7 (module-2)"), e.getMessage());
        assertTrue(e.getMessage().contains("'events'"), e.getMessage());
        assertEquals(11, e.offset());
    }

    @Test
    void newerVersionIsRefused() {
        RdbFormatException e = loadFails(b("REDIS0012\u00ff"));
        assertTrue(e.getMessage().contains("version 12"), e.getMessage());
    }

    @Test
    void notAnRdbFile() {
        RdbFormatException e = loadFails(b("HELLO WORLD"));
        assertTrue(e.getMessage().contains("Not an RDB file"), e.getMessage());
    }

    @Test
    void aRepeatedSetMemberIsRefusedOnlyByTheDeepCheck() throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(b("REDIS0011"));
        f.write(RdbFormat.TYPE_SET_LISTPACK);
        f.write(1);
        f.write('s');
        byte[] lp = {13, 0, 0, 0, 2, 0, (byte) 0x81, 'a', 2, (byte) 0x81, 'a', 2, (byte) 0xff};
        f.write(lp.length);
        f.writeBytes(lp);
        f.write(0xff);
        // A zero checksum is a file written with rdbchecksum no: not verified.
        f.writeBytes(new byte[8]);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("repeated", ".rdb");
        try {
            java.nio.file.Files.write(file, f.toByteArray());
            Keyspace shallow = new Keyspace(16);
            SnapshotFile.load(file, shallow, (k, r, t) -> {}, (n, v) -> {}, (db, k) -> {}, false, false);
            assertEquals(1, shallow.db(0).size());
            RdbFormatException e = assertThrows(
                    RdbFormatException.class,
                    () -> SnapshotFile.load(
                            file, new Keyspace(16), (k, r, t) -> {}, (n, v) -> {}, (db, k) -> {}, false, true));
            assertTrue(e.getMessage().contains("Set listpack integrity check failed"), e.getMessage());
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
