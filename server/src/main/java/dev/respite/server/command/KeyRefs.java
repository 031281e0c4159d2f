package dev.respite.server.command;

import java.util.Arrays;

/**
 * The keys found in one command's arguments: their positions and each one's key spec flags. Reused from
 * command to command on the keyspace thread, so finding keys allocates nothing once it has grown.
 */
public final class KeyRefs {
    private int[] positions = new int[8];
    private int[] flags = new int[8];
    private int size;

    public void clear() {
        size = 0;
    }

    public void add(int position, int keyFlags) {
        if (size == positions.length) {
            positions = Arrays.copyOf(positions, size * 2);
            flags = Arrays.copyOf(flags, size * 2);
        }
        positions[size] = position;
        flags[size] = keyFlags;
        size++;
    }

    public int size() {
        return size;
    }

    public int position(int i) {
        return positions[i];
    }

    public int flags(int i) {
        return flags[i];
    }
}
