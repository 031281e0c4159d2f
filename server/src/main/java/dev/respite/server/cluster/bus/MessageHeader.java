package dev.respite.server.cluster.bus;

import dev.respite.server.cluster.NodeFlags;

/**
 * The fields every clusterMsg carries about its sender. The wire-only fields (signature, totlen, version,
 * type, gossip count, extension count and the extension flag) are derived by the codec.
 *
 * @param port the sender's primary client port (TCP, or TLS with tls-cluster)
 * @param currentEpoch the sender's currentEpoch
 * @param configEpoch the config epoch of the sender, or of its master when it is a replica
 * @param offset the sender's replication offset
 * @param sender the sender's 40-character node name
 * @param myslots the slots the sender (or its master) serves
 * @param slaveof the sender's master, null for a master
 * @param myip the announced IP (cluster-announce-ip), empty to let the receiver take the socket's address
 * @param pport the secondary client port (TLS when port is TCP, and the reverse)
 * @param cport the sender's cluster bus port
 * @param flags the sender's {@link NodeFlags}
 * @param state the cluster state as the sender sees it: 0 ok, 1 fail
 * @param mflags mflags[0..2] as one little-endian 24-bit value without the extension bit, which the codec owns;
 *     see {@link #PAUSED} and {@link #FORCE_ACK}
 */
public record MessageHeader(
        int port,
        long currentEpoch,
        long configEpoch,
        long offset,
        String sender,
        SlotBitmap myslots,
        String slaveof,
        String myip,
        int pport,
        int cport,
        int flags,
        int state,
        int mflags) {

    /** mflags[0]: a master paused for a manual failover. */
    public static final int PAUSED = 1;
    /** mflags[0]: acknowledge a FAILOVER_AUTH_REQUEST even though the master is up (manual failover). */
    public static final int FORCE_ACK = 1 << 1;

    public MessageHeader {
        Wire.checkName(sender, "sender");
        if (slaveof != null) {
            Wire.checkName(slaveof, "slaveof");
        }
        if (myslots == null) {
            throw new IllegalArgumentException("myslots is required");
        }
        Wire.checkText(myip, Wire.IP_LEN, "myip");
        Wire.checkUnsigned(port, 16, "port");
        Wire.checkUnsigned(pport, 16, "pport");
        Wire.checkUnsigned(cport, 16, "cport");
        Wire.checkUnsigned(flags, 16, "flags");
        Wire.checkUnsigned(state, 8, "state");
        Wire.checkUnsigned(mflags, 24, "mflags");
        if ((mflags & Wire.MFLAG_EXT_DATA) != 0) {
            throw new IllegalArgumentException("the extension flag follows from a ping's extensions");
        }
    }

    public static Builder builder(String sender) {
        return new Builder(sender);
    }

    public Builder toBuilder() {
        return new Builder(sender)
                .port(port)
                .currentEpoch(currentEpoch)
                .configEpoch(configEpoch)
                .offset(offset)
                .myslots(myslots)
                .slaveof(slaveof)
                .myip(myip)
                .pport(pport)
                .cport(cport)
                .flags(flags)
                .state(state)
                .mflags(mflags);
    }

    /** Header fields with defaults: no slots, no master, no announced IP, everything else zero. */
    public static final class Builder {
        private final String sender;
        private int port;
        private long currentEpoch;
        private long configEpoch;
        private long offset;
        private SlotBitmap myslots = SlotBitmap.EMPTY;
        private String slaveof;
        private String myip = "";
        private int pport;
        private int cport;
        private int flags;
        private int state;
        private int mflags;

        private Builder(String sender) {
            this.sender = sender;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder currentEpoch(long v) {
            currentEpoch = v;
            return this;
        }

        public Builder configEpoch(long v) {
            configEpoch = v;
            return this;
        }

        public Builder offset(long v) {
            offset = v;
            return this;
        }

        public Builder myslots(SlotBitmap v) {
            myslots = v;
            return this;
        }

        public Builder slaveof(String v) {
            slaveof = v;
            return this;
        }

        public Builder myip(String v) {
            myip = v;
            return this;
        }

        public Builder pport(int v) {
            pport = v;
            return this;
        }

        public Builder cport(int v) {
            cport = v;
            return this;
        }

        public Builder flags(int v) {
            flags = v;
            return this;
        }

        public Builder state(int v) {
            state = v;
            return this;
        }

        public Builder mflags(int v) {
            mflags = v;
            return this;
        }

        public MessageHeader build() {
            return new MessageHeader(
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
                    mflags);
        }
    }
}
