package dev.respite.bench;

import dev.respite.protocol.CommandSink;
import dev.respite.protocol.ProtocolException;
import dev.respite.protocol.RespDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decoder on what redis-benchmark -P 16 sends: one read of 16 SET requests with 20-byte keys and 3-byte
 * values. Scores are per command. The batch sits in a direct buffer, as the epoll transport delivers it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RespDecoderBenchmark {
    private static final int BATCH = 16;

    private final RespDecoder decoder = new RespDecoder();
    private ByteBuf batch;
    private Blackhole blackhole;
    private final CommandSink sink = args -> {
        blackhole.consume(args);
        return true;
    };

    @Setup
    public void setUp(Blackhole bh) {
        blackhole = bh;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            String key = String.format("key:%016d", i * 7919);
            sb.append("*3\r\n$3\r\nSET\r\n$")
                    .append(key.length())
                    .append("\r\n")
                    .append(key)
                    .append("\r\n$3\r\nVXK\r\n");
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        batch = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown
    public void tearDown() {
        batch.release();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pipelinedSets() throws ProtocolException {
        batch.readerIndex(0);
        decoder.decode(batch, sink);
    }
}
