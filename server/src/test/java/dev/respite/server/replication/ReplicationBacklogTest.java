package dev.respite.server.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplicationBacklogTest {
    @Test
    void offsetsFollowRedisCounting() {
        ReplicationBacklog b = new ReplicationBacklog(16, 100);
        assertEquals(101, b.firstByteOffset());
        assertEquals(0, b.held());
        assertTrue(b.covers(101), "a replica at the current offset continues with nothing to send");
        assertFalse(b.covers(102));
        b.append("abcdef".getBytes(), 0, 6);
        assertEquals(106, b.offset());
        assertEquals(101, b.firstByteOffset());
        assertArrayEquals("def".getBytes(), b.since(104));
        assertArrayEquals(new byte[0], b.since(107));
        assertFalse(b.covers(100));
    }

    @Test
    void wrapsAndKeepsTheNewestBytes() {
        Random rnd = new Random(7);
        ReplicationBacklog b = new ReplicationBacklog(1000, 0);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            byte[] chunk = new byte[rnd.nextInt(1500)];
            rnd.nextBytes(chunk);
            b.append(chunk, 0, chunk.length);
            all.write(chunk, 0, chunk.length);
            byte[] stream = all.toByteArray();
            assertEquals(stream.length, b.offset());
            assertEquals(Math.min(1000, stream.length), b.held());
            long from = Math.max(1, stream.length - rnd.nextInt(1000) + 1);
            if (b.covers(from)) {
                assertArrayEquals(Arrays.copyOfRange(stream, (int) from - 1, stream.length), b.since(from));
            }
        }
    }

    @Test
    void resizingKeepsWhatStillFits() {
        ReplicationBacklog b = new ReplicationBacklog(10, 0);
        b.append("0123456789abc".getBytes(), 0, 13);
        assertArrayEquals("3456789abc".getBytes(), b.since(4));
        b.resize(4);
        assertEquals(4, b.held());
        assertArrayEquals("9abc".getBytes(), b.since(10));
        b.append("de".getBytes(), 0, 2);
        assertArrayEquals("bcde".getBytes(), b.since(12));
        b.resize(20);
        b.append("fg".getBytes(), 0, 2);
        assertArrayEquals("bcdefg".getBytes(), b.since(12));
    }
}
