package dev.respite.server.cluster.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.server.cluster.NodeFlags;
import dev.respite.server.net.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Our codec and links against a real Redis 7.2.5 cluster node: a MEET we encode is accepted, the PONG Redis
 * answers decodes to what CLUSTER MYID, MYSHARDID and ADDSLOTSRANGE set and re-encodes to the same bytes,
 * Redis's handshake PINGs reach our listener and our PONGs complete it, and FAIL and PUBLISH act on Redis.
 */
class RedisClusterInteropTest {
    private static final String REDIS_HOSTNAME = "ref-node.test";

    /** A node of our own on the bus: a listener that answers PING with PONG under its name, as a node does. */
    static final class FakeNode implements ClusterBusHandler, AutoCloseable {
        final String name;
        final String shardId;
        final String hostname;
        final int port;
        final ClusterBus bus;
        final int busPort;
        final BlockingQueue<ClusterMessage> received = new LinkedBlockingQueue<>();

        FakeNode(EventLoop loop, Random r, String hostname, int port) throws InterruptedException {
            this.name = Messages.name(r);
            this.shardId = Messages.name(r);
            this.hostname = hostname;
            this.port = port;
            this.bus = new ClusterBus(loop, Transport.choose("auto"), this, 1 << 20, System::currentTimeMillis);
            this.busPort = bus.listen("127.0.0.1", 0).getPort();
        }

        MessageHeader header() {
            return MessageHeader.builder(name)
                    .port(port)
                    .cport(busPort)
                    .flags(NodeFlags.MASTER)
                    .build();
        }

        ClusterMessage ping(MessageType type) {
            return ClusterMessage.ping(
                    type,
                    header(),
                    List.of(),
                    List.of(new PingExtension.Hostname(hostname), new PingExtension.ShardId(shardId)));
        }

        @Override
        public void received(ClusterLink link, ClusterMessage m) {
            received.add(m);
            if (m.kind() == MessageType.PING || m.kind() == MessageType.MEET) {
                link.send(ping(MessageType.PONG));
            }
        }

        @Override
        public void closed(ClusterLink link) {}

        /** The first received message matching {@code p} within {@code seconds}, skipping others. */
        ClusterMessage await(Predicate<ClusterMessage> p, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                ClusterMessage m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && p.test(m)) {
                    return m;
                }
            }
            throw new AssertionError("no matching message for " + name + " within " + seconds + " s");
        }

        @Override
        public void close() {
            bus.close();
        }
    }

    private static byte[] encode(ClusterMessage m) {
        ByteBuf b = Unpooled.buffer();
        ClusterMessageCodec.encode(m, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] readFrame(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] head = new byte[8];
        in.readFully(head);
        int totlen = Unpooled.wrappedBuffer(head).getInt(4);
        byte[] frame = new byte[totlen];
        System.arraycopy(head, 0, frame, 0, 8);
        in.readFully(frame, 8, totlen - 8);
        return frame;
    }

    private static String nodeLine(ReferenceRedisNode redis, String name) throws IOException {
        for (String line : ((String) redis.call("CLUSTER", "NODES")).split("\n")) {
            if (line.startsWith(name + " ")) {
                return line;
            }
        }
        return null;
    }

    /** Polls CLUSTER NODES until the node's line matches, for at most {@code seconds}; returns the line. */
    private static String awaitNodeLine(ReferenceRedisNode redis, String name, Pattern p, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String line = null;
        while (System.nanoTime() < deadline) {
            line = nodeLine(redis, name);
            if (line != null && p.matcher(line).find()) {
                return line;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("CLUSTER NODES line for " + name + " never matched " + p + ": " + line + "\n"
                + redis.call("CLUSTER", "NODES"));
    }

    @Test
    void meetHandshakeGossipFailAndPublishWithRedis() throws Exception {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        EventLoopGroup group =
                new MultiThreadIoEventLoopGroup(1, Transport.choose("auto").ioHandlerFactory());
        try (ReferenceRedisNode redis = ReferenceRedisNode.startCluster(
                        "--cluster-announce-hostname", REDIS_HOSTNAME, "--cluster-node-timeout", "15000");
                FakeNode a = new FakeNode(group.next(), r, "node-a.test", 31001);
                FakeNode c = new FakeNode(group.next(), r, "node-c.test", 31002);
                Socket meetA = new Socket("127.0.0.1", redis.busPort());
                Socket meetC = new Socket("127.0.0.1", redis.busPort())) {
            assertEquals("OK", redis.call("CLUSTER", "ADDSLOTSRANGE", "0", "100"));
            String redisId = (String) redis.call("CLUSTER", "MYID");
            String redisShard = (String) redis.call("CLUSTER", "MYSHARDID");
            Matcher epoch =
                    Pattern.compile("cluster_current_epoch:(\\d+)").matcher((String) redis.call("CLUSTER", "INFO"));
            assertTrue(epoch.find());
            meetA.setSoTimeout(10_000);

            // Our MEET, then the PONG Redis answers on the same connection.
            meetA.getOutputStream().write(encode(a.ping(MessageType.MEET)));
            byte[] frame = readFrame(meetA);
            ClusterMessage pong = ClusterMessageCodec.decode(Unpooled.wrappedBuffer(frame));
            assertEquals(MessageType.PONG, pong.kind());
            MessageHeader h = pong.header();
            assertEquals(redisId, h.sender());
            assertEquals(SlotBitmap.ofRange(0, 100), h.myslots());
            assertEquals(101, h.myslots().count());
            assertEquals(redis.port(), h.port());
            assertEquals(redis.busPort(), h.cport());
            assertEquals(NodeFlags.MASTER | NodeFlags.MYSELF, h.flags());
            assertEquals(Long.parseLong(epoch.group(1)), h.currentEpoch());
            assertNull(h.slaveof());
            assertEquals("", h.myip(), "no cluster-announce-ip: the receiver takes the socket's address");
            MessageBody.Ping body = (MessageBody.Ping) pong.body();
            assertEquals(List.of(), body.gossip(), "Redis knows only itself and our node in handshake");
            assertTrue(
                    body.extensions().contains(new PingExtension.ShardId(redisShard)),
                    body.extensions().toString());
            assertTrue(body.extensions().contains(new PingExtension.Hostname(REDIS_HOSTNAME)));
            assertArrayEquals(frame, encode(pong), "re-encoding Redis's PONG gives back its bytes");

            // Redis connects to our listener and PINGs; our PONG completes the handshake.
            ClusterMessage ping = a.await(m -> m.kind() == MessageType.PING, 10);
            assertEquals(redisId, ping.header().sender());
            assertEquals(SlotBitmap.ofRange(0, 100), ping.header().myslots());
            assertTrue(((MessageBody.Ping) ping.body()).extensions().contains(new PingExtension.ShardId(redisShard)));
            String aLine = awaitNodeLine(
                    redis,
                    a.name,
                    Pattern.compile(Pattern.quote("127.0.0.1:31001@" + a.busPort + ",node-a.test")
                            + " master - \\d+ \\d+ 0 connected$"),
                    10);
            assertTrue(aLine.endsWith(" connected"), aLine);

            // A second node: once it is known, Redis's pings to the first gossip about it.
            meetC.setSoTimeout(10_000);
            meetC.getOutputStream().write(encode(c.ping(MessageType.MEET)));
            assertEquals(
                    MessageType.PONG,
                    ClusterMessageCodec.decode(Unpooled.wrappedBuffer(readFrame(meetC)))
                            .kind());
            awaitNodeLine(redis, c.name, Pattern.compile(" master - \\d+ \\d+ 0 connected$"), 10);
            ClusterMessage gossiping = a.await(
                    m -> m.kind() == MessageType.PING
                            && ((MessageBody.Ping) m.body())
                                    .gossip().stream()
                                            .anyMatch(g -> g.nodename().equals(c.name)),
                    20);
            MessageBody.Ping gp = (MessageBody.Ping) gossiping.body();
            assertTrue(
                    gp.gossip().size() >= 1 && gp.gossip().size() <= 3,
                    gp.gossip().toString());
            GossipEntry aboutC = gp.gossip().stream()
                    .filter(g -> g.nodename().equals(c.name))
                    .findFirst()
                    .orElseThrow();
            assertEquals("127.0.0.1", aboutC.ip());
            assertEquals(31002, aboutC.port());
            assertEquals(c.busPort, aboutC.cport());
            assertEquals(NodeFlags.MASTER, aboutC.flags());
            assertTrue(aboutC.pongReceived() > 0, "Redis has had a pong from it");
            assertTrue(gp.extensions().contains(new PingExtension.Hostname(REDIS_HOSTNAME)));

            // FAIL from our first node about the second: Redis flags it at once, long before its node timeout.
            c.close();
            meetA.getOutputStream()
                    .write(encode(new ClusterMessage(MessageType.FAIL, a.header(), new MessageBody.Fail(c.name))));
            awaitNodeLine(redis, c.name, Pattern.compile(" master,fail - "), 5);

            // PUBLISH over the bus reaches a subscriber on Redis.
            try (ReferenceRedisNode.Conn sub = redis.connect()) {
                sub.send("SUBSCRIBE", "news");
                assertEquals(List.of("subscribe", "news", 1L), sub.read());
                meetA.getOutputStream()
                        .write(encode(new ClusterMessage(
                                MessageType.PUBLISH,
                                a.header(),
                                new MessageBody.Publish("news".getBytes(), "hello over the bus".getBytes()))));
                assertEquals(List.of("message", "news", "hello over the bus"), sub.read());
            }
            Matcher received = Pattern.compile("cluster_stats_messages_publish_received:(\\d+)")
                    .matcher((String) redis.call("CLUSTER", "INFO"));
            assertTrue(received.find());
            assertEquals("1", received.group(1));
            assertNotNull(nodeLine(redis, a.name));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (seed " + seed + ")", e);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
