package dev.respite.storage.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.PendingEntry;
import dev.respite.storage.types.StreamConsumer;
import dev.respite.storage.types.StreamEntry;
import dev.respite.storage.types.StreamGroup;
import dev.respite.storage.types.StreamId;
import dev.respite.storage.types.StreamValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Streams through DUMP payloads: a payload Redis 7.2.5 wrote (type 21), and seeded round trips. */
class StreamCodecTest {
    /**
     * DUMP of a stream made by Redis 7.2.5: XADD 1-1 name alice age 30, 1-2 name bob age 41, 2-0 other
     * field, 3-5 name carol age 7; XDEL 1-2; group g1 from 0 read by c1 (2 entries) and c2 (1), consumer
     * "idle" created empty; group g2 at $.
     */
    private static final String REDIS_72_DUMP =
            "150110000000000000000100000000000000014064640000001f00030101010201846e616d65058361676504000102010001000185616c696365061e01050103010001010183626f62042901050100010101dfff020101856f7468657206856669656c64060601020102010401856361726f6c0607010501ff03030501010102040202673103050403000000000000000100000000000000018e4aa04ca201000001000000000000000200000000000000008e4aa04ca20100000100000000000000030000000000000005be4aa04ca201000001030263318e4aa04ca20100008e4aa04ca2010000020000000000000001000000000000000100000000000000020000000000000000026332be4aa04ca2010000be4aa04ca201000001000000000000000300000000000000050469646c652c4ba04ca2010000ffffffffffffffff00026732030581ffffffffffffffff00000b00134e57eff5d7c810";

    @Test
    void readsRedis72Payload() throws Exception {
        byte[] payload = HexFormat.of().parseHex(REDIS_72_DUMP);
        assertTrue(DumpPayload.isIntact(payload));
        StreamValue s = (StreamValue) DumpPayload.deserialize(payload, new EncodingLimits(), true);
        assertEquals(3, s.length());
        assertEquals(List.of(new StreamId(1, 1), new StreamId(2, 0), new StreamId(3, 5)), s.ids());
        assertEquals(new StreamId(3, 5), s.lastId());
        assertEquals(new StreamId(1, 2), s.maxDeletedId());
        assertEquals(4, s.entriesAdded());
        StreamEntry e = new StreamEntry();
        StreamValue.Cursor c = s.cursor(new StreamId(2, 0), StreamId.MAX, false);
        assertTrue(c.next(e));
        assertEquals("other", text(e.field(0)));
        assertEquals("field", text(e.value(0)));
        assertTrue(c.next(e));
        assertEquals("carol", text(e.value(0)));
        assertEquals("7", text(e.value(1)));
        StreamGroup g1 = s.group(bytes("g1"));
        assertEquals(new StreamId(3, 5), g1.lastId());
        assertEquals(4, g1.entriesRead());
        assertEquals(3, g1.pending().size());
        StreamConsumer c1 = g1.consumer(bytes("c1"));
        assertEquals(
                List.of(new StreamId(1, 1), new StreamId(2, 0)),
                new ArrayList<>(c1.pending().keySet()));
        assertEquals(1796581902990L, c1.seenTime());
        assertEquals(1796581902990L, c1.activeTime());
        PendingEntry p = g1.pending().get(new StreamId(3, 5));
        assertEquals("c2", text(p.consumer().name()));
        assertEquals(1796581903038L, p.deliveryTime());
        assertEquals(1, p.deliveryCount());
        assertEquals(-1, g1.consumer(bytes("idle")).activeTime());
        StreamGroup g2 = s.group(bytes("g2"));
        assertEquals(StreamGroup.UNKNOWN_ENTRIES_READ, g2.entriesRead());
        assertTrue(g2.consumers().isEmpty());
    }

    @Test
    void damagedPayloadIsRefused() {
        byte[] payload = HexFormat.of().parseHex(REDIS_72_DUMP);
        payload[40] ^= 0x55;
        assertFalse(DumpPayload.isIntact(payload));
        byte[] body = HexFormat.of().parseHex(REDIS_72_DUMP);
        // Claims four live entries in the node where there are three.
        int at = REDIS_72_DUMP.indexOf("0301010102") / 2;
        body[at] = 4;
        byte[] resealed = reseal(body);
        assertThrows(RdbFormatException.class, () -> DumpPayload.deserialize(resealed, new EncodingLimits(), true));
    }

    @Test
    void seededRoundTrips() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            EncodingLimits limits = new EncodingLimits();
            limits.streamNodeMaxEntries = 1 + rnd.nextInt(10);
            StreamValue s = new StreamValue(limits);
            long ms = rnd.nextBoolean() ? 0 : Long.MAX_VALUE;
            for (int i = 0; i < 200; i++) {
                ms += rnd.nextInt(3);
                StreamId id = s.length() == 0 && i == 0 ? new StreamId(ms, 1) : nextAfter(s.lastId(), rnd);
                byte[][] fv = rnd.nextInt(4) == 0
                        ? new byte[][] {bytes("x" + rnd.nextInt(3)), bytes(Long.toString(rnd.nextLong()))}
                        : new byte[][] {
                            bytes("a"), bytes(Integer.toString(rnd.nextInt(1000))), bytes("b"), randomBytes(rnd)
                        };
                s.append(id, fv, 0, fv.length / 2);
                if (rnd.nextInt(5) == 0) {
                    List<StreamId> ids = s.ids();
                    StreamId victim = ids.get(rnd.nextInt(ids.size()));
                    s.delete(victim);
                    if (victim.compareTo(s.maxDeletedId()) > 0) {
                        s.setMaxDeletedId(victim);
                    }
                }
            }
            StreamGroup g = s.createGroup(
                    bytes("group"), s.lastId(), rnd.nextBoolean() ? 17 : StreamGroup.UNKNOWN_ENTRIES_READ);
            boolean[] created = new boolean[1];
            for (StreamId id : s.ids()) {
                if (rnd.nextInt(3) == 0) {
                    g.deliver(
                            id,
                            g.consumerOrCreate(bytes("c" + rnd.nextInt(3)), 1000 + seed, created),
                            5000 + rnd.nextInt(100),
                            1 + rnd.nextInt(9));
                }
            }
            g.consumerOrCreate(bytes("empty"), 42, created);
            StreamValue back = (StreamValue) DumpPayload.deserialize(DumpPayload.serialize(s), limits, true);
            String where = "seed " + seed;
            assertEquals(s.ids(), back.ids(), where);
            assertEquals(s.lastId(), back.lastId(), where);
            assertEquals(s.maxDeletedId(), back.maxDeletedId(), where);
            assertEquals(s.entriesAdded(), back.entriesAdded(), where);
            assertSameEntries(s, back, where);
            StreamGroup bg = back.group(bytes("group"));
            assertEquals(g.entriesRead(), bg.entriesRead(), where);
            assertEquals(g.pending().keySet(), bg.pending().keySet(), where);
            for (PendingEntry p : g.pending().values()) {
                PendingEntry q = bg.pending().get(p.id());
                assertArrayEquals(p.consumer().name(), q.consumer().name(), where);
                assertEquals(p.deliveryTime(), q.deliveryTime(), where);
                assertEquals(p.deliveryCount(), q.deliveryCount(), where);
            }
            assertEquals(g.consumers().keySet().size(), bg.consumers().size(), where);
            assertEquals(42, bg.consumer(bytes("empty")).seenTime(), where);
        }
    }

    private static StreamId nextAfter(StreamId last, Random rnd) {
        return rnd.nextBoolean() ? new StreamId(last.ms() + 1 + rnd.nextInt(1000), rnd.nextInt(3)) : last.next();
    }

    private static void assertSameEntries(StreamValue a, StreamValue b, String where) {
        StreamValue.Cursor ca = a.cursor(StreamId.MIN, StreamId.MAX, false);
        StreamValue.Cursor cb = b.cursor(StreamId.MIN, StreamId.MAX, false);
        StreamEntry ea = new StreamEntry();
        StreamEntry eb = new StreamEntry();
        while (ca.next(ea)) {
            assertTrue(cb.next(eb), where);
            assertEquals(ea.pairs(), eb.pairs(), where);
            for (int i = 0; i < ea.pairs(); i++) {
                assertArrayEquals(ea.field(i), eb.field(i), where);
                assertArrayEquals(ea.value(i), eb.value(i), where);
            }
        }
        assertFalse(cb.next(eb), where);
    }

    private static byte[] reseal(byte[] payload) {
        long crc = Crc64.update(0, payload, 0, payload.length - 8);
        for (int i = 0; i < 8; i++) {
            payload[payload.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(5) == 0 ? 300 + rnd.nextInt(5000) : rnd.nextInt(20)];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
