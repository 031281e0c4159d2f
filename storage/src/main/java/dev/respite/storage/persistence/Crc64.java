package dev.respite.storage.persistence;

/**
 * Redis's CRC-64 (the Jones polynomial 0xad93d23594c935a9, reflected, initial value 0, no final xor): the
 * checksum of the RDB footer and of DUMP payloads. Table-driven, one table lookup per byte.
 */
public final class Crc64 {
    /** The Jones polynomial with its bits reversed, as the reflected algorithm needs it. */
    private static final long REFLECTED_POLY = Long.reverse(0xad93d23594c935a9L);

    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ REFLECTED_POLY : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc64() {}

    /** Continues {@code crc} over {@code len} bytes of {@code b} from {@code off}. */
    public static long update(long crc, byte[] b, int off, int len) {
        long c = crc;
        for (int i = off, end = off + len; i < end; i++) {
            c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
        }
        return c;
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
