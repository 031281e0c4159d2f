package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.respite.storage.types.EncodingLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact encodings older and newer Redis versions write, built byte by byte from the format description. */
class CompactEncodingsTest {
    private static List<String> text(List<byte[]> entries) {
        return entries.stream()
                .map(e -> new String(e, StandardCharsets.ISO_8859_1))
                .toList();
    }

    @Test
    void ziplistWithStringsAndEveryIntegerWidth() {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.writeBytes(new byte[10]);
        z.writeBytes(new byte[] {0, 0x02, 'h', 'i'});
        z.writeBytes(new byte[] {4, (byte) 0xf1 + 4});
        z.writeBytes(new byte[] {2, (byte) 0xfe, (byte) -7});
        z.writeBytes(new byte[] {3, (byte) 0xc0, (byte) 0x10, (byte) 0x27});
        z.writeBytes(new byte[] {4, (byte) 0xf0, 1, 0, (byte) 0x80});
        z.writeBytes(new byte[] {5, (byte) 0xd0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f});
        int tail = z.size();
        z.writeBytes(new byte[] {6, (byte) 0xe0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80});
        z.write(0xff);
        byte[] ziplist = z.toByteArray();
        header(ziplist, 0, ziplist.length, 4);
        header(ziplist, 4, tail, 4);
        header(ziplist, 8, 7, 2);
        assertEquals(
                List.of("hi", "4", "-7", "10000", "-8388607", "2147483647", "-9223372036854775808"),
                text(ZiplistReader.entries(ziplist)));
    }

    @Test
    void listpackWithStringsAndIntegers() {
        ByteArrayOutputStream lp = new ByteArrayOutputStream();
        lp.writeBytes(new byte[6]);
        lp.writeBytes(new byte[] {0x05, 1});
        lp.writeBytes(new byte[] {(byte) 0x83, 'a', 'b', 'c', 4});
        lp.writeBytes(new byte[] {(byte) 0xdf, (byte) 0xff, 2});
        lp.writeBytes(new byte[] {(byte) 0xf1, (byte) 0x10, (byte) 0x27, 3});
        byte[] longString = "y".repeat(100).getBytes(StandardCharsets.US_ASCII);
        lp.writeBytes(new byte[] {(byte) 0xe0, 100});
        lp.writeBytes(longString);
        lp.write(102);
        lp.write(0xff);
        byte[] listpack = lp.toByteArray();
        header(listpack, 0, listpack.length, 4);
        header(listpack, 4, 5, 2);
        assertEquals(List.of("5", "abc", "-1", "10000", "y".repeat(100)), text(ListpackReader.entries(listpack, true)));
    }

    @Test
    void aDeepCheckHoldsTheListpackCountAndBackLengths() {
        byte[] wrongCount = {10, 0, 0, 0, 3, 0, (byte) 0x81, 'a', 2, (byte) 0xff};
        assertEquals(List.of("a"), text(ListpackReader.entries(wrongCount, false)));
        assertThrows(IllegalArgumentException.class, () -> ListpackReader.entries(wrongCount, true));
        byte[] wrongBackLength = {10, 0, 0, 0, 1, 0, (byte) 0x81, 'a', 5, (byte) 0xff};
        assertEquals(List.of("a"), text(ListpackReader.entries(wrongBackLength, false)));
        assertThrows(IllegalArgumentException.class, () -> ListpackReader.entries(wrongBackLength, true));
        byte[] trailingTerminator = {11, 0, 0, 0, 1, 0, (byte) 0x81, 'a', 2, (byte) 0xff, (byte) 0xff};
        assertThrows(IllegalArgumentException.class, () -> ListpackReader.entries(trailingTerminator, false));
    }

    @Test
    void aZiplistIsAlwaysCheckedEntryByEntry() {
        byte[] good = {15, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 2, 'h', 'i', (byte) 0xff};
        assertEquals(List.of("hi"), text(ZiplistReader.entries(good)));
        byte[] wrongPrevious = good.clone();
        wrongPrevious[10] = 3;
        assertThrows(IllegalArgumentException.class, () -> ZiplistReader.entries(wrongPrevious));
        byte[] wrongCount = good.clone();
        wrongCount[8] = 2;
        assertThrows(IllegalArgumentException.class, () -> ZiplistReader.entries(wrongCount));
        byte[] wrongTail = good.clone();
        wrongTail[4] = 11;
        assertThrows(IllegalArgumentException.class, () -> ZiplistReader.entries(wrongTail));
        byte[] wrongSize = good.clone();
        wrongSize[0] = 16;
        assertThrows(IllegalArgumentException.class, () -> ZiplistReader.entries(wrongSize));
    }

    @Test
    void aDeepCheckHoldsIntsetsToAscendingOrder() {
        byte[] unordered = {2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 3, 0};
        assertEquals(List.of("5", "3"), text(IntsetReader.members(unordered, false)));
        assertThrows(IllegalArgumentException.class, () -> IntsetReader.members(unordered, true));
    }

    @Test
    void anEmptyZipmapOrOneWithAWrongCountIsDamaged() {
        assertThrows(IllegalArgumentException.class, () -> ZipmapReader.fieldsAndValues(new byte[] {0, (byte) 0xff}));
        byte[] wrongCount = {2, 1, 'f', 1, 0, 'v', (byte) 0xff};
        assertThrows(IllegalArgumentException.class, () -> ZipmapReader.fieldsAndValues(wrongCount));
    }

    private static void header(byte[] b, int at, int value, int size) {
        for (int i = 0; i < size; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }

    @Test
    void intsetOfSixteenBitMembers() {
        byte[] s = {2, 0, 0, 0, 3, 0, 0, 0, (byte) 0xfe, (byte) 0xff, 1, 0, 0, 1};
        assertEquals(List.of("-2", "1", "256"), text(IntsetReader.members(s, true)));
    }

    @Test
    void zipmapWithFreeBytes() {
        byte[] z = {2, 3, 'f', 'o', 'o', 3, 2, 'b', 'a', 'r', 0, 0, 1, 'x', 1, 0, 'y', (byte) 0xff};
        assertEquals(List.of("foo", "bar", "x", "y"), text(ZipmapReader.fieldsAndValues(z)));
    }

    @Test
    void truncatedCompactValuesAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ListpackReader.entries(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0x83, 'a', (byte) 0xff}, true));
        assertThrows(
                IllegalArgumentException.class, () -> IntsetReader.members(new byte[] {2, 0, 0, 0, 9, 0, 0, 0}, true));
    }

    @Test
    void setListpackPayloadOfRedis72Loads() throws Exception {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(RdbFormat.TYPE_SET_LISTPACK);
        byte[] lp = {12, 0, 0, 0, 2, 0, (byte) 0x81, 'a', 2, 0x07, 1, (byte) 0xff};
        p.write(lp.length);
        p.writeBytes(lp);
        p.writeBytes(new byte[] {11, 0});
        byte[] body = p.toByteArray();
        long crc = Crc64.of(body);
        for (int i = 0; i < 8; i++) {
            p.write((int) (crc >>> (8 * i)));
        }
        byte[] payload = p.toByteArray();
        Object set = DumpPayload.deserialize(payload, new EncodingLimits(), true);
        assertEquals("set:[7, a]", RdbRoundTripTest.contents(set));
    }
}
