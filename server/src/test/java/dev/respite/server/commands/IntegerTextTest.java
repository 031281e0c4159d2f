package dev.respite.server.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IntegerTextTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void ofIsTheDecimalText() {
        for (long v : new long[] {0, 5, -5, 10, -10, 999, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            assertArrayEquals(ascii(Long.toString(v)), IntegerText.of(v), "v=" + v);
        }
    }

    @Test
    void joinedIsTheHeadAndTheNumber() {
        for (long v : new long[] {0, 7, 9, 10, 99, 100, 123456789, Long.MAX_VALUE}) {
            assertArrayEquals(ascii("key:" + v), IntegerText.joined(ascii("key:"), v, -1), "v=" + v);
            assertArrayEquals(ascii(Long.toString(v)), IntegerText.joined(new byte[0], v, -1), "v=" + v);
        }
    }

    @Test
    void joinedIsCutOrPaddedToTheLengthAsked() {
        byte[] full = ascii("value:12345");
        for (int length = 0; length <= 16; length++) {
            assertArrayEquals(
                    Arrays.copyOf(full, length),
                    IntegerText.joined(ascii("value:"), 12345, length),
                    "length=" + length);
        }
    }
}
