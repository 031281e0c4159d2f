package dev.respite.server.cluster.bus;

import java.util.Arrays;

/**
 * An extension after a ping's gossip sections (Redis 7.x): an 8-byte header (length including the header,
 * type, two unused bytes) and data padded with zeros to a multiple of eight bytes.
 */
public sealed interface PingExtension {
    int HOSTNAME = 0;
    int HUMAN_NODENAME = 1;
    int FORGOTTEN_NODE = 2;
    int SHARD_ID = 3;
    /** Redis reads an extension's length into 16 bits, so longer text would not reach it intact. */
    int MAX_TEXT = 0xffff - Wire.EXT_HEADER - 8;

    /** The wire type code. */
    int type();

    /** The extension's length on the wire, header and padding included. */
    int wireLength();

    /** cluster-announce-hostname, NUL-terminated on the wire. */
    record Hostname(String hostname) implements PingExtension {
        public Hostname {
            Wire.checkText(hostname, MAX_TEXT, "hostname");
        }

        @Override
        public int type() {
            return HOSTNAME;
        }

        @Override
        public int wireLength() {
            return Wire.EXT_HEADER + Wire.align8(hostname.length() + 1);
        }
    }

    /** cluster-announce-human-nodename, NUL-terminated on the wire. */
    record HumanNodename(String nodename) implements PingExtension {
        public HumanNodename {
            Wire.checkText(nodename, MAX_TEXT, "human nodename");
        }

        @Override
        public int type() {
            return HUMAN_NODENAME;
        }

        @Override
        public int wireLength() {
            return Wire.EXT_HEADER + Wire.align8(nodename.length() + 1);
        }
    }

    /** A node CLUSTER FORGET removed, and for how many more seconds receivers must not re-add it. */
    record ForgottenNode(String name, long ttlSeconds) implements PingExtension {
        public ForgottenNode {
            Wire.checkName(name, "forgotten node name");
        }

        @Override
        public int type() {
            return FORGOTTEN_NODE;
        }

        @Override
        public int wireLength() {
            return Wire.EXT_HEADER + Wire.NAME_LEN + 8;
        }
    }

    /** The sender's shard id (CLUSTER MYSHARDID). */
    record ShardId(String shardId) implements PingExtension {
        public ShardId {
            Wire.checkName(shardId, "shard id");
        }

        @Override
        public int type() {
            return SHARD_ID;
        }

        @Override
        public int wireLength() {
            return Wire.EXT_HEADER + Wire.NAME_LEN;
        }
    }

    /** An extension type Redis 7.2 does not know: it skips such extensions, and so do we, keeping the bytes. */
    record Unknown(int type, byte[] data) implements PingExtension {
        public Unknown {
            Wire.checkUnsigned(type, 16, "extension type");
            if (type <= SHARD_ID) {
                throw new IllegalArgumentException("extension type " + type + " is a known one");
            }
            if (data.length % 8 != 0 || data.length > 0xffff - Wire.EXT_HEADER) {
                throw new IllegalArgumentException("extension data must be padded to eight bytes");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int wireLength() {
            return Wire.EXT_HEADER + data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.type == type && Arrays.equals(u.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Unknown[type=" + type + ", " + data.length + " bytes]";
        }
    }
}
