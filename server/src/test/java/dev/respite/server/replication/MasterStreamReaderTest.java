package dev.respite.server.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterStreamReaderTest {
    private static byte[] resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$')
                    .append(a.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(a)
                    .append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a socket may. */
    private static InputStream trickle(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    /** Reads every command until the stream ends, checking each batch's slices against its commands. */
    private static List<String> readAll(MasterStreamReader reader, ByteArrayOutputStream raw) throws IOException {
        List<String> commands = new ArrayList<>();
        while (true) {
            MasterStreamReader.Batch batch;
            try {
                batch = reader.next();
            } catch (EOFException e) {
                return commands;
            }
            raw.write(batch.raw(), 0, batch.raw().length);
            for (int i = 0; i < batch.count(); i++) {
                byte[][] args = batch.args()[i];
                String[] text = new String[args.length];
                for (int j = 0; j < args.length; j++) {
                    text[j] = new String(args[j], StandardCharsets.UTF_8);
                }
                byte[] slice = Arrays.copyOfRange(batch.raw(), batch.start(i), batch.ends()[i]);
                if (args.length > 0) {
                    assertArrayEquals(resp(text), slice, "the slice of command " + i + " is its bytes as received");
                }
                commands.add(String.join(" ", text));
            }
        }
    }

    @Test
    void commandsSplitAcrossReadsComeOutWholeWithTheirBytes() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        String big = "v".repeat(600_000);
        for (int i = 0; i < 200; i++) {
            String value = i == 100 ? big : "value-" + i;
            stream.writeBytes(resp("SET", "key:" + i, value));
            expected.add("SET key:" + i + " " + value);
        }
        stream.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
        expected.add("");
        stream.writeBytes(resp("PING"));
        expected.add("PING");
        byte[] data = stream.toByteArray();
        for (int chunk : new int[] {1, 7, 4096, data.length}) {
            MasterStreamReader reader = new MasterStreamReader(trickle(data, chunk), 16);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            assertEquals(expected, readAll(reader, raw), "reads of " + chunk + " bytes");
            assertArrayEquals(data, raw.toByteArray(), "the batches' bytes are the stream, reads of " + chunk);
            assertEquals(data.length, reader.bytesRead());
        }
    }

    @Test
    void aBatchHoldsAtMostTheGivenNumberOfCommands() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            stream.writeBytes(resp("INCR", "n"));
        }
        MasterStreamReader reader = new MasterStreamReader(new ByteArrayInputStream(stream.toByteArray()), 4);
        assertEquals(4, reader.next().count());
        assertEquals(4, reader.next().count());
        assertEquals(2, reader.next().count());
    }

    @Test
    void malformedStreamsAreProtocolErrors() {
        for (String bad : new String[] {"*1\r\nX3\r\nfoo\r\n", "*1\r\n$3\r\nfooXY", "*x\r\n", "*1\r\n$-5\r\n"}) {
            MasterStreamReader reader =
                    new MasterStreamReader(new ByteArrayInputStream(bad.getBytes(StandardCharsets.US_ASCII)), 16);
            assertThrows(ProtocolException.class, reader::next, bad);
        }
    }
}
