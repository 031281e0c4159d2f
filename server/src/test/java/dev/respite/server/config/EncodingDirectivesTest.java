package dev.respite.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.respite.server.RespiteServer;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodingDirectivesTest {
    @Test
    void defaultsAreRedisDocumentedOnes() {
        ServerConfig c = new ServerConfig();
        assertEquals("128", c.param("hash-max-listpack-entries").get());
        assertEquals("64", c.param("hash-max-listpack-value").get());
        assertEquals("-2", c.param("list-max-listpack-size").get());
    }

    @Test
    void oldZiplistNamesSetTheSameLimits() throws ConfigValueException {
        ServerConfig c = new ServerConfig();
        c.set("hash-max-ziplist-entries", List.of("7"));
        c.set("hash-max-ziplist-value", List.of("9"));
        c.set("list-max-ziplist-size", List.of("-4"));
        assertEquals(7, c.encodingLimits.hashMaxListpackEntries);
        assertEquals(9, c.encodingLimits.hashMaxListpackValue);
        assertEquals(-4, c.encodingLimits.listMaxListpackSize);
        assertEquals("7", c.param("hash-max-listpack-entries").get());
        assertThrows(ConfigValueException.class, () -> c.set("hash-max-listpack-entries", List.of("-1")));
    }

    @Test
    void changesReachValuesInTheKeyspace() throws ConfigValueException {
        ServerConfig c = new ServerConfig();
        RespiteServer server = new RespiteServer(c);
        assertSame(c.encodingLimits, server.keyspace().limits());
        c.set("hash-max-listpack-entries", List.of("2"));
        c.set("list-max-listpack-size", List.of("2"));
        HashValue h = new HashValue(server.keyspace().limits());
        ListValue l = new ListValue(server.keyspace().limits());
        for (int i = 0; i < 3; i++) {
            h.put(new byte[] {(byte) i}, new byte[] {1});
            l.pushTail(new byte[] {(byte) i});
        }
        assertEquals(HashValue.HASHTABLE, h.encoding());
        assertEquals(ListValue.QUICKLIST, l.encoding());
    }
}
