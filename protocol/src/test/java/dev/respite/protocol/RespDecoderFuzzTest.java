package dev.respite.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Seeded random input for the decoder: valid frames, mutated frames and noise, fed in random slices.
 * The only exception allowed is ProtocolException; a failure prints the seed that reproduces it.
 */
class RespDecoderFuzzTest {
    private static final int ROUNDS = 3000;

    @Test
    void randomAndMutatedFramesOnlyEverRaiseProtocolErrors() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = input(rnd);
            RespDecoder decoder = new RespDecoder();
            decoder.setAuthenticated(rnd.nextBoolean());
            decoder.setMaxBulkLength(1 + rnd.nextInt(1 << 20));
            int pos = 0;
            try {
                while (pos < input.length) {
                    int n = 1 + rnd.nextInt(Math.min(64, input.length - pos));
                    ByteBuf buf = Unpooled.wrappedBuffer(input, pos, n);
                    decoder.decode(buf, args -> {
                        if (args == null) {
                            fail("null command");
                        }
                        return true;
                    });
                    pos += n;
                }
            } catch (ProtocolException expected) {
                // A protocol error is the decoder's defined answer to bad input.
            } catch (RuntimeException | Error e) {
                throw new AssertionError(
                        "decoder threw " + e + " in round " + round + "; rerun with -Dfuzz.seed=" + seed, e);
            }
        }
    }

    /**
     * Whole requests take a one-pass parse and everything else the state machine: fed one byte per read, a
     * decoder uses only the state machine, so the two must find the same commands and the same error in the
     * same input, whether it arrives in one direct buffer (as from the socket) or in random slices.
     */
    @Test
    void wholeReadsDecodeAsByteByByteReads() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = input(rnd);
            boolean authenticated = rnd.nextBoolean();
            long maxBulk = 1 + rnd.nextInt(64);
            List<String> byByte = decodeInSlices(input, authenticated, maxBulk, left -> 1);
            List<String> whole = decodeInSlices(input, authenticated, maxBulk, left -> left);
            List<String> sliced = decodeInSlices(input, authenticated, maxBulk, left -> 1 + rnd.nextInt(left));
            String where = "round " + round + "; rerun with -Dfuzz.seed=" + seed;
            assertEquals(byByte, whole, where);
            assertEquals(byByte, sliced, where);
        }
    }

    /** Commands (in hex) then the protocol error, if any; {@code slice} gives each read's size from what is left. */
    static List<String> decodeInSlices(byte[] input, boolean authenticated, long maxBulk, IntUnaryOperator slice) {
        RespDecoder decoder = new RespDecoder();
        decoder.setAuthenticated(authenticated);
        decoder.setMaxBulkLength(maxBulk);
        List<String> seen = new ArrayList<>();
        int pos = 0;
        try {
            while (pos < input.length) {
                int n = slice.applyAsInt(input.length - pos);
                ByteBuf buf = Unpooled.directBuffer(n).writeBytes(input, pos, n);
                try {
                    decoder.decode(buf, args -> {
                        StringBuilder sb = new StringBuilder();
                        for (byte[] a : args) {
                            sb.append(HexFormat.of().formatHex(a)).append(' ');
                        }
                        seen.add(sb.toString());
                        return true;
                    });
                } finally {
                    buf.release();
                }
                pos += n;
            }
        } catch (ProtocolException e) {
            seen.add("error: " + e.getMessage());
        }
        return seen;
    }

    private static byte[] input(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + rnd.nextInt(4);
        for (int f = 0; f < frames; f++) {
            out.writeBytes(rnd.nextInt(4) == 0 ? inline(rnd) : multibulk(rnd));
        }
        byte[] b = out.toByteArray();
        switch (rnd.nextInt(4)) {
            case 0 -> {
                for (int i = 0, m = 1 + rnd.nextInt(4); i < m && b.length > 0; i++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> {
                if (b.length > 1) {
                    b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
                }
            }
            case 2 -> {
                b = new byte[rnd.nextInt(512)];
                rnd.nextBytes(b);
            }
            default -> {}
        }
        return b;
    }

    private static byte[] multibulk(Random rnd) {
        int argc = rnd.nextInt(6);
        StringBuilder sb = new StringBuilder("*")
                .append(rnd.nextInt(10) == 0 ? -argc : argc)
                .append("\r\n");
        for (int i = 0; i < argc; i++) {
            int len = rnd.nextInt(20);
            String arg = "x".repeat(len);
            int announced = rnd.nextInt(15) == 0 ? rnd.nextInt() : len;
            sb.append('$').append(announced).append("\r\n").append(arg).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] inline(Random rnd) {
        String[] parts = {"GET", "SET k v", "\"quoted arg\"", "'single'", "\"unbalanced", "PING", "  "};
        return (parts[rnd.nextInt(parts.length)] + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
