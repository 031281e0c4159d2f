package dev.respite.server.cluster.bus;

import dev.respite.server.cluster.NodeFlags;

/**
 * One gossip section of a PING, PONG or MEET: what the sender knows of another node.
 *
 * @param nodename the node's 40-character name
 * @param pingSent when the sender last pinged it, in seconds (0: no ping pending)
 * @param pongReceived when the sender last got its pong, in seconds
 * @param ip the node's address as the sender knows it
 * @param port its primary client port
 * @param cport its cluster bus port
 * @param flags its {@link NodeFlags} as the sender sees them
 * @param pport its secondary client port
 */
public record GossipEntry(
        String nodename, long pingSent, long pongReceived, String ip, int port, int cport, int flags, int pport) {

    public GossipEntry {
        Wire.checkName(nodename, "nodename");
        Wire.checkUnsigned(pingSent, 32, "ping_sent");
        Wire.checkUnsigned(pongReceived, 32, "pong_received");
        Wire.checkText(ip, Wire.IP_LEN, "ip");
        Wire.checkUnsigned(port, 16, "port");
        Wire.checkUnsigned(cport, 16, "cport");
        Wire.checkUnsigned(flags, 16, "flags");
        Wire.checkUnsigned(pport, 16, "pport");
    }
}
