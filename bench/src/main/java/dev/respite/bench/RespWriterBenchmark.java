package dev.respite.bench;

import dev.respite.protocol.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The reply writer as the server drives it for one read batch of 16 commands: 16 replies into the pending
 * buffer, which is then taken and released (as the channel does after writing it). Scores are per reply, so
 * they include a sixteenth of the pooled buffer's allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RespWriterBenchmark {
    private static final int BATCH = 16;

    private final RespWriter writer = new RespWriter(PooledByteBufAllocator.DEFAULT);
    private final byte[] small = "VXK".getBytes(StandardCharsets.US_ASCII);
    private final byte[] kilobyte = new byte[1024];
    /** Past the writer's table of cached integer replies, so the digits are written one by one. */
    private long counter = 1_000_000;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int bulk3Bytes() {
        for (int i = 0; i < BATCH; i++) {
            writer.bulk(small);
        }
        return release(writer.take());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int bulk1Kilobyte() {
        for (int i = 0; i < BATCH; i++) {
            writer.bulk(kilobyte);
        }
        return release(writer.take());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int integer() {
        for (int i = 0; i < BATCH; i++) {
            writer.integer(counter++);
        }
        return release(writer.take());
    }

    /** An LRANGE-style reply: an array header and ten short bulks. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int arrayOf10() {
        for (int i = 0; i < BATCH; i++) {
            writer.array(10);
            for (int j = 0; j < 10; j++) {
                writer.bulk(small);
            }
        }
        return release(writer.take());
    }

    private static int release(ByteBuf out) {
        int n = out.readableBytes();
        out.release();
        return n;
    }
}
