package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.fuzz.DifferentialFuzzer;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Random command streams sent to Respite and to Redis 7.2.5, replies compared byte for byte (see
 * {@link DifferentialFuzzer} for what is generated and what is normalised). Each seed is reproducible.
 * The build runs seeds 1 to 3 with 3,000 commands each; a longer run:
 * {@code mvn -B -pl conformance-tests -am verify -Dtest=DifferentialFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfuzz.seeds=5 -Dfuzz.commands=100000}
 * ({@code -Dfuzz.firstSeed=N} starts elsewhere). Each difference is printed as a shrunk redis-cli script.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialFuzzTest {
    private static final long FIRST_SEED = Long.getLong("fuzz.firstSeed", 1);
    private static final int SEEDS = Integer.getInteger("fuzz.seeds", 3);
    private static final int COMMANDS = Integer.getInteger("fuzz.commands", 3_000);

    private RespiteProcess respite;
    private RealRedis reference;

    @BeforeAll
    void start() throws IOException {
        respite = RespiteProcess.start();
        reference = RealRedis.start();
    }

    @AfterAll
    void stop() {
        respite.close();
        reference.close();
    }

    @TestFactory
    Stream<DynamicTest> seeds() {
        return LongStream.range(FIRST_SEED, FIRST_SEED + SEEDS)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
                    List<String> differences =
                            new DifferentialFuzzer(reference.port(), respite.port()).run(seed, COMMANDS);
                    differences.forEach(System.out::println);
                    assertEquals(
                            0,
                            differences.size(),
                            "seed " + seed + ": distinct differences, each printed above as a reproduction");
                }));
    }
}
