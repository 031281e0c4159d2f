package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Deliveries, transfers, acknowledgements and consumer removal keep the group's pending list and every
 * consumer's in agreement with a map model (id to owner and count).
 */
class StreamGroupTest {
    @Test
    void pendingListsAgreeWithModel() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            StreamGroup g = new StreamGroup(b("g"), StreamId.MIN, 0);
            Map<StreamId, String> owner = new HashMap<>();
            Map<StreamId, Long> count = new HashMap<>();
            boolean[] created = new boolean[1];
            for (int step = 0; step < 2000; step++) {
                String who = "c" + rnd.nextInt(4);
                StreamId id = new StreamId(rnd.nextInt(30), 0);
                int op = rnd.nextInt(10);
                StreamConsumer c = g.consumerOrCreate(b(who), step, created);
                if (op < 5) {
                    long n = count.getOrDefault(id, 0L) + 1;
                    g.deliver(id, c, step, n);
                    owner.put(id, who);
                    count.put(id, n);
                } else if (op < 8) {
                    assertEquals(owner.remove(id) != null, g.acknowledge(id));
                    count.remove(id);
                } else if (op < 9 && g.pending().containsKey(id)) {
                    g.transfer(g.pending().get(id), c);
                    owner.put(id, who);
                } else {
                    long had = owner.values().stream().filter(who::equals).count();
                    assertEquals(had, g.removeConsumer(c));
                    owner.values().removeIf(who::equals);
                    count.keySet().retainAll(owner.keySet());
                    assertNull(g.consumer(b(who)));
                }
                assertEquals(owner.size(), g.pending().size());
                int sum = 0;
                for (StreamConsumer each : g.consumers().values()) {
                    sum += each.pending().size();
                    for (PendingEntry p : each.pending().values()) {
                        assertSame(each, p.consumer());
                        assertSame(p, g.pending().get(p.id()));
                        assertEquals(owner.get(p.id()), new String(each.name(), StandardCharsets.US_ASCII));
                        assertEquals(count.get(p.id()), p.deliveryCount());
                    }
                }
                assertEquals(owner.size(), sum);
            }
            StreamGroup copy = g.copy();
            assertEquals(g.pending().keySet(), copy.pending().keySet());
            assertTrue(copy.consumers().size() == g.consumers().size());
            assertFalse(g.consumers().isEmpty()
                    && copy.consumers().firstEntry().getValue()
                            == g.consumers().firstEntry().getValue());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
