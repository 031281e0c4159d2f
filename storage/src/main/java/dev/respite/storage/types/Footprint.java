package dev.respite.storage.types;

/**
 * Estimated heap sizes on a 64-bit JVM with compressed references, used by {@code memoryUsage()}.
 * These are estimates in the spirit of Redis's MEMORY USAGE, not exact measurements.
 */
public final class Footprint {
    /** Object header: mark word plus compressed class pointer. */
    public static final long OBJECT_HEADER = 12;
    /** Size of one compressed reference field. */
    public static final long REFERENCE = 4;

    private Footprint() {}

    /** Bytes occupied by an object whose fields take {@code fieldBytes}. */
    public static long object(long fieldBytes) {
        return align(OBJECT_HEADER + fieldBytes);
    }

    /** Bytes occupied by an array with {@code length} elements of {@code elementSize} bytes each. */
    static long array(long length, int elementSize) {
        return align(16 + length * elementSize);
    }

    /** Bytes occupied by a {@code byte[]} of the given length. */
    public static long bytes(int length) {
        return align(16L + length);
    }

    /** Rounds up to the 8-byte object alignment of the JVM. */
    static long align(long size) {
        return (size + 7) & ~7L;
    }
}
