package dev.respite.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RespWriterTest {
    private static String write(int protocol, Consumer<RespWriter> body) {
        RespWriter w = new RespWriter(UnpooledByteBufAllocator.DEFAULT);
        w.setProtocol(protocol);
        body.accept(w);
        ByteBuf b = w.take();
        String s = b.toString(StandardCharsets.UTF_8);
        b.release();
        return s;
    }

    private static void both(String resp2, String resp3, Consumer<RespWriter> body) {
        assertEquals(resp2, write(2, body), "RESP2");
        assertEquals(resp3, write(3, body), "RESP3");
    }

    @Test
    void scalarTypes() {
        both("+OK\r\n", "+OK\r\n", RespWriter::ok);
        both("+PONG\r\n", "+PONG\r\n", w -> w.simple("PONG"));
        both("-ERR bad  thing\r\n", "-ERR bad  thing\r\n", w -> w.error("ERR bad\r\nthing"));
        both(":42\r\n", ":42\r\n", w -> w.integer(42));
        both(":-7\r\n", ":-7\r\n", w -> w.integer(-7));
        both(":123456789012\r\n", ":123456789012\r\n", w -> w.integer(123456789012L));
        both(":-9223372036854775808\r\n", ":-9223372036854775808\r\n", w -> w.integer(Long.MIN_VALUE));
        both("$3\r\nabc\r\n", "$3\r\nabc\r\n", w -> w.bulk("abc"));
        both("$0\r\n\r\n", "$0\r\n\r\n", RespWriter::emptyBulk);
        both("$-1\r\n", "_\r\n", RespWriter::nullBulk);
        both("*-1\r\n", "_\r\n", RespWriter::nullArray);
        both("$3\r\n1.5\r\n", ",1.5\r\n", w -> w.doubleValue("1.5"));
        both("$3\r\ninf\r\n", ",inf\r\n", w -> w.doubleValue("inf"));
        both(":1\r\n", "#t\r\n", w -> w.bool(true));
        both(":0\r\n", "#f\r\n", w -> w.bool(false));
        both("$5\r\n12345\r\n", "(12345\r\n", w -> w.bigNumber("12345"));
        both("$2\r\nhi\r\n", "=6\r\ntxt:hi\r\n", w -> w.verbatim("txt", "hi"));
    }

    @Test
    void aggregateTypes() {
        both("*2\r\n$1\r\na\r\n:1\r\n", "*2\r\n$1\r\na\r\n:1\r\n", w -> {
            w.array(2);
            w.bulk("a");
            w.integer(1);
        });
        both("*4\r\n$1\r\nk\r\n$1\r\nv\r\n$1\r\nn\r\n:2\r\n", "%2\r\n$1\r\nk\r\n$1\r\nv\r\n$1\r\nn\r\n:2\r\n", w -> {
            w.map(2);
            w.bulk("k");
            w.bulk("v");
            w.bulk("n");
            w.integer(2);
        });
        both("*1\r\n$1\r\nx\r\n", "~1\r\n$1\r\nx\r\n", w -> {
            w.set(1);
            w.bulk("x");
        });
        both("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n", ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n", w -> {
            w.push(3);
            w.bulk("message");
            w.bulk("c");
            w.bulk("m");
        });
    }

    @Test
    void largeBulkHeaders() {
        byte[] big = new byte[5000];
        String s = write(2, w -> w.bulk(big));
        assertEquals("$5000\r\n", s.substring(0, 7));
        assertEquals(5000 + 9, s.length());
    }

    @Test
    void mutedWriterWritesNothing() {
        RespWriter w = new RespWriter(UnpooledByteBufAllocator.DEFAULT);
        w.setMuted(true);
        w.ok();
        w.bulk("x");
        w.integer(5);
        w.array(1);
        assertNull(w.take());
    }
}
