package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DoublesTest {
    private static double parse(String s) {
        return Doubles.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void assertRejected(String s) {
        assertTrue(Double.isNaN(parse(s)), () -> "should reject [" + s + "]");
    }

    /** Expected strings were taken from ZSCORE replies of redis-server 7.2.5. */
    @Test
    void formatsLikeRedis() {
        String[][] cases = {
            {"1", "1"},
            {"1.5", "1.5"},
            {"3.0", "3"},
            {"1e20", "1e+20"},
            {"1.5e-7", "1.5e-7"},
            {"0.1", "0.1"},
            {"0.3", "0.3"},
            {"1e17", "100000000000000000"},
            {"1e16", "10000000000000000"},
            {"123456789012345678", "123456789012345680"},
            {"1e-5", "0.00001"},
            {"1e-4", "0.0001"},
            {"1e15", "1000000000000000"},
            {"1e21", "1e+21"},
            {"2.5e-300", "2.5e-300"},
            {"5e-324", "5e-324"},
            {"1.7976931348623157e308", "1.7976931348623157e+308"},
            {"1e-310", "1e-310"},
            {"12345678.9", "12345678.9"},
            {"0", "0"},
            {"-2.5", "-2.5"},
            {"4e18", "4000000000000000000"},
            {"9223372036854775807", "9223372036854776000"},
            {"4611686018427387904", "4611686018427387904"},
            {"4611686018427388928", "4611686018427389000"},
            {"2.82879384806159E17", "282879384806159008"},
            {"0.30000000000000004", "0.30000000000000004"},
            {"1e-7", "1e-7"},
            {"123e-9", "1.23e-7"},
            {"0.000001", "0.000001"},
            {"1234567.125e-10", "1.234567125e-4"},
            {"1.1", "1.1"},
            // Grisu2's digits, which are not the shortest (or not the nearest) here: Redis writes these.
            {"-8.339840063750242E14", "-833984006375024.3"},
            {"1.915347514102453E-259", "1.9153475141024531e-259"},
            {"-4.43016296408864E226", "-4.4301629640886397e+226"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], Doubles.format(Double.parseDouble(c[0])), c[0]);
        }
        assertEquals("0.30000000000000004", Doubles.format(0.1 + 0.2));
        assertEquals("-0", Doubles.format(-0.0));
        assertEquals("inf", Doubles.format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Doubles.format(Double.NEGATIVE_INFINITY));
        assertEquals("-1e+20", new String(Doubles.formatBytes(-1e20), StandardCharsets.ISO_8859_1));
    }

    @Test
    void parsesWhatStrtodAccepts() {
        assertEquals(1, parse("1"));
        assertEquals(1000, parse("1e3"));
        assertEquals(1000, parse("1e+3"));
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.POSITIVE_INFINITY, parse("+inf"));
        assertEquals(Double.POSITIVE_INFINITY, parse("Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-INF"));
        assertEquals(16, parse("0x10"));
        assertEquals(8, parse("0x1p3"));
        assertEquals(0.25, parse("0X1P-2"));
        assertEquals(0.5, parse("0x.8"));
        assertEquals(0.5, parse(".5"));
        assertEquals(5, parse("5."));
        assertEquals(-5, parse("-.5e1"));
        assertEquals(12, parse("00012"));
        assertEquals(1e-310, parse("1e-310"));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(parse("-0")));
    }

    @Test
    void rejectsWhatRedisRejects() {
        for (String s : new String[] {
            "",
            " 1",
            "1 ",
            "nan",
            "-nan",
            "NaN",
            "1e400",
            "-1e400",
            "1e-400",
            "1e",
            "e1",
            ".",
            "0x",
            "0x1p",
            "infinityx",
            "1,5",
            "1d",
            "1f",
            "abc",
            "+",
            "-",
            "++1",
            "1e3.5"
        }) {
            assertRejected(s);
        }
    }

    @Test
    void rangeValuesAreLenient() {
        byte[] text = "( 1e400".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Double.POSITIVE_INFINITY, Doubles.parseRangeValue(text, 1, text.length - 1));
        byte[] tiny = "1e-400".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(0.0, Doubles.parseRangeValue(tiny, 0, tiny.length));
        byte[] bad = "1x".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(Double.isNaN(Doubles.parseRangeValue(bad, 0, bad.length)));
        byte[] part = "xx2.5yy".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(2.5, Doubles.parse(part, 2, 3));
    }

    @Test
    void formatRoundTripsThroughParse() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            String text = Doubles.format(d);
            assertEquals(d, parse(text), text);
        }
    }
}
