package dev.respite.server.cluster;

/**
 * The hash slot of a key: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key modulo 16384.
 * When the key holds a non-empty {@code {...}} section, only what lies between the first '{' and the
 * first '}' after it is hashed, so related keys can share a slot.
 */
public final class KeySlot {
    public static final int SLOTS = 16384;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private KeySlot() {}

    public static int of(byte[] key) {
        int len = key.length;
        int open = 0;
        while (open < len && key[open] != '{') {
            open++;
        }
        if (open == len) {
            return crc16(key, 0, len) & (SLOTS - 1);
        }
        int close = open + 1;
        while (close < len && key[close] != '}') {
            close++;
        }
        if (close == len || close == open + 1) {
            return crc16(key, 0, len) & (SLOTS - 1);
        }
        return crc16(key, open + 1, close) & (SLOTS - 1);
    }

    /** CRC16-XMODEM of {@code data[from, to)}. */
    public static int crc16(byte[] data, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ data[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }
}
