package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Bitmap commands, compared byte for byte with a real redis-server. */
class BitCommandsTest extends DifferentialSuite {

    @Test
    void setbitAndGetbit() throws IOException {
        check(
                "SETBIT k 7 1",
                "GET k",
                "SETBIT k 7 0",
                "SETBIT k 100 1",
                "STRLEN k",
                "GETBIT k 100",
                "GETBIT k 99",
                "GETBIT k 100000",
                "GETBIT nope 0",
                "SETBIT k -1 1",
                "SETBIT k x 1",
                "SETBIT k 1 2",
                "SETBIT k 1 -1",
                "SETBIT k 1 x",
                "SETBIT k 4294967296 1",
                "GETBIT k 4294967296",
                "GETBIT k -1",
                "SETBIT z 0 0",
                "GET z",
                "SET s 12",
                "SETBIT s 0 1",
                "GET s");
    }

    @Test
    void bitcountWithByteAndBitRanges() throws IOException {
        check(
                "SET k foobar",
                "BITCOUNT k",
                "BITCOUNT k 0 0",
                "BITCOUNT k 1 1",
                "BITCOUNT k 1 1 BYTE",
                "BITCOUNT k 5 30 BIT",
                "BITCOUNT k -1 -1",
                "BITCOUNT k -2 -1 BIT",
                "BITCOUNT k -1 -2",
                "BITCOUNT k 0 100",
                "BITCOUNT k -100 -50",
                "BITCOUNT k 0",
                "BITCOUNT k 0 1 FOO",
                "BITCOUNT k a 1",
                "BITCOUNT nope",
                "BITCOUNT nope 0 1",
                "BITCOUNT k 0 1 bit",
                "BITCOUNT k 7 8 BIT",
                "BITCOUNT k 0 47 BIT",
                "BITCOUNT k 3 3 BIT",
                "SET e \"\"",
                "BITCOUNT e",
                "BITCOUNT e 0 -1 BIT");
    }

    @Test
    void bitposFindsSetAndClearBits() throws IOException {
        check(
                "SET k \\xff\\xf0\\x00",
                "BITPOS k 0",
                "BITPOS k 1",
                "BITPOS nope 0",
                "BITPOS nope 1",
                "BITPOS k 2",
                "BITPOS k x");
        d.check("SET", "k", "\u00ff\u00f0");
        check(
                "SETRANGE b 0 ab",
                "BITPOS b 1",
                "BITPOS b 0",
                "BITPOS b 1 1",
                "BITPOS b 0 1 -1",
                "BITPOS b 1 0 -1 BIT",
                "BITPOS b 1 2 -1 BIT",
                "BITPOS b 0 1 1 BIT",
                "BITPOS b 1 7 15 BIT",
                "BITPOS b 0 3 5 BIT",
                "BITPOS b 1 5 1",
                "BITPOS b 1 0 1 FOO",
                "BITPOS b 0 0 1 2 3",
                "BITPOS b 1 -1",
                "BITPOS b 1 -100 100",
                "BITPOS b 0 2");
        check(
                "SETBIT f 0 1",
                "SETBIT f 1 1",
                "SETBIT f 2 1",
                "SETBIT f 3 1",
                "SETBIT f 4 1",
                "SETBIT f 5 1",
                "SETBIT f 6 1",
                "SETBIT f 7 1",
                "BITPOS f 0",
                "BITPOS f 0 0",
                "BITPOS f 0 0 0",
                "BITPOS f 0 0 -1 BIT",
                "BITPOS f 1 0 -1 BIT",
                "BITPOS f 0 8 -1 BIT");
    }

    @Test
    void bitposAgreesOnRandomRanges() throws IOException {
        Random rnd = new Random(7);
        for (int round = 0; round < 20; round++) {
            StringBuilder v = new StringBuilder();
            int len = 1 + rnd.nextInt(6);
            for (int i = 0; i < len; i++) {
                v.append((char) (rnd.nextBoolean() ? 0xff : rnd.nextBoolean() ? 0 : rnd.nextInt(256)));
            }
            d.check("SET", "r", v.toString());
            for (int q = 0; q < 15; q++) {
                String bit = Integer.toString(rnd.nextInt(2));
                String s = Integer.toString(rnd.nextInt(len * 16) - len * 8);
                String e = Integer.toString(rnd.nextInt(len * 16) - len * 8);
                d.check("BITPOS", "r", bit, s, e, rnd.nextBoolean() ? "BIT" : "BYTE");
                d.check("BITPOS", "r", bit, s, e);
                d.check("BITPOS", "r", bit, s);
                d.check("BITCOUNT", "r", s, e, rnd.nextBoolean() ? "BIT" : "BYTE");
            }
        }
    }

    @Test
    void bitopCombinesStrings() throws IOException {
        check(
                "SET a foobar",
                "SET b abcdef",
                "BITOP AND d a b",
                "GET d",
                "BITOP OR d a b",
                "GET d",
                "BITOP XOR d a b",
                "GET d",
                "BITOP NOT d a",
                "GET d",
                "SET c x",
                "BITOP AND d a c",
                "GET d",
                "BITOP OR d a nope",
                "GET d",
                "BITOP AND d nope nope2",
                "EXISTS d",
                "BITOP NOT d a b",
                "BITOP FOO d a",
                "BITOP AND d",
                "BITOP or d a",
                "OBJECT ENCODING d");
    }

    @Test
    void bitfieldGetSetIncrbyWithOverflowPolicies() throws IOException {
        check(
                "BITFIELD k SET i8 0 100 GET i8 0",
                "BITFIELD k INCRBY i8 0 100",
                "BITFIELD k OVERFLOW SAT INCRBY i8 0 100",
                "BITFIELD k OVERFLOW FAIL INCRBY i8 0 100",
                "BITFIELD k OVERFLOW WRAP INCRBY i8 0 -300",
                "BITFIELD k GET u4 0 GET u4 4",
                "BITFIELD k SET u8 #1 255 GET u8 #1",
                "BITFIELD k INCRBY u2 100 1 OVERFLOW SAT INCRBY u2 102 1",
                "BITFIELD k OVERFLOW SAT INCRBY u8 8 -300",
                "BITFIELD k OVERFLOW FAIL SET u4 0 16",
                "BITFIELD k OVERFLOW SAT SET u4 0 16",
                "BITFIELD k OVERFLOW SAT SET i4 0 -100",
                "BITFIELD k OVERFLOW FAIL SET i4 0 -100",
                "BITFIELD k SET i4 0 -100",
                "BITFIELD k SET i64 0 -9223372036854775808",
                "BITFIELD k GET i64 0",
                "BITFIELD k INCRBY i64 0 -1",
                "BITFIELD k OVERFLOW SAT INCRBY i64 0 -1",
                "BITFIELD k OVERFLOW FAIL INCRBY i64 0 -1",
                "BITFIELD k SET u63 0 9223372036854775807",
                "BITFIELD k GET u63 0",
                "BITFIELD k INCRBY u63 0 1",
                "BITFIELD k OVERFLOW SAT INCRBY u63 0 5",
                "BITFIELD k GET u63 1 GET i63 1",
                "BITFIELD k SET u1 5 1 GET u1 5 GET i1 5",
                "BITFIELD k GET i8 100000",
                "BITFIELD nope GET u8 0",
                "EXISTS nope",
                "BITFIELD k",
                "GET k",
                "BITFIELD k GET u64 0",
                "BITFIELD k GET i65 0",
                "BITFIELD k GET x8 0",
                "BITFIELD k GET i0 0",
                "BITFIELD k GET i8 -1",
                "BITFIELD k GET i8 #-1",
                "BITFIELD k GET i8 x",
                "BITFIELD k SET i8 0 x",
                "BITFIELD k OVERFLOW FOO",
                "BITFIELD k GET i8",
                "BITFIELD k FOO",
                "BITFIELD k SET i8 4294967296 1");
    }

    @Test
    void bitfieldAgreesOnRandomOperations() throws IOException {
        Random rnd = new Random(11);
        String[] policies = {"WRAP", "SAT", "FAIL"};
        for (int i = 0; i < 400; i++) {
            boolean signed = rnd.nextBoolean();
            int bits = 1 + rnd.nextInt(signed ? 64 : 63);
            String type = (signed ? "i" : "u") + bits;
            String offset = Integer.toString(rnd.nextInt(80));
            long value = switch (rnd.nextInt(3)) {
                case 0 -> rnd.nextInt(20) - 10;
                case 1 -> rnd.nextLong();
                default -> (rnd.nextBoolean() ? 1 : -1) * (1L << rnd.nextInt(64));
            };
            String op = switch (rnd.nextInt(3)) {
                case 0 -> "GET";
                case 1 -> "SET";
                default -> "INCRBY";
            };
            if (op.equals("GET")) {
                d.check("BITFIELD", "f", "GET", type, offset);
            } else {
                d.check("BITFIELD", "f", "OVERFLOW", policies[rnd.nextInt(3)], op, type, offset, Long.toString(value));
            }
        }
        d.check("GET", "f");
    }

    @Test
    void bitfieldRoOnlyReads() throws IOException {
        check(
                "SET k abc",
                "BITFIELD_RO k GET u8 0 GET i4 4",
                "BITFIELD_RO k SET u8 0 1",
                "BITFIELD_RO k INCRBY u8 0 1",
                "BITFIELD_RO k OVERFLOW SAT GET u8 0",
                "BITFIELD_RO nope GET u8 0",
                "BITFIELD_RO k",
                "BITFIELD_RO k GET u64 0");
    }

    @Test
    void jedisSeesBitmaps() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.setbit("b", 10, true);
            assertEquals(true, j.getbit("b", 10));
            assertEquals(1, j.bitcount("b"));
            assertEquals(10, j.bitpos("b", true));
            assertEquals(List.of(0L, 1L), j.bitfield("c", "SET", "u8", "0", "1", "GET", "u8", "0"));
        }
    }
}
