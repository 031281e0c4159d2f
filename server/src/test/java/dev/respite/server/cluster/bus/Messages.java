package dev.respite.server.cluster.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random, valid cluster bus messages for the codec's tests. */
final class Messages {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Messages() {}

    static String name(Random r) {
        char[] c = new char[40];
        for (int i = 0; i < c.length; i++) {
            c[i] = HEX[r.nextInt(16)];
        }
        return new String(c);
    }

    /** Any single-byte text without NUL, up to {@code max} characters. */
    static String text(Random r, int max) {
        char[] c = new char[r.nextInt(max + 1)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) (1 + r.nextInt(255));
        }
        return new String(c);
    }

    static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    static MessageHeader header(Random r) {
        SlotBitmap slots = SlotBitmap.EMPTY;
        for (int i = r.nextInt(4); i > 0; i--) {
            int from = r.nextInt(SlotBitmap.SLOTS);
            slots = slots.withRange(from, Math.min(SlotBitmap.SLOTS - 1, from + r.nextInt(3000)));
        }
        return MessageHeader.builder(name(r))
                .port(r.nextInt(65536))
                .currentEpoch(r.nextLong())
                .configEpoch(r.nextLong())
                .offset(r.nextLong())
                .myslots(slots)
                .slaveof(r.nextBoolean() ? null : name(r))
                .myip(text(r, 46))
                .pport(r.nextInt(65536))
                .cport(r.nextInt(65536))
                .flags(r.nextInt(65536))
                .state(r.nextInt(256))
                .mflags(r.nextInt(1 << 24) & ~4)
                .build();
    }

    static GossipEntry gossip(Random r) {
        return new GossipEntry(
                name(r),
                r.nextInt() & 0xffffffffL,
                r.nextInt() & 0xffffffffL,
                text(r, 46),
                r.nextInt(65536),
                r.nextInt(65536),
                r.nextInt(65536),
                r.nextInt(65536));
    }

    static PingExtension extension(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> new PingExtension.Hostname(text(r, 300));
            case 1 -> new PingExtension.HumanNodename(text(r, 300));
            case 2 -> new PingExtension.ForgottenNode(name(r), r.nextLong());
            case 3 -> new PingExtension.ShardId(name(r));
            default -> new PingExtension.Unknown(4 + r.nextInt(65532), new byte[8 * r.nextInt(20)]);
        };
    }

    static MessageBody body(Random r, int type) {
        MessageType t = MessageType.forCode(type);
        if (t == null) {
            return new MessageBody.Opaque(bytes(r, 500));
        }
        return switch (t) {
            case PING, PONG, MEET -> {
                List<GossipEntry> g = new ArrayList<>();
                for (int i = r.nextInt(12); i > 0; i--) {
                    g.add(gossip(r));
                }
                List<PingExtension> e = new ArrayList<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    e.add(extension(r));
                }
                yield new MessageBody.Ping(g, e);
            }
            case FAIL -> new MessageBody.Fail(name(r));
            case PUBLISH, PUBLISHSHARD -> new MessageBody.Publish(bytes(r, 100), bytes(r, 3000));
            case FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK, MFSTART -> new MessageBody.Empty();
            case UPDATE -> new MessageBody.Update(r.nextLong(), name(r), SlotBitmap.of(r.nextInt(16384)));
            case MODULE -> new MessageBody.Module(r.nextLong(), r.nextInt(256), bytes(r, 2000));
        };
    }

    static ClusterMessage message(Random r) {
        int type = r.nextInt(10) == 0 ? 11 + r.nextInt(65525) : r.nextInt(MessageType.COUNT);
        return new ClusterMessage(type, header(r), body(r, type));
    }
}
