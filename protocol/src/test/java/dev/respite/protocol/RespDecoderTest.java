package dev.respite.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RespDecoderTest {
    private static final String BATCH = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"
            + "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"
            + "PING\r\n"
            + "*1\r\n$0\r\n\r\n"
            + "set \"a b\" 'c d'\n"
            + "*0\r\n"
            + "*2\r\n$4\r\nECHO\r\n$13\r\nbin\r\nary\0data\r\n";

    private static final List<List<String>> EXPECTED = List.of(
            List.of("SET", "key", "value"),
            List.of("GET", "key"),
            List.of("PING"),
            List.of(""),
            List.of("set", "a b", "c d"),
            List.of("ECHO", "bin\r\nary\0data"));

    private static List<List<String>> decode(RespDecoder d, byte[]... fragments) throws ProtocolException {
        List<List<String>> out = new ArrayList<>();
        for (byte[] f : fragments) {
            ByteBuf buf = Unpooled.wrappedBuffer(f);
            d.decode(buf, args -> out.add(strings(args)));
            assertEquals(0, buf.readableBytes(), "decoder consumes every byte");
        }
        return out;
    }

    private static List<String> strings(byte[][] args) {
        List<String> cmd = new ArrayList<>();
        for (byte[] a : args) {
            cmd.add(new String(a, StandardCharsets.ISO_8859_1));
        }
        return cmd;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A sink that stops after each command gets the batch one command per call, the rest left unread. */
    @Test
    void stopsAfterACommandWhenAskedAndResumesWhereItStopped() throws ProtocolException {
        for (int cut = 0; cut <= BATCH.length(); cut++) {
            RespDecoder d = new RespDecoder();
            List<List<String>> out = new ArrayList<>();
            for (ByteBuf buf : new ByteBuf[] {
                Unpooled.wrappedBuffer(bytes(BATCH.substring(0, cut))),
                Unpooled.wrappedBuffer(bytes(BATCH.substring(cut)))
            }) {
                while (buf.isReadable()) {
                    int before = out.size();
                    d.decode(buf, args -> {
                        out.add(strings(args));
                        return false;
                    });
                    assertTrue(out.size() - before <= 1, "at most one command per call, split at " + cut);
                }
            }
            assertEquals(EXPECTED, out, "split at " + cut);
        }
    }

    @Test
    void decodesAPipelinedBatchInOneRead() throws ProtocolException {
        assertEquals(EXPECTED, decode(new RespDecoder(), bytes(BATCH)));
    }

    @Test
    void decodesTheBatchSplitAtEveryPossiblePoint() throws ProtocolException {
        byte[] all = bytes(BATCH);
        for (int cut = 0; cut <= all.length; cut++) {
            byte[] a = java.util.Arrays.copyOfRange(all, 0, cut);
            byte[] b = java.util.Arrays.copyOfRange(all, cut, all.length);
            assertEquals(EXPECTED, decode(new RespDecoder(), a, b), "split at " + cut);
        }
    }

    @Test
    void decodesTheBatchSplitAtEveryPairOfPoints() throws ProtocolException {
        byte[] all = bytes(BATCH);
        for (int i = 0; i <= all.length; i++) {
            for (int j = i; j <= all.length; j++) {
                byte[] a = java.util.Arrays.copyOfRange(all, 0, i);
                byte[] b = java.util.Arrays.copyOfRange(all, i, j);
                byte[] c = java.util.Arrays.copyOfRange(all, j, all.length);
                assertEquals(EXPECTED, decode(new RespDecoder(), a, b, c), "split at " + i + "," + j);
            }
        }
    }

    @Test
    void decodesTheBatchOneByteAtATime() throws ProtocolException {
        byte[] all = bytes(BATCH);
        byte[][] single = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            single[i] = new byte[] {all[i]};
        }
        assertEquals(EXPECTED, decode(new RespDecoder(), single));
    }

    @Test
    void largeBulkArrivingInPiecesIsAssembledExactly() throws ProtocolException {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        rnd.nextBytes(payload);
        byte[] header = bytes("*2\r\n$3\r\nSET\r\n$" + payload.length + "\r\n");
        byte[] all = new byte[header.length + payload.length + 2];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(payload, 0, all, header.length, payload.length);
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        RespDecoder d = new RespDecoder();
        List<byte[][]> got = new ArrayList<>();
        int pos = 0;
        while (pos < all.length) {
            int n = Math.min(all.length - pos, 1 + rnd.nextInt(70_000));
            ByteBuf buf = Unpooled.wrappedBuffer(all, pos, n);
            d.decode(buf, got::add);
            pos += n;
        }
        assertEquals(1, got.size(), "seed " + seed);
        assertTrue(java.util.Arrays.equals(payload, got.get(0)[1]), "seed " + seed);
    }

    @Test
    void announcedHugeBulkIsNotAllocatedUpFront() throws ProtocolException {
        RespDecoder d = new RespDecoder();
        decode(d, bytes("*2\r\n$3\r\nSET\r\n$500000000\r\nabc"));
        assertTrue(d.pendingBytes() < 1024, "only what arrived is held");
    }

    private static String error(String input) {
        return error(new RespDecoder(), input);
    }

    private static String error(RespDecoder d, String input) {
        return assertThrows(ProtocolException.class, () -> decode(d, bytes(input)))
                .getMessage();
    }

    @Test
    void protocolErrorsUseRedisTexts() {
        assertEquals("Protocol error: invalid multibulk length", error("*abc\r\n"));
        assertEquals("Protocol error: invalid multibulk length", error("*03\r\n"));
        assertEquals("Protocol error: invalid multibulk length", error("*3000000000\r\n"));
        assertEquals("Protocol error: invalid bulk length", error("*1\r\n$-5\r\n"));
        assertEquals("Protocol error: invalid bulk length", error("*1\r\n$x\r\n"));
        assertEquals("Protocol error: invalid bulk length", error("*1\r\n$600000000\r\n"));
        assertEquals("Protocol error: expected '$', got 'x'", error("*1\r\nx3\r\n"));
        assertEquals("Protocol error: unbalanced quotes in request", error("set \"a b\r\n"));
        assertEquals("Protocol error: unbalanced quotes in request", error("set \"a\"b\r\n"));
        assertEquals("Protocol error: too big inline request", error("x".repeat(70_000)));
        assertEquals("Protocol error: too big mbulk count string", error("*" + "1".repeat(70_000)));
        assertEquals("Protocol error: too big bulk count string", error("*1\r\n$" + "1".repeat(70_000)));
    }

    @Test
    void bulkLimitFollowsConfiguration() {
        RespDecoder d = new RespDecoder();
        d.setMaxBulkLength(10);
        assertEquals("Protocol error: invalid bulk length", error(d, "*1\r\n$11\r\n"));
    }

    @Test
    void unauthenticatedClientsAreHeldToSmallRequests() {
        RespDecoder d = new RespDecoder();
        d.setAuthenticated(false);
        assertEquals("Protocol error: unauthenticated multibulk length", error(d, "*11\r\n"));
        RespDecoder d2 = new RespDecoder();
        d2.setAuthenticated(false);
        assertEquals("Protocol error: unauthenticated bulk length", error(d2, "*2\r\n$16385\r\n"));
    }

    @Test
    void inlineQuotingFollowsRedis() throws ProtocolException {
        assertEquals(
                List.of(List.of("set", "k", "a\nb\u0001", "it's")),
                decode(new RespDecoder(), bytes("set k \"a\\nb\\x01\" 'it\\'s'\r\n")));
        assertEquals(List.of(), decode(new RespDecoder(), bytes("\r\n   \r\n")));
    }

    /** A read larger than the one-pass parse's 64 KB heap copy: requests across its end and one larger than it. */
    @Test
    void readsLargerThanTheCopyDecodeAsByteByByte() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String value = "v".repeat(i * 7 % 1000);
            sb.append("*3\r\n$3\r\nSET\r\n$")
                    .append(String.valueOf(i).length())
                    .append("\r\n")
                    .append(i);
            sb.append("\r\n$")
                    .append(value.length())
                    .append("\r\n")
                    .append(value)
                    .append("\r\n");
            if (i == 150) {
                String big = "b".repeat(70_000);
                sb.append("*2\r\n$4\r\nECHO\r\n$")
                        .append(big.length())
                        .append("\r\n")
                        .append(big)
                        .append("\r\n");
            }
        }
        byte[] input = bytes(sb.toString());
        List<String> byByte = RespDecoderFuzzTest.decodeInSlices(input, true, 1 << 20, left -> 1);
        List<String> whole = RespDecoderFuzzTest.decodeInSlices(input, true, 1 << 20, left -> left);
        assertEquals(301, whole.size());
        assertEquals(byByte, whole);
    }

    /** Repeated command names come back as one array (pipelines repeat them); other arguments never do. */
    @Test
    void aRepeatedCommandNameIsHandedOutOnce() throws ProtocolException {
        List<byte[][]> got = new ArrayList<>();
        ByteBuf buf = Unpooled.directBuffer()
                .writeBytes(bytes("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"));
        try {
            new RespDecoder().decode(buf, args -> got.add(args));
        } finally {
            buf.release();
        }
        assertEquals(2, got.size());
        assertSame(got.get(0)[0], got.get(1)[0]);
        assertNotSame(got.get(0)[1], got.get(1)[1]);
        assertArrayEquals(bytes("GET"), got.get(1)[0]);
    }

    @Test
    void aRecycledArgumentArrayCarriesTheNextRequestOfItsLength() throws ProtocolException {
        RespDecoder d = new RespDecoder();
        List<byte[][]> got = new ArrayList<>();
        List<List<String>> seen = new ArrayList<>();
        d.decode(
                Unpooled.wrappedBuffer(bytes("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
                        + "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n"
                        + "*2\r\n$3\r\nGET\r\n$1\r\na\r\n"
                        + "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n")),
                args -> {
                    seen.add(strings(args));
                    got.add(args);
                    if (got.size() == 1) {
                        d.recycle(args);
                    }
                    return true;
                });
        assertEquals(
                List.of(
                        List.of("SET", "a", "1"),
                        List.of("SET", "b", "2"),
                        List.of("GET", "a"),
                        List.of("SET", "c", "3")),
                seen);
        assertSame(got.get(0), got.get(1), "the array handed back carries the next request of three arguments");
        assertNotSame(got.get(1), got.get(3), "an array not handed back is not reused");
        assertEquals(List.of("SET", "c", "3"), strings(got.get(3)));
    }
}
