package dev.respite.protocol;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
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
