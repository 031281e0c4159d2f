package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc64Test {
    @Test
    void matchesRedisKnownVector() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void updatingInPiecesEqualsOneShot() {
        byte[] b = "This is a test of the emergency broadcast system.".getBytes(StandardCharsets.US_ASCII);
        long piecewise = Crc64.update(Crc64.update(0, b, 0, 10), b, 10, b.length - 10);
        assertEquals(Crc64.of(b), piecewise);
    }
}
