package dev.respite.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.server.RespiteServer;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * String and bitmap commands on a key of another type answer WRONGTYPE, and the generic commands name and
 * copy other types through ValueTypes. In process, because the commands that create hashes and lists live in
 * other families; the values are put in place directly.
 */
class WrongTypeTest {
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    private final RespiteServer server = new RespiteServer(new ServerConfig());
    private final Client client = new Client(1, server, new EmbeddedChannel(), new dev.respite.protocol.RespDecoder());

    WrongTypeTest() {
        Database db = server.keyspace().db(0);
        HashValue h = new HashValue(server.keyspace().limits());
        h.put(bytes("f"), bytes("v"));
        db.add(bytes("h"), h);
        ListValue l = new ListValue(server.keyspace().limits());
        l.pushTail(bytes("a"));
        db.add(bytes("l"), l);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String call(String line) {
        String[] parts = line.split(" ");
        byte[][] args = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            args[i] = bytes(parts[i]);
        }
        server.dispatcher().execute(client, args);
        ByteBuf out = client.reply().take();
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET h",
                "GETSET h v",
                "GETDEL l",
                "GETEX h PERSIST",
                "SET h v GET",
                "APPEND l x",
                "STRLEN h",
                "GETRANGE h 0 1",
                "SUBSTR l 0 1",
                "SETRANGE h 0 x",
                "INCR h",
                "DECR l",
                "INCRBY h 1",
                "DECRBY h 1",
                "INCRBYFLOAT l 1",
                "SETBIT h 0 1",
                "GETBIT l 0",
                "BITCOUNT h",
                "BITPOS l 1",
                "BITOP AND dest h",
                "BITFIELD h GET u8 0",
                "BITFIELD_RO l GET u8 0"
            })
    void stringCommandsRefuseOtherTypes(String command) {
        assertEquals(WRONGTYPE, call(command));
    }

    @Test
    void otherReadersSkipOrReportOtherTypes() {
        assertEquals("*2\r\n$-1\r\n$-1\r\n", call("MGET h l"));
        assertEquals("-ERR The specified keys must contain string values\r\n", call("LCS h l"));
        assertEquals("+hash\r\n", call("TYPE h"));
        assertEquals("+list\r\n", call("TYPE l"));
        assertEquals("$8\r\nlistpack\r\n", call("OBJECT ENCODING h"));
    }

    @Test
    void setReplacesAnyTypeAndCopyDuplicatesIt() {
        assertEquals(":1\r\n", call("COPY h h2"));
        assertEquals("+hash\r\n", call("TYPE h2"));
        assertEquals(":1\r\n", call("COPY l l2"));
        assertEquals("+list\r\n", call("TYPE l2"));
        assertEquals("+OK\r\n", call("SET h v"));
        assertEquals("+string\r\n", call("TYPE h"));
        assertEquals("+hash\r\n", call("TYPE h2"));
    }
}
