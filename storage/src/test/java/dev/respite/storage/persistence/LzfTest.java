package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LzfTest {
    @Test
    void repetitiveDataCompressesAndRoundTrips() {
        byte[] in = "abcabcabcabcabcabcabcabcabcabc-hello-hello-hello-hello"
                .repeat(50)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] packed = Lzf.compress(in);
        assertNotNull(packed);
        assertTrue(packed.length < in.length / 5);
        assertArrayEquals(in, Lzf.decompress(packed, in.length));
    }

    @Test
    void longRunsUseExtendedMatchLengths() {
        byte[] in = new byte[100_000];
        byte[] packed = Lzf.compress(in);
        assertNotNull(packed);
        assertArrayEquals(in, Lzf.decompress(packed, in.length));
    }

    @Test
    void randomDataIsLeftUncompressed() {
        byte[] in = new byte[4096];
        new SplittableRandom(7).nextBytes(in);
        assertNull(Lzf.compress(in));
    }

    @Test
    void mixedDataRoundTripsAtManySizes() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int size = 21; size < 20_000; size = size * 3 / 2) {
            byte[] in = new byte[size];
            for (int i = 0; i < size; i++) {
                in[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 'a' + rnd.nextInt(3));
            }
            byte[] packed = Lzf.compress(in);
            // Three letters in four bytes repeat enough to pay for LZF's headers once there are a few hundred.
            if (size >= 300) {
                assertNotNull(packed, "size " + size);
            }
            if (packed != null) {
                assertTrue(packed.length < size, "size " + size);
                assertArrayEquals(in, Lzf.decompress(packed, in.length), "size " + size);
            }
        }
    }

    @Test
    void backReferenceBeforeTheStartIsRejected() {
        byte[] bad = {(byte) 0x20, 0x05};
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(bad, 3));
    }

    @Test
    void wrongDecompressedLengthIsRejected() {
        byte[] in = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        byte[] packed = Lzf.compress(in);
        assertNotNull(packed);
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(packed, in.length + 1));
    }
}
