package dev.respite.server.pubsub;

import java.util.Arrays;

/** A channel or pattern name: binary-safe bytes with value equality, usable as a map key. */
record ChannelName(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelName n && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
