package dev.respite.server.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplicationBufferTest {
    private static final int BLOCK = ReplicationBuffer.MIN_BLOCK;

    /** What a replica's socket would receive: everything from the cursor to the end, block by block. */
    private static byte[] drain(ReplicationBuffer.Cursor c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = c.available(); n > 0; n = c.available()) {
            out.write(c.block().data, c.position(), n);
            c.advance(n);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void offsetsFollowRedisCounting() {
        ReplicationBuffer b = new ReplicationBuffer(() -> 1024 * 1024, 100);
        assertEquals(101, b.firstByteOffset());
        assertEquals(0, b.histlen());
        assertEquals(0, b.memory(), "no block before the first byte");
        assertTrue(b.covers(101), "a replica at the current offset continues with nothing to send");
        assertFalse(b.covers(102));
        b.append("abcdef".getBytes(), 0, 6);
        assertEquals(106, b.offset());
        assertEquals(101, b.firstByteOffset());
        assertEquals(6, b.histlen());
        assertEquals(BLOCK + ReplicationBuffer.BLOCK_OVERHEAD, b.memory());
        assertArrayEquals("def".getBytes(), drain(b.cursorAt(104)));
        assertArrayEquals(new byte[0], drain(b.cursorAt(107)));
        assertFalse(b.covers(100));
    }

    @Test
    void theBacklogKeepsAboutItsSizeWhenNobodyHoldsOlderBlocks() {
        long size = 64 * 1024;
        ReplicationBuffer b = new ReplicationBuffer(() -> size, 0);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Random rnd = new Random(7);
        for (int i = 0; i < 400; i++) {
            byte[] chunk = bytes(rnd.nextInt(3000), i);
            b.append(chunk, 0, chunk.length);
            all.write(chunk, 0, chunk.length);
            assertTrue(b.histlen() <= size + BLOCK, "histlen " + b.histlen());
            assertEquals(all.size(), b.offset());
            long from = Math.max(b.firstByteOffset(), all.size() - rnd.nextInt((int) b.histlen() + 1) + 1);
            assertTrue(b.covers(from));
            byte[] stream = all.toByteArray();
            ReplicationBuffer.Cursor c = b.cursorAt(from);
            assertArrayEquals(Arrays.copyOfRange(stream, (int) from - 1, stream.length), drain(c));
            c.release();
        }
        assertTrue(b.histlen() > size, "trimmed only while what is left is still longer than the setting");
        assertEquals(b.histlen(), b.offset() - b.firstByteOffset() + 1);
    }

    @Test
    void aReplicaThatHoldsItsPositionMakesTheBacklogOutgrowItsSize() {
        long size = 16 * 1024;
        ReplicationBuffer b = new ReplicationBuffer(() -> size, 0);
        b.append(bytes(100, 1), 0, 100);
        ReplicationBuffer.Cursor slow = b.cursorAtEnd();
        byte[] later = bytes(40 * BLOCK, 2);
        for (int i = 0; i < 40; i++) {
            b.append(later, i * BLOCK, BLOCK);
        }
        assertEquals(100 + 40L * BLOCK, b.histlen(), "nothing trimmed while the slow replica still needs it");
        assertTrue(b.covers(1));
        long share = slow.share();
        assertTrue(share >= 40L * BLOCK && share <= 42L * (BLOCK + ReplicationBuffer.BLOCK_OVERHEAD), "share " + share);
        assertArrayEquals(later, drain(slow));
        assertTrue(
                slow.share() <= 2L * (BLOCK + ReplicationBuffer.BLOCK_OVERHEAD),
                "what it received is no more its share");
        for (int i = 0; i < 10; i++) {
            b.trim(100);
        }
        assertTrue(b.histlen() <= size + BLOCK, "once received, the old blocks go: " + b.histlen());
        assertFalse(b.covers(1));
    }

    @Test
    void aReplicaThatLeavesLetsTheBacklogShrinkIncrementally() {
        long size = 16 * 1024;
        ReplicationBuffer b = new ReplicationBuffer(() -> size, 0);
        ReplicationBuffer.Cursor gone = b.cursorAtEnd();
        byte[] data = bytes(100 * BLOCK, 3);
        b.append(data, 0, data.length);
        long before = b.memory();
        assertTrue(before >= 100L * BLOCK);
        gone.release();
        b.trim(ReplicationBuffer.TRIM_BLOCKS_PER_CALL);
        assertEquals(90L * BLOCK, b.histlen(), "ten blocks per call");
        for (int i = 0; i < 20; i++) {
            b.trim(ReplicationBuffer.TRIM_BLOCKS_PER_CALL);
        }
        assertTrue(b.histlen() <= size + BLOCK);
        assertTrue(b.memory() < before / 10);
    }

    @Test
    void blocksAreSizedBetweenSixteenKilobytesAndASixteenthOfTheBacklog() {
        ReplicationBuffer b = new ReplicationBuffer(() -> 16L * 1024 * 1024, 0);
        b.append(bytes(10, 4), 0, 10);
        assertEquals(BLOCK + ReplicationBuffer.BLOCK_OVERHEAD, b.memory());
        byte[] big = bytes(3 * 1024 * 1024, 5);
        b.append(big, 0, big.length);
        // The first block's rest, then blocks of a sixteenth of the backlog (1 MB), the last one as long as what is
        // left.
        assertEquals(10 + 3L * 1024 * 1024 + 4 * ReplicationBuffer.BLOCK_OVERHEAD, b.memory());
        ReplicationBuffer.Cursor c = b.cursorAt(11);
        assertArrayEquals(big, drain(c));
    }

    @Test
    void aRestartedMasterRebasesWhatItHolds() {
        ReplicationBuffer b = new ReplicationBuffer(() -> 1024 * 1024, 0);
        b.append("xyz".getBytes(), 0, 3);
        b.rebase(1000);
        assertEquals(1003, b.offset());
        assertEquals(1001, b.firstByteOffset());
        assertArrayEquals("yz".getBytes(), drain(b.cursorAt(1002)));
    }
}
