package dev.respite.server.cluster.bus;

import java.util.Arrays;
import java.util.List;

/** The data after a clusterMsg's header; which kind a message carries follows from its type. */
public sealed interface MessageBody {

    /** The body's length on the wire. */
    long wireLength();

    /** PING, PONG and MEET: gossip sections about other nodes, then the 7.x ping extensions. */
    record Ping(List<GossipEntry> gossip, List<PingExtension> extensions) implements MessageBody {
        public Ping {
            gossip = List.copyOf(gossip);
            extensions = List.copyOf(extensions);
            if (gossip.size() > 0xffff || extensions.size() > 0xffff) {
                throw new IllegalArgumentException("at most 65535 gossip sections and extensions");
            }
        }

        @Override
        public long wireLength() {
            long n = (long) Wire.GOSSIP_LEN * gossip.size();
            for (PingExtension e : extensions) {
                n += e.wireLength();
            }
            return n;
        }
    }

    /** FAIL: the named node is failing. */
    record Fail(String nodename) implements MessageBody {
        public Fail {
            Wire.checkName(nodename, "failing node");
        }

        @Override
        public long wireLength() {
            return Wire.FAIL_LEN;
        }
    }

    /** PUBLISH and PUBLISHSHARD: a message for a channel's subscribers on every node. */
    record Publish(byte[] channel, byte[] message) implements MessageBody {
        public Publish {
            channel = channel.clone();
            message = message.clone();
        }

        @Override
        public byte[] channel() {
            return channel.clone();
        }

        @Override
        public byte[] message() {
            return message.clone();
        }

        @Override
        public long wireLength() {
            return Wire.PUBLISH_FIXED + (long) channel.length + message.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Publish p && Arrays.equals(p.channel, channel) && Arrays.equals(p.message, message);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(channel) + Arrays.hashCode(message);
        }

        @Override
        public String toString() {
            return "Publish[" + channel.length + "-byte channel, " + message.length + "-byte message]";
        }
    }

    /** UPDATE: the slots a node serves at a config epoch, sent to a node with an older view. */
    record Update(long configEpoch, String nodename, SlotBitmap slots) implements MessageBody {
        public Update {
            Wire.checkName(nodename, "updated node");
            if (slots == null) {
                throw new IllegalArgumentException("slots are required");
            }
        }

        @Override
        public long wireLength() {
            return Wire.UPDATE_LEN;
        }
    }

    /**
     * MODULE: a module's message. {@code moduleId} travels in the sender's memory order; it is read and written
     * here little-endian, the order of the machines Redis runs on, so the bytes go back out as they came in.
     */
    record Module(long moduleId, int type, byte[] payload) implements MessageBody {
        public Module {
            Wire.checkUnsigned(type, 8, "module message type");
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public long wireLength() {
            return Wire.MODULE_FIXED + (long) payload.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Module m
                    && m.moduleId == moduleId
                    && m.type == type
                    && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(moduleId) * 31 * 31 + type * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Module[id=" + moduleId + ", type=" + type + ", " + payload.length + " bytes]";
        }
    }

    /** FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK and MFSTART: the header says it all. */
    record Empty() implements MessageBody {
        @Override
        public long wireLength() {
            return 0;
        }
    }

    /** A type Redis 7.2 does not know: it takes the packet as well formed, and we keep its bytes. */
    record Opaque(byte[] data) implements MessageBody {
        public Opaque {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public long wireLength() {
            return data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque p && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Opaque[" + data.length + " bytes]";
        }
    }
}
