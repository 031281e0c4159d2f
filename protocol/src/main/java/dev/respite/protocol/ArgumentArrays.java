package dev.respite.protocol;

import java.util.Arrays;

/**
 * Argument arrays handed back once their command is done with them, kept by length for the next request of
 * as many arguments: a stream of requests then leaves no garbage between the keys and values it stores. One
 * per reader, used on one thread.
 */
public final class ArgumentArrays {
    /** Arrays up to this length are kept. */
    private static final int MAX_ARGS = 32;

    private final byte[][][] spares = new byte[MAX_ARGS + 1][][];

    /** An array of {@code count} empty slots: one handed back, or a new one. */
    public byte[][] take(int count) {
        if (count <= MAX_ARGS) {
            byte[][] spare = spares[count];
            if (spare != null) {
                spares[count] = null;
                return spare;
            }
        }
        return new byte[count][];
    }

    /** Takes back an array nothing refers to any more; the byte arrays it held are let go. */
    public void give(byte[][] done) {
        if (done.length <= MAX_ARGS) {
            Arrays.fill(done, null);
            spares[done.length] = done;
        }
    }
}
