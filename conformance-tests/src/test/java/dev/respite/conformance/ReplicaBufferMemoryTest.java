package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A replica that stops reading (Redis's unit/maxmemory pauses one): the stream waiting for it counts in
 * used_memory as mem_clients_slaves, mem_not_counted_for_evict is that same figure, and key eviction leaves it
 * out, so no key is evicted for it however far the replica falls behind.
 */
class ReplicaBufferMemoryTest {
    private static final int KEYS = 100;

    @Test
    void aStalledReplicasStreamIsCountedButEvictsNoKey() throws IOException {
        try (RespiteProcess respite = RespiteProcess.start();
                RawConnection master = new RawConnection(respite.port());
                RawConnection replica = new RawConnection(respite.port())) {
            for (int i = 0; i < KEYS; i++) {
                assertEquals(":10004\r\n", master.call("SETRANGE", "key:" + i, "10000", "asdf"));
            }
            replica.attachAsReplica();
            Map<String, Long> before = memory(master);
            assertTrue(before.get("mem_clients_slaves") < 64 * 1024, "mem_clients_slaves " + before);
            // Room for this client's own pipeline (its query buffer and replies count), far below the stream's size.
            long limit = before.get("used_memory") - before.get("mem_not_counted_for_evict") + 1024 * 1024;
            assertEquals("+OK\r\n", master.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random"));
            assertEquals("+OK\r\n", master.call("CONFIG", "SET", "maxmemory", Long.toString(limit)));

            // About 20 MB of stream for the replica, which never reads it; the dataset does not grow.
            String payload = "A".repeat(200);
            for (int batch = 0; batch < 100; batch++) {
                ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
                for (int i = 0; i < 1000; i++) {
                    pipeline.writeBytes(resp("SETRANGE", "key:0", "0", payload));
                }
                master.send(pipeline.toByteArray());
                for (int i = 0; i < 1000; i++) {
                    assertEquals(":10004\r\n", master.readReply());
                }
            }

            Map<String, Long> after = memory(master);
            long replicaBuffers = after.get("mem_clients_slaves");
            assertTrue(replicaBuffers > 2 * 1024 * 1024, "mem_clients_slaves " + replicaBuffers);
            assertEquals(replicaBuffers, after.get("mem_not_counted_for_evict"));
            assertTrue(after.get("used_memory") > limit, "used_memory " + after.get("used_memory"));
            assertEquals(":" + KEYS + "\r\n", master.call("DBSIZE"));
            assertTrue(master.call("INFO", "stats").contains("\r\nevicted_keys:0\r\n"));

            assertEquals(":1\r\n", master.call("CLIENT", "KILL", "TYPE", "replica"));
            assertEquals(0, memory(master).get("mem_clients_slaves"));
        }
    }

    private static Map<String, Long> memory(RawConnection c) throws IOException {
        Map<String, Long> fields = new HashMap<>();
        for (String line : c.call("INFO", "memory").split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(colon + 1).matches("\\d+")) {
                fields.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1)));
            }
        }
        return fields;
    }

    private static byte[] resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
