package dev.respite.server.cluster.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterBusTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);

    private final Transport transport = Transport.choose("auto");
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, transport.ioHandlerFactory());
    private final EventLoop loopA = group.next();
    private final EventLoop loopB = group.next();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Records what the bus reports, and answers PING and MEET with PONG as a node does. */
    static final class Recorder implements ClusterBusHandler {
        final String myName;
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        Recorder(String myName) {
            this.myName = myName;
        }

        @Override
        public void connected(ClusterLink link) {
            events.add("connected " + link.direction());
        }

        @Override
        public void received(ClusterLink link, ClusterMessage m) {
            events.add(m);
            if (m.kind() == MessageType.PING || m.kind() == MessageType.MEET) {
                link.send(ClusterMessage.ping(MessageType.PONG, header(myName), List.of(), List.of()));
            }
        }

        @Override
        public void dropped(ClusterLink link, BusProtocolException reason) {
            events.add(reason);
        }

        @Override
        public void closed(ClusterLink link) {
            events.add(link);
        }

        Object next() throws InterruptedException {
            Object e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no bus event within 10 s");
            return e;
        }
    }

    static MessageHeader header(String name) {
        return MessageHeader.builder(name)
                .port(7000)
                .cport(17000)
                .flags(NodeFlags.MASTER)
                .build();
    }

    static <T> T on(EventLoop loop, Callable<T> c) throws Exception {
        return loop.submit(c).get(10, TimeUnit.SECONDS);
    }

    private static byte[] bytes(ClusterMessage m) {
        ByteBuf b = Unpooled.buffer();
        ClusterMessageCodec.encode(m, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static ClusterMessage read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] head = new byte[8];
        d.readFully(head);
        int totlen = Unpooled.wrappedBuffer(head).getInt(4);
        byte[] frame = new byte[totlen];
        System.arraycopy(head, 0, frame, 0, 8);
        d.readFully(frame, 8, totlen - 8);
        return ClusterMessageCodec.decode(Unpooled.wrappedBuffer(frame));
    }

    @Test
    void twoBusesMeetAndPong() throws Exception {
        long[] now = {1_700_000_000_000L};
        Recorder ra = new Recorder(A);
        Recorder rb = new Recorder(B);
        ClusterBus a = new ClusterBus(loopA, transport, ra, 1 << 20, () -> now[0]);
        ClusterBus b = new ClusterBus(loopB, transport, rb, 1 << 20, () -> now[0]);
        InetSocketAddress addr = b.listen("127.0.0.1", 0);
        ClusterLink out = on(loopA, () -> {
            ClusterLink l = a.connect("127.0.0.1", addr.getPort(), 5000);
            l.send(ClusterMessage.ping(MessageType.MEET, header(A), List.of(), List.of(new PingExtension.ShardId(B))));
            return l;
        });
        assertEquals(ClusterLink.Direction.TO, out.direction());
        assertEquals("to", out.direction().toString());
        assertEquals(now[0], out.createTime());
        assertEquals("connected to", ra.next());
        assertEquals("connected from", rb.next());
        ClusterMessage meet = (ClusterMessage) rb.next();
        assertEquals(MessageType.MEET, meet.kind());
        assertEquals(List.of(new PingExtension.ShardId(B)), ((MessageBody.Ping) meet.body()).extensions());
        ClusterMessage pong = (ClusterMessage) ra.next();
        assertEquals(MessageType.PONG, pong.kind());
        assertEquals(B, pong.header().sender());

        assertEquals(1, on(loopA, () -> a.statistics().sent(MessageType.MEET)));
        assertEquals(1, on(loopA, () -> a.statistics().received(MessageType.PONG)));
        assertEquals(1, on(loopB, () -> b.statistics().received(MessageType.MEET)));
        assertEquals(0L, on(loopA, out::sendBufferBytes));
        assertEquals("r", on(loopA, out::events));
        ClusterLink in = on(loopB, () -> b.links().iterator().next());
        assertEquals(ClusterLink.Direction.FROM, in.direction());
        on(loopA, () -> {
            out.nodeName(B);
            return null;
        });
        assertEquals(B, out.nodeName());
        assertThrows(IllegalArgumentException.class, () -> out.nodeName("nope"));
        assertThrows(
                IllegalStateException.class,
                () -> out.send(ClusterMessage.ping(MessageType.PING, header(A), List.of(), List.of())),
                "only from the loop");

        now[0] += 1234;
        on(loopA, () -> {
            out.close();
            return null;
        });
        assertSame(out, ra.next());
        assertSame(in, rb.next(), "the peer sees the link close");
        assertEquals(now[0], in.closeTime());
        assertTrue(on(loopA, () -> a.links().isEmpty()));
        assertFalse(on(loopA, () -> out.send(ClusterMessage.ping(MessageType.PING, header(A), List.of(), List.of()))));
        a.close();
        b.close();
    }

    @Test
    void framesSplitAndJoinedAnyWayDecode() throws Exception {
        Recorder r = new Recorder(B);
        ClusterBus bus = new ClusterBus(loopB, transport, r, 1 << 20, System::currentTimeMillis);
        InetSocketAddress addr = bus.listen("127.0.0.1", 0);
        byte[] ping = bytes(ClusterMessage.ping(MessageType.PING, header(A), List.of(), List.of()));
        byte[] fail = bytes(new ClusterMessage(MessageType.FAIL, header(A), new MessageBody.Fail(B)));
        byte[] badVersion = ping.clone();
        badVersion[9] = 7;
        try (Socket s = new Socket("127.0.0.1", addr.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            assertEquals("connected from", r.next());
            for (byte x : fail) {
                out.write(x);
                out.flush();
            }
            assertEquals(MessageType.FAIL, ((ClusterMessage) r.next()).kind());
            byte[] joined = new byte[badVersion.length + ping.length];
            System.arraycopy(badVersion, 0, joined, 0, badVersion.length);
            System.arraycopy(ping, 0, joined, badVersion.length, ping.length);
            out.write(joined);
            out.flush();
            BusProtocolException dropped = (BusProtocolException) r.next();
            assertTrue(dropped.getMessage().contains("version 7"));
            assertEquals(MessageType.PING, ((ClusterMessage) r.next()).kind(), "the link kept reading");
            assertEquals(MessageType.PONG, read(s.getInputStream()).kind());
            assertEquals(2, on(loopB, () -> bus.statistics().received(MessageType.PING)), "counted before validation");

            byte[] bad = ping.clone();
            bad[0] = 'X';
            out.write(bad);
            out.flush();
            assertTrue(r.next() instanceof ClusterLink, "a bad signature closes the link");
            assertEquals(-1, s.getInputStream().read());
        }
        bus.close();
    }

    @Test
    void oversizedFrameClosesTheLink() throws Exception {
        Recorder r = new Recorder(B);
        ClusterBus bus = new ClusterBus(loopB, transport, r, 4096, System::currentTimeMillis);
        InetSocketAddress addr = bus.listen("127.0.0.1", 0);
        byte[] pub = bytes(new ClusterMessage(
                MessageType.PUBLISH, header(A), new MessageBody.Publish(new byte[1], new byte[5000])));
        try (Socket s = new Socket("127.0.0.1", addr.getPort())) {
            s.setSoTimeout(10_000);
            assertEquals("connected from", r.next());
            s.getOutputStream().write(pub, 0, 8);
            s.getOutputStream().flush();
            assertTrue(r.next() instanceof ClusterLink);
            assertEquals(-1, s.getInputStream().read());
        }
        bus.close();
    }

    /** A node whose keyspace thread is busy does not answer the bus, as Redis during DEBUG SLEEP. */
    @Test
    void aStalledLoopStopsAnswering() throws Exception {
        Recorder r = new Recorder(B);
        ClusterBus bus = new ClusterBus(loopB, transport, r, 1 << 20, System::currentTimeMillis);
        InetSocketAddress addr = bus.listen("127.0.0.1", 0);
        byte[] ping = bytes(ClusterMessage.ping(MessageType.PING, header(A), List.of(), List.of()));
        try (Socket s = new Socket("127.0.0.1", addr.getPort())) {
            assertEquals("connected from", r.next());
            s.getOutputStream().write(ping);
            s.setSoTimeout(10_000);
            assertEquals(MessageType.PONG, read(s.getInputStream()).kind(), "an idle loop answers");
            java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
            loopB.execute(() -> {
                stalled.countDown();
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // The ping must arrive once the loop is busy, not together with the task's wake-up.
            assertTrue(stalled.await(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            s.getOutputStream().write(ping);
            s.setSoTimeout(700);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "no answer while stalled");
            s.setSoTimeout(10_000);
            assertEquals(MessageType.PONG, read(s.getInputStream()).kind(), "answered once the loop is free");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1400));
        }
        bus.close();
    }

    @Test
    void sendBufferGrowsWhileThePeerDoesNotReadAndTheLimitClosesTheLink() throws Exception {
        Recorder r = new Recorder(B);
        ClusterBus bus = new ClusterBus(loopB, transport, r, 1 << 20, System::currentTimeMillis);
        InetSocketAddress addr = bus.listen("127.0.0.1", 0);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(addr);
            assertEquals("connected from", r.next());
            ClusterMessage big = new ClusterMessage(
                    MessageType.PUBLISH, header(B), new MessageBody.Publish(new byte[1], new byte[1 << 20]));
            long queued = on(loopB, () -> {
                ClusterLink link = bus.links().iterator().next();
                for (int i = 0; i < 64; i++) {
                    link.send(big);
                }
                return link.sendBufferBytes();
            });
            assertTrue(queued > 8L << 20, "64 MiB cannot all fit in loopback socket buffers: " + queued);
            assertEquals("rw", on(loopB, () -> bus.links().iterator().next().events()));
            assertEquals(0, on(loopB, () -> bus.enforceSendBufferLimit(0)), "0 is no limit");
            assertEquals(1, on(loopB, () -> bus.enforceSendBufferLimit(1 << 20)));
            assertTrue(r.next() instanceof ClusterLink);
            assertEquals(1, on(loopB, () -> bus.statistics().linksOverSendBufferLimit()));
            assertEquals(0L, on(loopB, bus::sendBufferBytes));
        }
        bus.close();
    }

    @Test
    void messagesSentWhileConnectingWaitForTheConnection() throws Exception {
        Recorder ra = new Recorder(A);
        Recorder rb = new Recorder(B);
        ClusterBus a = new ClusterBus(loopA, transport, ra, 1 << 20, System::currentTimeMillis);
        ClusterBus b = new ClusterBus(loopB, transport, rb, 1 << 20, System::currentTimeMillis);
        InetSocketAddress addr = b.listen("127.0.0.1", 0);
        on(loopA, () -> {
            ClusterLink l = a.connect("127.0.0.1", addr.getPort(), 5000);
            assertFalse(l.isConnected());
            for (int i = 0; i < 3; i++) {
                l.send(new ClusterMessage(MessageType.FAIL, header(A), new MessageBody.Fail(B)));
            }
            return null;
        });
        assertEquals("connected to", ra.next());
        assertEquals("connected from", rb.next());
        for (int i = 0; i < 3; i++) {
            assertEquals(MessageType.FAIL, ((ClusterMessage) rb.next()).kind());
        }
        a.close();
        b.close();
    }

    @Test
    void aRefusedConnectionClosesTheLink() throws Exception {
        Recorder ra = new Recorder(A);
        ClusterBus a = new ClusterBus(loopA, transport, ra, 1 << 20, System::currentTimeMillis);
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        ClusterLink l = on(loopA, () -> a.connect("127.0.0.1", port, 5000));
        assertSame(l, ra.next(), "closed without connecting");
        assertNull(ra.events.poll(200, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class, () -> a.connect("127.0.0.1", port, 5000), "only on the loop");
        a.close();
    }
}
