package dev.respite.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodesConfParserTest {
    private static final String A = "e12b90509093ef8be0cb03fcc75fcbc872b89001";
    private static final String B = "3a20dea4ce8d390ff52a0063261a954174fd2789";
    private static final String C = "f9dfa009a0a017ddf54d0014a06a0b3abef1791f";
    private static final String SA = "6123db5895a6e560fe0538e99b44d5384c0bc09a";
    private static final String SB = "3619774047d5085650584d5404039d6c18e40ad9";

    /** As Redis 7.2.5 writes it (node order is its hash table's). */
    private static final String FILE = C + " 10.0.0.3:7002@17002,,tls-port=0,shard-id=" + SB
            + " slave " + B + " 0 1700000000000 2 disconnected\n"
            + A + " 10.0.0.1:7000@17000,host-a,tls-port=0,nodename=alpha,shard-id=" + SA
            + " myself,master - 0 0 1 connected 0-100 200 202 [150->-" + B + "] [9000-<-" + B + "]\n"
            + B + " 10.0.0.2:7001@17001,,tls-port=0,shard-id=" + SB
            + " master,fail? - 1700000000000 1700000000000 2 disconnected 8192-16383\n"
            + "vars currentEpoch 3 lastVoteEpoch 2\n";

    @Test
    void readsARedisFile() throws NodesConfException {
        ClusterState st = NodesConfParser.parse(FILE, 42);
        ClusterNode a = st.myself();
        ClusterNode b = st.node(B);
        ClusterNode c = st.node(C);
        assertEquals(A, a.id());
        assertEquals("10.0.0.1", a.ip());
        assertEquals(7000, a.tcpPort());
        assertEquals(17000, a.busPort());
        assertEquals("host-a", a.hostname());
        assertEquals("alpha", a.humanNodename());
        assertEquals(SA, a.shardId());
        // MIGRATE_TO is internal (never written): whether loading sets it depends on the order nodes are linked.
        assertEquals(NodeFlags.MYSELF | NodeFlags.MASTER, a.flags() & ~NodeFlags.MIGRATE_TO);
        assertEquals(NodeFlags.MASTER | NodeFlags.PFAIL, b.flags() & ~NodeFlags.MIGRATE_TO);
        assertSame(b, c.master());
        assertEquals(1, b.replicas().size());
        assertEquals(0, c.configEpoch());
        assertEquals(2, c.shownEpoch());
        assertEquals(42, c.pongReceived());
        assertEquals(0, c.pingSent());
        assertEquals(103, a.slotCount());
        assertSame(a, st.owner(202));
        assertEquals(null, st.owner(201));
        assertSame(b, st.owner(16383));
        assertSame(b, st.migratingTo(150));
        assertSame(b, st.importingFrom(9000));
        assertEquals(3, st.currentEpoch());
        assertEquals(2, st.lastVoteEpoch());
    }

    @Test
    void writesTheSameLinesBack() throws NodesConfException {
        ClusterState st = NodesConfParser.parse(
                FILE.replace(" 0 1700000000000 2", " 0 0 2").replace("1700000000000 1700000000000", "0 0"), 0);
        String written = NodesDescription.of(st, true);
        for (String line : FILE.split("\n")) {
            if (!line.startsWith("vars")) {
                String expected =
                        line.replace(" 0 1700000000000 2", " 0 0 2").replace("1700000000000 1700000000000", "0 0");
                assertTrue(written.contains(expected + "\n"), () -> expected + "\nnot in\n" + written);
            }
        }
    }

    @Test
    void readsFilesOfOlderRedis() throws NodesConfException {
        // Before 7.2: no aux fields; before 4.0: no bus port either.
        ClusterState st = NodesConfParser.parse(
                A + " 10.0.0.1:7000 myself,master - 0 0 0 connected 0-16383\nvars currentEpoch 0 lastVoteEpoch 0\n", 0);
        assertEquals(17000, st.myself().busPort());
        assertEquals(7000, st.myself().tcpPort());
        assertEquals(40, st.myself().shardId().length());
    }

    @Test
    void anOldFileUnderTlsClusterHoldsTlsPorts() throws NodesConfException {
        // Redis 7.2 reads the single port of an old file as the TLS one when the bus runs over TLS.
        ClusterState st = NodesConfParser.parse(
                A + " 10.0.0.1:8000 myself,master - 0 0 0 connected 0-16383\nvars currentEpoch 0 lastVoteEpoch 0\n",
                0,
                true);
        assertEquals(8000, st.myself().tlsPort());
        assertEquals(0, st.myself().tcpPort());
        assertEquals(18000, st.myself().busPort());
        // A 7.2 file names the TCP port in the address and the TLS port in its aux field, whatever tls-cluster says.
        ClusterState aux = NodesConfParser.parse(
                FILE.replace("7000@17000,host-a,tls-port=0", "7000@17000,host-a,tls-port=8000"), 0, true);
        assertEquals(7000, aux.myself().tcpPort());
        assertEquals(8000, aux.myself().tlsPort());
    }

    @Test
    void aReplicaWithoutShardIdTakesItsMasters() throws NodesConfException {
        ClusterState st = NodesConfParser.parse(
                B + " 10.0.0.2:7001@17001,,tls-port=0,shard-id=" + SB + " master - 0 0 1 connected\n" + C
                        + " 10.0.0.3:7002@17002 myself,slave " + B + " 0 0 0 connected\n",
                0);
        assertEquals(SB, st.myself().shardId());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "AAAA 10.0.0.1:7000@17000 myself,master - 0 0 0|at least 8 fields",
                "short 10.0.0.1:7000@17000 myself,master - 0 0 0 connected|invalid node id",
                "AAAA 10.0.0.1:7000@17000 myself,boss - 0 0 0 connected|unknown flag boss",
                "AAAA 10.0.0.1@17000 myself,master - 0 0 0 connected|no port",
                "AAAA 10.0.0.1:7000@17000,,colour=red myself,master - 0 0 0 connected|unknown aux field colour",
                "AAAA 10.0.0.1:7000@17000,,tls-port myself,master - 0 0 0 connected|invalid aux field",
                "AAAA 10.0.0.1:7000@17000,,tls-port=123456 myself,master - 0 0 0 connected|invalid port",
                "AAAA 10.0.0.1:7000@17000,,shard-id=xyz myself,master - 0 0 0 connected|invalid shard-id",
                "AAAA 10.0.0.1:7000@17000 myself,master - 0 0 0 connected 0-16384|slot out of range",
                "AAAA 10.0.0.1:7000@17000 myself,master - 0 0 0 connected [20000->-AAAA]|slot out of range",
                "AAAA 10.0.0.1:7000@17000 myself,master - 0 0 0 connected [5->-nobody]|invalid node id",
                "AAAA 10.0.0.1:7000@17000 myself,master nobody 0 0 0 connected|invalid master id",
                "vars currentEpoch|name value pairs",
                "AAAA 10.0.0.1:7000@17000 master - 0 0 0 connected|no node is flagged myself",
            })
    void malformedLinesAreRefusedWithTheLineAndTheReason(String line, String reason) {
        String text = line.replace("AAAA", A) + "\n";
        NodesConfException e = assertThrows(NodesConfException.class, () -> NodesConfParser.parse(text, 0));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        if (!reason.startsWith("no node")) {
            assertTrue(
                    e.getMessage().contains("line 1") && e.getMessage().contains(line.replace("AAAA", A)),
                    e.getMessage());
        }
    }

    @Test
    void twoNodesFlaggedMyselfAreRefused() {
        String text = A + " 10.0.0.1:7000@17000 myself,master - 0 0 0 connected\n" + B
                + " 10.0.0.2:7000@17000 myself,master - 0 0 0 connected\n";
        NodesConfException e = assertThrows(NodesConfException.class, () -> NodesConfParser.parse(text, 0));
        assertTrue(e.getMessage().contains("line 2 (two nodes are flagged myself)"), e.getMessage());
    }
}
