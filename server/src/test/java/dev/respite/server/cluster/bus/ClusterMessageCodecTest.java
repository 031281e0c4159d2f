package dev.respite.server.cluster.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.server.cluster.NodeFlags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClusterMessageCodecTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "0123456789abcdef0123456789abcdef01234567";

    private static MessageHeader header() {
        return MessageHeader.builder(A)
                .port(7000)
                .currentEpoch(5)
                .configEpoch(3)
                .offset(12345)
                .myslots(SlotBitmap.ofRange(0, 100))
                .myip("10.0.0.1")
                .pport(7443)
                .cport(17000)
                .flags(NodeFlags.MASTER)
                .mflags(MessageHeader.PAUSED)
                .build();
    }

    private static byte[] encode(ClusterMessage m) {
        ByteBuf b = Unpooled.buffer();
        ClusterMessageCodec.encode(m, b);
        assertEquals(m.wireLength(), b.readableBytes(), "wireLength is what encode writes");
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static ClusterMessage decode(byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        ClusterMessage m = ClusterMessageCodec.decode(b);
        assertEquals(0, b.readableBytes(), "decode consumes the frame");
        return m;
    }

    private static ClusterMessage roundTrip(ClusterMessage m) {
        byte[] bytes = encode(m);
        ClusterMessage back = decode(bytes);
        assertEquals(m, back);
        assertArrayEquals(bytes, encode(back));
        return back;
    }

    @Test
    void headerFieldsSitAtRedisOffsets() {
        byte[] b = encode(new ClusterMessage(MessageType.PONG, header(), new MessageBody.Ping(List.of(), List.of())));
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        assertEquals(2256, b.length);
        assertEquals("RCmb", new String(b, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(2256, buf.getInt(4));
        assertEquals(1, buf.getShort(8));
        assertEquals(7000, buf.getUnsignedShort(10));
        assertEquals(1, buf.getShort(12));
        assertEquals(5, buf.getLong(16));
        assertEquals(3, buf.getLong(24));
        assertEquals(12345, buf.getLong(32));
        assertEquals(A, new String(b, 40, 40, StandardCharsets.US_ASCII));
        assertEquals((byte) 0xff, b[80], "slots 0-7: byte 0 all set");
        assertEquals((byte) 0x1f, b[80 + 12], "slots 96-100: the five low bits of byte 12");
        assertEquals(0, b[80 + 13]);
        assertEquals(0, b[2128], "no master: slaveof is zeros");
        assertEquals("10.0.0.1", new String(b, 2168, 8, StandardCharsets.US_ASCII));
        assertEquals(0, b[2176]);
        assertEquals(7443, buf.getUnsignedShort(2246));
        assertEquals(17000, buf.getUnsignedShort(2248));
        assertEquals(NodeFlags.MASTER, buf.getUnsignedShort(2250));
        assertEquals(MessageHeader.PAUSED, b[2253], "mflags[0]; no extensions, so no extension flag");
    }

    @Test
    void pingWithGossipAndEveryExtension() {
        GossipEntry g1 = new GossipEntry(B, 100, 200, "127.0.0.1", 7001, 17001, NodeFlags.SLAVE, 0);
        GossipEntry g2 =
                new GossipEntry(C, 0, 4_000_000_000L, "::1", 7002, 17002, NodeFlags.MASTER | NodeFlags.PFAIL, 7444);
        List<PingExtension> ext = List.of(
                new PingExtension.Hostname("host-1.example"),
                new PingExtension.HumanNodename("node-one"),
                new PingExtension.ForgottenNode(C, 55),
                new PingExtension.ShardId(B),
                new PingExtension.Unknown(9, new byte[16]));
        for (MessageType t : List.of(MessageType.PING, MessageType.PONG, MessageType.MEET)) {
            ClusterMessage m = roundTrip(ClusterMessage.ping(t, header(), List.of(g1, g2), ext));
            assertEquals(t, m.kind());
        }
        byte[] b = encode(ClusterMessage.ping(MessageType.PING, header(), List.of(g1, g2), ext));
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        assertEquals(2, buf.getUnsignedShort(14), "count");
        assertEquals(5, buf.getUnsignedShort(2214), "extensions");
        assertEquals(MessageHeader.PAUSED | 4, b[2253], "the extension flag joins the header's own flags");
        int ext0 = 2256 + 2 * 104;
        assertEquals(8 + 16, buf.getInt(ext0), "hostname: 14 chars and NUL padded to 16");
        assertEquals(0, buf.getShort(ext0 + 4));
        assertEquals(0, b[ext0 + 8 + 14]);
        int ext2 = ext0 + 24 + 24;
        assertEquals(56, buf.getInt(ext2), "forgotten node: name and ttl");
        assertEquals(55, buf.getLong(ext2 + 8 + 40));
        assertEquals(48, buf.getInt(ext2 + 56), "shard id");
        assertEquals(b.length, ext2 + 56 + 48 + 24);
        assertEquals(7002, buf.getUnsignedShort(2256 + 104 + 94), "second gossip's port after name, times, ip");
    }

    @Test
    void everyOtherType() {
        roundTrip(new ClusterMessage(MessageType.FAIL, header(), new MessageBody.Fail(B)));
        ClusterMessage pub = roundTrip(new ClusterMessage(
                MessageType.PUBLISH, header(), new MessageBody.Publish("ch".getBytes(), "hello".getBytes())));
        assertEquals(2256 + 8 + 7, pub.wireLength());
        roundTrip(new ClusterMessage(
                MessageType.PUBLISHSHARD, header(), new MessageBody.Publish(new byte[0], new byte[0])));
        for (MessageType t :
                List.of(MessageType.FAILOVER_AUTH_REQUEST, MessageType.FAILOVER_AUTH_ACK, MessageType.MFSTART)) {
            assertEquals(
                    2256,
                    roundTrip(new ClusterMessage(t, header(), new MessageBody.Empty()))
                            .wireLength());
        }
        ClusterMessage update = roundTrip(new ClusterMessage(
                MessageType.UPDATE, header(), new MessageBody.Update(9, C, SlotBitmap.ofRange(5000, 5460))));
        assertEquals(2256 + 2096, update.wireLength());
        ClusterMessage module = roundTrip(new ClusterMessage(
                MessageType.MODULE, header(), new MessageBody.Module(0x1122334455667788L, 7, new byte[] {1, 2, 3})));
        assertEquals(2256 + 13 + 3, module.wireLength());
        ClusterMessage unknown = roundTrip(new ClusterMessage(42, header(), new MessageBody.Opaque(new byte[] {9, 9})));
        assertEquals(null, unknown.kind());
    }

    @Test
    void randomMessagesSurviveEncodeAndDecode() {
        long seed = Long.getLong("bus.seed", System.nanoTime());
        Random r = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            ClusterMessage m = Messages.message(r);
            byte[] bytes = encode(m);
            ClusterMessage back;
            try {
                back = decode(bytes);
            } catch (BusProtocolException e) {
                throw new AssertionError("seed " + seed + ", message " + i + ": " + m + ": " + e.getMessage(), e);
            }
            assertEquals(m, back, "seed " + seed + ", message " + i);
        }
    }

    /** Mutated valid frames: decoding either succeeds or throws BusProtocolException, never anything else. */
    @Test
    void mutatedFramesOnlyEverFailWithBusProtocolException() {
        long seed = Long.getLong("bus.seed", System.nanoTime());
        Random r = new Random(seed);
        int failures = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] b = encode(Messages.message(r));
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                int at = r.nextInt(10) < 7 ? r.nextInt(Math.min(b.length, 2260)) : r.nextInt(b.length);
                b[at] = (byte) r.nextInt(256);
            }
            if (r.nextInt(4) == 0) {
                b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            }
            try {
                ClusterMessageCodec.decode(Unpooled.wrappedBuffer(b));
            } catch (BusProtocolException e) {
                failures++;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", frame " + i + ": " + e, e);
            }
        }
        assertTrue(failures > 0, "some mutations must be rejected (seed " + seed + ")");
    }

    private static BusProtocolException rejected(byte[] b) {
        return assertThrows(BusProtocolException.class, () -> ClusterMessageCodec.decode(Unpooled.wrappedBuffer(b)));
    }

    private static byte[] ping(int gossip, PingExtension... ext) {
        List<GossipEntry> g = new java.util.ArrayList<>();
        for (int i = 0; i < gossip; i++) {
            g.add(new GossipEntry(B, 0, 0, "127.0.0.1", 1, 2, 0, 0));
        }
        return encode(ClusterMessage.ping(MessageType.PING, header(), g, List.of(ext)));
    }

    @Test
    void badSignatureClosesTheLink() {
        byte[] b = ping(0);
        b[3] = 'x';
        assertTrue(rejected(b).closesLink());
    }

    @Test
    void totlenShorterThanTheHeaderClosesTheLink() {
        byte[] b = ping(0);
        Unpooled.wrappedBuffer(b).setInt(4, 2255);
        assertTrue(rejected(b).closesLink());
        Unpooled.wrappedBuffer(b).setInt(4, 0);
        assertTrue(rejected(b).closesLink());
    }

    @Test
    void hugeTotlenIsATruncatedFrame() {
        byte[] b = ping(1);
        Unpooled.wrappedBuffer(b).setInt(4, 0xffffffff);
        assertTrue(rejected(b).getMessage().contains("Truncated"));
        assertTrue(rejected(java.util.Arrays.copyOf(b, 5)).closesLink());
    }

    @Test
    void gossipCountBeyondTotlenIsDropped() {
        byte[] b = ping(2);
        Unpooled.wrappedBuffer(b).setShort(14, 3);
        BusProtocolException e = rejected(b);
        assertFalse(e.closesLink(), "Redis ignores the packet and keeps the link");
        assertTrue(e.getMessage().contains("expected length 2568"), e.getMessage());
        Unpooled.wrappedBuffer(b).setShort(14, 65535);
        assertFalse(rejected(b).closesLink());
    }

    @Test
    void totlenShorterThanTheGossipImpliesIsDropped() {
        byte[] b = java.util.Arrays.copyOf(ping(2), 2256 + 104);
        Unpooled.wrappedBuffer(b).setInt(4, b.length);
        assertFalse(rejected(b).closesLink());
    }

    @Test
    void truncatedOrMisalignedExtensionsAreDropped() {
        byte[] b = ping(1, new PingExtension.ShardId(B));
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        int ext = 2256 + 104;
        buf.setInt(ext, 56);
        assertTrue(rejected(b).getMessage().contains("exceeds total packet length"));
        buf.setInt(ext, 44);
        assertTrue(rejected(b).getMessage().contains("padding"));
        buf.setInt(ext, 0);
        assertFalse(rejected(b).closesLink());
        buf.setInt(ext, 16);
        assertTrue(rejected(b).getMessage().contains("expected length"), "extension shorter than its announced frame");
        buf.setInt(ext, 48);
        buf.setShort(2214, 2);
        assertTrue(rejected(b).getMessage().contains("exceeds total packet length"), "a second extension past the end");

        byte[] cut = java.util.Arrays.copyOf(ping(0, new PingExtension.Hostname("abcdefg")), 2256 + 12);
        Unpooled.wrappedBuffer(cut).setInt(4, cut.length);
        assertFalse(rejected(cut).closesLink());

        byte[] noNul = ping(0, new PingExtension.Hostname("abcdefg"));
        noNul[2256 + 8 + 7] = 'h';
        assertTrue(rejected(noNul).getMessage().contains("NUL"));

        byte[] shortShard = ping(0, new PingExtension.Hostname("0123456789abcdef0123456789"));
        Unpooled.wrappedBuffer(shortShard).setShort(2256 + 4, PingExtension.SHARD_ID);
        assertTrue(rejected(shortShard).getMessage().contains("shard id"));
    }

    @Test
    void extensionsWithoutTheFlagAreNotRead() {
        byte[] b = ping(0);
        Unpooled.wrappedBuffer(b).setShort(2214, 3);
        ClusterMessage m = decode(b);
        assertEquals(List.of(), ((MessageBody.Ping) m.body()).extensions());
    }

    @Test
    void wrongVersionIsDropped() {
        byte[] b = ping(0);
        Unpooled.wrappedBuffer(b).setShort(8, 2);
        BusProtocolException e = rejected(b);
        assertFalse(e.closesLink());
        assertTrue(e.getMessage().contains("version 2"));
    }

    @Test
    void fixedLengthTypesMustMatchExactly() {
        byte[] fail = encode(new ClusterMessage(MessageType.FAIL, header(), new MessageBody.Fail(B)));
        byte[] longer = java.util.Arrays.copyOf(fail, fail.length + 8);
        Unpooled.wrappedBuffer(longer).setInt(4, longer.length);
        assertTrue(rejected(longer).getMessage().contains("fail packet of length 2304 but expected length 2296"));
        byte[] update = encode(
                new ClusterMessage(MessageType.UPDATE, header(), new MessageBody.Update(1, B, SlotBitmap.EMPTY)));
        byte[] shorter = java.util.Arrays.copyOf(update, 2300);
        Unpooled.wrappedBuffer(shorter).setInt(4, 2300);
        assertFalse(rejected(shorter).closesLink());
        byte[] ack = encode(new ClusterMessage(MessageType.FAILOVER_AUTH_ACK, header(), new MessageBody.Empty()));
        byte[] padded = java.util.Arrays.copyOf(ack, 2264);
        Unpooled.wrappedBuffer(padded).setInt(4, 2264);
        assertFalse(rejected(padded).closesLink());
    }

    @Test
    void publishLengthsMustAddUpWithoutOverflow() {
        byte[] b = encode(new ClusterMessage(
                MessageType.PUBLISH, header(), new MessageBody.Publish("c".getBytes(), "m".getBytes())));
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        buf.setInt(2256, 0x80000000);
        buf.setInt(2260, 0x80000002);
        assertFalse(rejected(b).closesLink(), "lengths whose 32-bit sum wraps to totlen are not believed");
        byte[] stub = java.util.Arrays.copyOf(b, 2258);
        Unpooled.wrappedBuffer(stub).setInt(4, 2258);
        assertFalse(rejected(stub).closesLink());
        byte[] mod =
                encode(new ClusterMessage(MessageType.MODULE, header(), new MessageBody.Module(1, 1, new byte[4])));
        Unpooled.wrappedBuffer(mod).setInt(2264, 5);
        assertFalse(rejected(mod).closesLink());
    }

    @Test
    void unknownTypesAreTakenAsWellFormed() {
        byte[] b = ping(0);
        Unpooled.wrappedBuffer(b).setShort(12, 11);
        ClusterMessage m = decode(b);
        assertEquals(11, m.type());
        assertEquals(0, ((MessageBody.Opaque) m.body()).data().length);
    }

    @Test
    void aDroppedPacketLeavesTheBufferAtTheNextFrame() {
        byte[] bad = ping(0);
        Unpooled.wrappedBuffer(bad).setShort(8, 0);
        ByteBuf two = Unpooled.wrappedBuffer(bad, ping(1));
        assertThrows(BusProtocolException.class, () -> ClusterMessageCodec.decode(two));
        assertEquals(
                1,
                ((MessageBody.Ping) ClusterMessageCodec.decode(two).body())
                        .gossip()
                        .size());
    }

    @Test
    void modelRejectsFieldsTheWireCannotCarry() {
        assertThrows(
                IllegalArgumentException.class,
                () -> MessageHeader.builder("short").build());
        assertThrows(
                IllegalArgumentException.class,
                () -> header().toBuilder().port(65536).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> header().toBuilder().myip("x".repeat(47)).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> header().toBuilder().mflags(4).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClusterMessage(MessageType.PING, header(), new MessageBody.Empty()));
        assertThrows(IllegalArgumentException.class, () -> new PingExtension.Hostname("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> new PingExtension.Unknown(2, new byte[8]));
    }
}
