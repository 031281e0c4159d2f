package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** io-transport: each of Netty's transports serves clients, with and without I/O threads. */
class TransportTest {
    @Test
    void autoIsEpollOnLinux() throws Exception {
        try (RespiteProcess p = RespiteProcess.start()) {
            assertServes(p, "epoll");
        }
    }

    @Test
    void nioServesWithAndWithoutIoThreads() throws Exception {
        for (String threads : List.of("1", "3")) {
            try (RespiteProcess p = RespiteProcess.start("--io-transport", "nio", "--io-threads", threads)) {
                assertServes(p, "nio");
            }
        }
    }

    /**
     * io_uring serves as the others do where the kernel allows it; where it does not (an old kernel, or a
     * container's seccomp profile), the start fails and says why.
     */
    @Test
    void ioUringServesOrTheStartSaysWhyNot() throws Exception {
        try (RespiteProcess p = RespiteProcess.start("--io-transport", "io_uring", "--io-threads", "2")) {
            System.out.println("io_uring is available here");
            assertServes(p, "io_uring");
        } catch (IllegalStateException refused) {
            System.out.println("io_uring is not available here: " + refused.getMessage());
            assertTrue(
                    refused.getMessage().contains("io-transport io_uring is not available here: "),
                    refused.getMessage());
        }
    }

    @Test
    void aTransportThatIsNotKnownIsRefused() throws Exception {
        Tools.Result r = Tools.run(RespiteProcess.command("--port", "0", "--io-transport", "kqueue"), null, 30);
        assertEquals(1, r.exitCode());
        assertTrue((r.stdout() + r.stderr()).contains("io-transport"), r.stdout() + r.stderr());
    }

    private static void assertServes(RespiteProcess p, String transport) throws IOException, InterruptedException {
        try (Jedis j = new Jedis("127.0.0.1", p.port())) {
            assertTrue(j.info("server").contains("multiplexing_api:" + transport + "\r\n"));
            assertEquals("OK", j.set("k", "v"));
            assertEquals("v", j.get("k"));
        }
        Tools.Result bench = Tools.run(
                List.of(
                        Tools.require("redis-benchmark"),
                        "-p",
                        Integer.toString(p.port()),
                        "-t",
                        "set,get,lpush,lpop",
                        "-n",
                        "20000",
                        "-P",
                        "16",
                        "-q"),
                null,
                120);
        assertEquals(0, bench.exitCode(), bench.stderr());
        assertTrue(!bench.stdout().contains("rror"), bench.stdout());
    }
}
