package dev.respite.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BitfieldTest {
    @Test
    void fieldsAreReadMostSignificantBitFirstAcrossBytes() {
        byte[] p = {(byte) 0b1010_0000, (byte) 0b1100_0000};
        assertEquals(0b1010, Bitfield.getUnsigned(p, 0, 4));
        assertEquals(0b0011, Bitfield.getUnsigned(p, 6, 4));
        assertEquals(0b0011, Bitfield.getUnsigned(p, 7, 3));
        assertEquals(-6, Bitfield.getSigned(p, 0, 4));
        assertEquals(0, Bitfield.getUnsigned(p, 16, 8), "bits past the end read as zero");
    }

    @Test
    void setWritesOnlyTheField() {
        byte[] p = new byte[2];
        Bitfield.set(p, 4, 8, 0xff);
        assertEquals(0x0f, p[0] & 0xff);
        assertEquals(0xf0, p[1] & 0xff);
        Bitfield.set(p, 0, 8, -1);
        assertEquals(0xff, p[0] & 0xff);
    }

    @Test
    void signedOverflowPolicies() {
        assertEquals(-56L, Bitfield.addSigned(100, 100, 8, Bitfield.WRAP));
        assertEquals(127L, Bitfield.addSigned(100, 100, 8, Bitfield.SAT));
        assertNull(Bitfield.addSigned(100, 100, 8, Bitfield.FAIL));
        assertEquals(-128L, Bitfield.addSigned(-100, -100, 8, Bitfield.SAT));
        assertEquals(Long.MAX_VALUE, Bitfield.addSigned(Long.MIN_VALUE, -1, 64, Bitfield.WRAP));
        assertEquals(Long.MIN_VALUE, Bitfield.addSigned(Long.MIN_VALUE, -1, 64, Bitfield.SAT));
        assertEquals(5L, Bitfield.addSigned(2, 3, 8, Bitfield.FAIL));
    }

    @Test
    void unsignedOverflowPolicies() {
        assertEquals(0L, Bitfield.addUnsigned(255, 1, 8, Bitfield.WRAP));
        assertEquals(255L, Bitfield.addUnsigned(255, 1, 8, Bitfield.SAT));
        assertEquals(0L, Bitfield.addUnsigned(3, -10, 8, Bitfield.SAT));
        assertNull(Bitfield.addUnsigned(3, -10, 8, Bitfield.FAIL));
        assertEquals(Long.MAX_VALUE, Bitfield.addUnsigned(Long.MAX_VALUE - 1, 5, 63, Bitfield.SAT));
        assertEquals(15L, Bitfield.addUnsigned(-1, 0, 4, Bitfield.WRAP), "SET of -1 into u4 wraps to 15");
    }
}
