package dev.respite.server.commands;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongDoubleTest {
    private static BigDecimal parse(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String sum(String a, String b) {
        return LongDouble.format(LongDouble.add(parse(a), parse(b)));
    }

    @Test
    void shortDecimalsPrintAsTypedBecauseOf64BitSignificands() {
        assertEquals("10.6", sum("10.5", "0.1"));
        assertEquals("0.3", sum("0.1", "0.2"));
        assertEquals("5010.5", sum("10.5", "5.0e3"));
        assertEquals("3", sum("1.5", "1.5"));
    }

    @Test
    void largeValuesShowTheLongDoubleRoundingRedisShows() {
        // 1e300 is not exact in 64 bits; %.17Lf prints the binary value's full expansion.
        String big = LongDouble.format(parse("1e300"));
        assertTrue(big.startsWith("1000000000000000000"), big);
        assertFalse(big.contains("."), big);
    }

    @Test
    void negativeZeroPrintsAsZero() {
        assertEquals("0", LongDouble.format(parse("-0.0")));
    }

    @Test
    void refusesWhatStrtoldWouldNotFullyRead() {
        assertNull(parse(""));
        assertNull(parse(" 1"));
        assertNull(parse("1 "));
        assertNull(parse("1e"));
        assertNull(parse("nan"));
        assertNull(parse("0x10"));
        assertNull(parse("1e99999"));
        assertTrue(LongDouble.isInfinity("-Infinity".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void roundsHalfToEvenAt64Bits() {
        BigDecimal twoTo64 = new BigDecimal(2).pow(64);
        assertEquals(twoTo64, LongDouble.round(twoTo64.add(BigDecimal.ONE)));
        assertEquals(twoTo64.add(new BigDecimal(4)), LongDouble.round(twoTo64.add(new BigDecimal(3))));
    }
}
