package dev.respite.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Expected texts are what redis-server 7.0 replied to HINCRBYFLOAT on an absent field with the same operands. */
class NumbersTest {
    private static BigDecimal parse(String s) {
        Numbers.Parsed p = Numbers.parseLongDouble(s.getBytes(StandardCharsets.US_ASCII));
        assertTrue(p.ok(), s);
        return p.value();
    }

    private static String incr(String... operands) {
        BigDecimal sum = BigDecimal.ZERO;
        for (String o : operands) {
            sum = Numbers.add(sum, parse(o));
        }
        return Numbers.formatHuman(sum);
    }

    @Test
    void formatsLikeRedisHumanMode() {
        assertEquals("10.5", incr("10.5"));
        assertEquals("5000", incr("5.0e3"));
        assertEquals("0", incr("1e-20"));
        assertEquals("-0.5", incr("-0.5"));
        assertEquals("0.000015", incr("1.5e-5"));
        assertEquals("0", incr("-1e-300"));
        assertEquals("0.5", incr(".5"));
        assertEquals("5", incr("5."));
        assertEquals("3", incr("+3"));
    }

    @Test
    void keepsLongDoublePrecisionNotDoublePrecision() {
        assertEquals("3.0000000000000001", incr("3.0000000000000001"));
        assertEquals("5000.10000000000000009", incr("5000", "0.1"));
        assertEquals("0.3", incr("0.1", "0.2"));
        assertEquals("1", incr("0.1", "0.2", "0.7"));
        assertEquals("0", incr("0.1", "0.2", "0.7", "-1"));
        assertEquals("123456789012345678899921813504", incr("123456789012345678901234567890"));
    }

    @Test
    void readsHexadecimalFloatsAsStrtoldDoes() {
        assertEquals("16", incr("0x10"));
        assertEquals("0.25", incr("0x1p-2"));
        assertEquals("0.5", incr("0x.8"));
        assertEquals("3", incr("0X1.8P1"));
        assertEquals("-16", incr("-0x10"));
        assertEquals("1", incr("0x1."));
        for (String bad : new String[] {"0x", "0xg", "0x1p", "0x."}) {
            assertFalse(
                    Numbers.parseLongDouble(bad.getBytes(StandardCharsets.US_ASCII))
                            .ok(),
                    bad);
        }
    }

    @Test
    void hugeValuesPrintInFull() {
        String s = incr("1e4000");
        assertEquals(4000, s.length());
        assertTrue(s.startsWith("999999999999999999996546387309962378493249258350695763130150"));
    }

    @Test
    void refusesWhatStrtoldRefuses() {
        for (String bad : new String[] {"", " 1", "1 ", "abc", "1e", "nan", "1e5000", "1e-5000", "1.2.3", "e5", "-"}) {
            Numbers.Parsed p = Numbers.parseLongDouble(bad.getBytes(StandardCharsets.US_ASCII));
            assertFalse(p.ok(), bad);
            assertEquals(Numbers.Refusal.NOT_A_NUMBER, p.refusal(), bad);
        }
        assertEquals(
                Numbers.Refusal.INFINITE,
                Numbers.parseLongDouble("-inf".getBytes(StandardCharsets.US_ASCII))
                        .refusal());
        assertEquals(
                Numbers.Refusal.INFINITE,
                Numbers.parseLongDouble("Infinity".getBytes(StandardCharsets.US_ASCII))
                        .refusal());
    }

    @Test
    void overflowPastLongDoubleRangeIsInfinite() {
        BigDecimal big = parse("1e4932");
        assertNull(Numbers.add(big, big));
    }
}
