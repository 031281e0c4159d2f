package dev.respite.server.cluster.bus;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.2's clusterMsg wire format: big-endian integers, fixed-width names, and the length rules Redis
 * checks before it trusts a packet (the reading of clusterReadHandler and clusterProcessPacket).
 */
public final class ClusterMessageCodec {
    private ClusterMessageCodec() {}

    /** Writes {@code m} at the writer index: exactly {@link ClusterMessage#wireLength()} bytes. */
    public static void encode(ClusterMessage m, ByteBuf out) {
        MessageHeader h = m.header();
        MessageBody body = m.body();
        int count = 0;
        int extensions = 0;
        int mflags = h.mflags();
        if (body instanceof MessageBody.Ping p) {
            count = p.gossip().size();
            extensions = p.extensions().size();
            if (extensions > 0) {
                mflags |= Wire.MFLAG_EXT_DATA;
            }
        }
        out.writeBytes(Wire.SIGNATURE);
        out.writeInt((int) m.wireLength());
        out.writeShort(Wire.VERSION);
        out.writeShort(h.port());
        out.writeShort(m.type());
        out.writeShort(count);
        out.writeLong(h.currentEpoch());
        out.writeLong(h.configEpoch());
        out.writeLong(h.offset());
        Wire.writeName(out, h.sender());
        h.myslots().write(out);
        Wire.writeName(out, h.slaveof());
        Wire.writePadded(out, h.myip(), Wire.IP_LEN);
        out.writeShort(extensions);
        out.writeZero(Wire.HEADER_RESERVED);
        out.writeShort(h.pport());
        out.writeShort(h.cport());
        out.writeShort(h.flags());
        out.writeByte(h.state());
        out.writeMediumLE(mflags);
        writeBody(body, out);
    }

    private static void writeBody(MessageBody body, ByteBuf out) {
        if (body instanceof MessageBody.Ping p) {
            for (GossipEntry g : p.gossip()) {
                writeGossip(g, out);
            }
            for (PingExtension e : p.extensions()) {
                writeExtension(e, out);
            }
        } else if (body instanceof MessageBody.Fail f) {
            Wire.writeName(out, f.nodename());
        } else if (body instanceof MessageBody.Publish p) {
            byte[] channel = p.channel();
            byte[] message = p.message();
            out.writeInt(channel.length);
            out.writeInt(message.length);
            out.writeBytes(channel);
            out.writeBytes(message);
        } else if (body instanceof MessageBody.Update u) {
            out.writeLong(u.configEpoch());
            Wire.writeName(out, u.nodename());
            u.slots().write(out);
        } else if (body instanceof MessageBody.Module mod) {
            byte[] payload = mod.payload();
            out.writeLongLE(mod.moduleId());
            out.writeInt(payload.length);
            out.writeByte(mod.type());
            out.writeBytes(payload);
        } else if (body instanceof MessageBody.Opaque o) {
            out.writeBytes(o.data());
        }
    }

    private static void writeGossip(GossipEntry g, ByteBuf out) {
        Wire.writeName(out, g.nodename());
        out.writeInt((int) g.pingSent());
        out.writeInt((int) g.pongReceived());
        Wire.writePadded(out, g.ip(), Wire.IP_LEN);
        out.writeShort(g.port());
        out.writeShort(g.cport());
        out.writeShort(g.flags());
        out.writeShort(g.pport());
        out.writeShort(0);
    }

    private static void writeExtension(PingExtension e, ByteBuf out) {
        int length = e.wireLength();
        out.writeInt(length);
        out.writeShort(e.type());
        out.writeShort(0);
        if (e instanceof PingExtension.Hostname h) {
            Wire.writePadded(out, h.hostname(), length - Wire.EXT_HEADER);
        } else if (e instanceof PingExtension.HumanNodename h) {
            Wire.writePadded(out, h.nodename(), length - Wire.EXT_HEADER);
        } else if (e instanceof PingExtension.ForgottenNode f) {
            Wire.writeName(out, f.name());
            out.writeLong(f.ttlSeconds());
        } else if (e instanceof PingExtension.ShardId s) {
            Wire.writeName(out, s.shardId());
        } else if (e instanceof PingExtension.Unknown u) {
            out.writeBytes(u.data());
        }
    }

    /**
     * The total length a frame announces in its first 8 bytes (signature and totlen), checked as Redis checks it
     * before reading the rest; -1 when fewer than 8 bytes are readable.
     *
     * @throws BusProtocolException (closing the link) for a bad signature or a length shorter than the header
     */
    public static long frameLength(ByteBuf in) {
        if (in.readableBytes() < 8) {
            return -1;
        }
        int at = in.readerIndex();
        for (int i = 0; i < 4; i++) {
            if (in.getByte(at + i) != Wire.SIGNATURE[i]) {
                throw BusProtocolException.fatal("Bad message signature on the cluster bus");
            }
        }
        long totlen = in.getUnsignedInt(at + 4);
        if (totlen < Wire.HEADER_LEN) {
            throw BusProtocolException.fatal("Bad message length on the cluster bus: " + totlen
                    + " is shorter than the " + Wire.HEADER_LEN + "-byte header");
        }
        return totlen;
    }

    /**
     * Reads the message at the reader index. Once the frame itself is sound (signature, totlen within the
     * readable bytes) its totlen bytes are consumed whatever follows, so a dropped packet leaves the buffer at
     * the next frame.
     *
     * @throws BusProtocolException for any input that is not a valid message, and never another exception
     */
    public static ClusterMessage decode(ByteBuf in) {
        long totlen = frameLength(in);
        if (totlen < 0) {
            throw BusProtocolException.fatal("Truncated cluster bus message: " + in.readableBytes() + " bytes");
        }
        if (totlen > in.readableBytes()) {
            throw BusProtocolException.fatal(
                    "Truncated cluster bus message: totlen " + totlen + " but " + in.readableBytes() + " bytes");
        }
        ByteBuf f = in.slice(in.readerIndex(), (int) totlen);
        in.skipBytes((int) totlen);
        try {
            return decodeFrame(f, (int) totlen);
        } catch (IndexOutOfBoundsException e) {
            // The length checks below keep every read inside the frame; this only turns a missed one into a drop.
            throw BusProtocolException.dropped("Malformed cluster bus message: " + e.getMessage());
        }
    }

    private static ClusterMessage decodeFrame(ByteBuf f, int totlen) {
        int version = f.getUnsignedShort(8);
        if (version != Wire.VERSION) {
            throw BusProtocolException.dropped("Cluster bus protocol version " + version + " is not " + Wire.VERSION);
        }
        int type = f.getUnsignedShort(12);
        int count = f.getUnsignedShort(14);
        int extensions = f.getUnsignedShort(2214);
        int mflags = f.getUnsignedMediumLE(2253);
        MessageType t = MessageType.forCode(type);
        long explen = expectedLength(f, t, count, extensions, mflags, totlen);
        if (explen != totlen) {
            throw BusProtocolException.dropped("Received invalid " + (t == null ? "unknown" : t.statName())
                    + " packet of length " + totlen + " but expected length " + explen);
        }
        f.readerIndex(10);
        int port = f.readUnsignedShort();
        f.skipBytes(4);
        long currentEpoch = f.readLong();
        long configEpoch = f.readLong();
        long offset = f.readLong();
        String sender = Wire.readName(f);
        SlotBitmap myslots = SlotBitmap.read(f);
        String slaveof = Wire.readOptionalName(f);
        String myip = Wire.readCString(f, Wire.IP_LEN);
        f.skipBytes(2 + Wire.HEADER_RESERVED);
        int pport = f.readUnsignedShort();
        int cport = f.readUnsignedShort();
        int flags = f.readUnsignedShort();
        int state = f.readUnsignedByte();
        f.skipBytes(3);
        MessageHeader header = new MessageHeader(
                port,
                currentEpoch,
                configEpoch,
                offset,
                sender,
                myslots,
                slaveof,
                myip,
                pport,
                cport,
                flags,
                state,
                mflags & ~Wire.MFLAG_EXT_DATA);
        boolean withExtensions = (mflags & Wire.MFLAG_EXT_DATA) != 0;
        MessageBody body = t == null
                ? new MessageBody.Opaque(bytes(f, f.readableBytes()))
                : readBody(f, t, count, withExtensions ? extensions : 0);
        return new ClusterMessage(type, header, body);
    }

    /** The length Redis computes for a packet of this type from its own fields; totlen must equal it. */
    private static long expectedLength(ByteBuf f, MessageType t, int count, int extensions, int mflags, int totlen) {
        long explen = Wire.HEADER_LEN;
        if (t == null) {
            return totlen;
        }
        switch (t) {
            case PING, PONG, MEET -> {
                explen += (long) Wire.GOSSIP_LEN * count;
                if ((mflags & Wire.MFLAG_EXT_DATA) != 0) {
                    for (int i = 0; i < extensions; i++) {
                        if (explen + Wire.EXT_HEADER > totlen) {
                            throw BusProtocolException.dropped("Received invalid " + t.statName()
                                    + " packet with extension data that exceeds total packet length (" + totlen + ")");
                        }
                        long extlen = f.getUnsignedInt((int) explen);
                        if (extlen % 8 != 0 || extlen < Wire.EXT_HEADER) {
                            throw BusProtocolException.dropped("Received a " + t.statName()
                                    + " packet without proper padding (" + extlen + " bytes)");
                        }
                        if (totlen - explen < extlen) {
                            throw BusProtocolException.dropped("Received invalid " + t.statName()
                                    + " packet with extension data that exceeds total packet length (" + totlen + ")");
                        }
                        explen += extlen;
                    }
                }
            }
            case FAIL -> explen += Wire.FAIL_LEN;
            case PUBLISH, PUBLISHSHARD -> {
                if (totlen < Wire.HEADER_LEN + Wire.PUBLISH_FIXED) {
                    return explen + Wire.PUBLISH_FIXED;
                }
                explen +=
                        Wire.PUBLISH_FIXED + f.getUnsignedInt(Wire.HEADER_LEN) + f.getUnsignedInt(Wire.HEADER_LEN + 4);
            }
            case FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK, MFSTART -> {}
            case UPDATE -> explen += Wire.UPDATE_LEN;
            case MODULE -> {
                if (totlen < Wire.HEADER_LEN + Wire.MODULE_FIXED) {
                    return explen + Wire.MODULE_FIXED;
                }
                explen += Wire.MODULE_FIXED + f.getUnsignedInt(Wire.HEADER_LEN + 8);
            }
        }
        return explen;
    }

    private static MessageBody readBody(ByteBuf f, MessageType t, int count, int extensions) {
        return switch (t) {
            case PING, PONG, MEET -> {
                List<GossipEntry> gossip = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    gossip.add(readGossip(f));
                }
                List<PingExtension> ext = new ArrayList<>(extensions);
                for (int i = 0; i < extensions; i++) {
                    ext.add(readExtension(f, t));
                }
                yield new MessageBody.Ping(gossip, ext);
            }
            case FAIL -> new MessageBody.Fail(Wire.readName(f));
            case PUBLISH, PUBLISHSHARD -> {
                int channelLen = (int) f.readUnsignedInt();
                int messageLen = (int) f.readUnsignedInt();
                yield new MessageBody.Publish(bytes(f, channelLen), bytes(f, messageLen));
            }
            case FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK, MFSTART -> new MessageBody.Empty();
            case UPDATE -> new MessageBody.Update(f.readLong(), Wire.readName(f), SlotBitmap.read(f));
            case MODULE -> {
                long id = f.readLongLE();
                int len = (int) f.readUnsignedInt();
                int type = f.readUnsignedByte();
                yield new MessageBody.Module(id, type, bytes(f, len));
            }
        };
    }

    private static GossipEntry readGossip(ByteBuf f) {
        String name = Wire.readName(f);
        long pingSent = f.readUnsignedInt();
        long pongReceived = f.readUnsignedInt();
        String ip = Wire.readCString(f, Wire.IP_LEN);
        int port = f.readUnsignedShort();
        int cport = f.readUnsignedShort();
        int flags = f.readUnsignedShort();
        int pport = f.readUnsignedShort();
        f.skipBytes(2);
        return new GossipEntry(name, pingSent, pongReceived, ip, port, cport, flags, pport);
    }

    private static PingExtension readExtension(ByteBuf f, MessageType t) {
        int length = (int) f.readUnsignedInt();
        int type = f.readUnsignedShort();
        f.skipBytes(2);
        int dataLen = length - Wire.EXT_HEADER;
        ByteBuf data = f.readSlice(dataLen);
        return switch (type) {
            case PingExtension.HOSTNAME -> new PingExtension.Hostname(text(data, t, "hostname"));
            case PingExtension.HUMAN_NODENAME -> new PingExtension.HumanNodename(text(data, t, "human nodename"));
            case PingExtension.FORGOTTEN_NODE -> {
                need(data, Wire.NAME_LEN + 8, t, "forgotten node");
                yield new PingExtension.ForgottenNode(Wire.readName(data), data.readLong());
            }
            case PingExtension.SHARD_ID -> {
                need(data, Wire.NAME_LEN, t, "shard id");
                yield new PingExtension.ShardId(Wire.readName(data));
            }
            default -> {
                if (dataLen > 0xffff - Wire.EXT_HEADER) {
                    throw BusProtocolException.dropped("Received a " + t.statName() + " packet with a " + length
                            + "-byte extension of unknown type " + type);
                }
                yield new PingExtension.Unknown(type, bytes(data, dataLen));
            }
        };
    }

    private static void need(ByteBuf data, int len, MessageType t, String what) {
        if (data.readableBytes() < len) {
            throw BusProtocolException.dropped("Received a " + t.statName() + " packet with a " + what
                    + " extension of " + data.readableBytes() + " bytes, short of " + len);
        }
    }

    private static String text(ByteBuf data, MessageType t, String what) {
        int end = data.indexOf(data.readerIndex(), data.writerIndex(), (byte) 0);
        if (end < 0 || end - data.readerIndex() > PingExtension.MAX_TEXT) {
            throw BusProtocolException.dropped(
                    "Received a " + t.statName() + " packet with a " + what + " extension that is not NUL-terminated");
        }
        return data.toString(
                data.readerIndex(), end - data.readerIndex(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(ByteBuf f, int len) {
        byte[] b = new byte[len];
        f.readBytes(b);
        return b;
    }
}
