package dev.respite.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeySlotTest {
    private static int slot(String key) {
        return KeySlot.of(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void crc16IsXmodem() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, KeySlot.crc16(check, 0, check.length));
        assertEquals(0, KeySlot.crc16(new byte[0], 0, 0));
    }

    @Test
    void slotsOfPlainKeysMatchRedis() {
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(866, slot("hello"));
        assertEquals(0, slot(""));
        assertEquals(15495, slot("a"));
    }

    @Test
    void hashTagsFollowRedisRules() {
        // Values from Redis 7.2.5's CLUSTER KEYSLOT: the first '{' and the first '}' after it delimit the tag;
        // an empty or unterminated tag hashes the whole key.
        assertEquals(3443, slot("user1000"));
        assertEquals(3443, slot("{user1000}.following"));
        assertEquals(3443, slot("{user1000}.followers"));
        assertEquals(5061, slot("foo{bar}{zap}"));
        assertEquals(10276, slot("{a"));
        assertEquals(10276, slot("{{a}}"));
        assertEquals(15495, slot("{a}}"));
        assertEquals(15033, slot("a{}{b}"));
        assertEquals(15257, slot("{}"));
        assertEquals(10875, slot("{}a"));
        assertEquals(16287, slot("a{x}b{y}c"));
    }

    @Test
    void binaryKeysHashEveryByte() {
        byte[] key = {(byte) 0xff, 0, '{', (byte) 0x80, '}'};
        assertEquals(KeySlot.crc16(new byte[] {(byte) 0x80}, 0, 1) & 0x3FFF, KeySlot.of(key));
        byte[] noTag = {(byte) 0xff, 0, 1};
        assertEquals(KeySlot.crc16(noTag, 0, 3) & 0x3FFF, KeySlot.of(noTag));
    }
}
