package dev.respite.storage.persistence;

import static dev.respite.storage.persistence.RdbFormat.*;

import dev.respite.storage.types.EncodingLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Streams an RDB file (versions 1 to 11, as written by Redis up to 7.2) to a {@link RdbVisitor}, one key
 * at a time, and verifies the CRC-64 footer. Types it cannot represent (streams, modules, hashes with field
 * TTLs) stop the load with an {@link RdbFormatException} naming the type, the key and the offset.
 */
public final class RdbReader {
    private final RdbInput in;
    private final ValueDecoder values;
    /** Filled anew for each key the visitor is shown. */
    private final RdbEntry entry = new RdbEntry();

    private int version;
    private long emptyKeysSkipped;

    /**
     * @param in     the file's bytes (buffered internally)
     * @param length the file's length, or -1 if unknown; with it, damaged lengths are caught before allocating
     * @param limits the encoding limits the created values follow
     */
    public RdbReader(InputStream in, long length, EncodingLimits limits) {
        this.in = new RdbInput(in, length);
        this.values = new ValueDecoder(this.in, limits);
    }

    /** Whether values get the deep check of sanitize-dump-payload (see {@link ValueDecoder}); off by default. */
    public void deepCheck(boolean deep) {
        values.deepCheck(deep);
    }

    /** The RDB version from the header, once {@link #read} has started. */
    public int version() {
        return version;
    }

    /** Empty collections left out so far (Redis skips them too). */
    public long emptyKeysSkipped() {
        return emptyKeysSkipped;
    }

    /** Bytes consumed so far. */
    public long offset() {
        return in.offset();
    }

    public void read(RdbVisitor visitor) throws IOException {
        readHeader();
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            long at = in.offset();
            int op = in.readByte();
            switch (op) {
                case OPCODE_EOF -> {
                    verifyChecksum();
                    return;
                }
                case OPCODE_SELECTDB -> db = (int) in.readLength();
                case OPCODE_RESIZEDB -> visitor.resizeDb(db, in.readLength(), in.readLength());
                case OPCODE_EXPIRETIME_MS -> expireAt = in.readLittleEndian(8);
                case OPCODE_EXPIRETIME -> expireAt = in.readLittleEndian(4) * 1000;
                case OPCODE_IDLE -> idle = in.readLength();
                case OPCODE_FREQ -> freq = in.readByte();
                case OPCODE_AUX -> {
                    String name = new String(in.readString(), StandardCharsets.ISO_8859_1);
                    visitor.aux(name, in.readString());
                }
                case OPCODE_FUNCTION2 -> visitor.function(in.readString(), at);
                case OPCODE_FUNCTION_PRE_GA ->
                    throw new RdbFormatException(
                            "Pre-release function format (Redis 7.0 release candidates) is not supported", at);
                case OPCODE_MODULE_AUX ->
                    throw new RdbFormatException(
                            "Module auxiliary data is not supported: the file was written by a server with modules loaded",
                            at);
                default -> {
                    readEntry(visitor, db, op, at, expireAt, idle, freq);
                    expireAt = -1;
                    idle = -1;
                    freq = -1;
                }
            }
        }
    }

    private void readHeader() throws IOException {
        byte[] magic = new byte[9];
        for (int i = 0; i < magic.length; i++) {
            magic[i] = (byte) in.readByte();
        }
        String header = new String(magic, StandardCharsets.ISO_8859_1);
        if (!header.startsWith("REDIS")) {
            throw new RdbFormatException("Not an RDB file: the signature is not REDIS", 0);
        }
        try {
            version = Integer.parseInt(header.substring(5));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("Bad RDB version '" + header.substring(5) + "'", 5);
        }
        if (version < 1 || version > MAX_READ_VERSION) {
            throw new RdbFormatException(
                    "Can't handle RDB format version " + version + " (Respite reads versions 1 to " + MAX_READ_VERSION
                            + ")",
                    5);
        }
    }

    private void readEntry(RdbVisitor visitor, int db, int type, long at, long expireAt, long idle, int freq)
            throws IOException {
        byte[] key = in.readString();
        if (!ValueDecoder.isSupported(type)) {
            throw new RdbFormatException(
                    "Unsupported value type " + type + " (" + typeName(type) + ") for key '" + printable(key) + "'",
                    at);
        }
        Object value;
        try {
            value = values.read(type);
        } catch (RuntimeException e) {
            // A decoder that trips over its bounds on damaged data reports it as damage, never as a crash.
            throw new RdbFormatException("Undecodable value (" + e + ") for key '" + printable(key) + "'", at);
        }
        if (value == null) {
            emptyKeysSkipped++;
            visitor.warning("rdbLoadObject skipping empty key: " + printable(key) + " (" + typeName(type)
                    + " at offset " + at + ")");
            return;
        }
        entry.set(db, key, type, value, expireAt, idle, freq);
        visitor.entry(entry);
    }

    private void verifyChecksum() throws IOException {
        if (version < 5) {
            return;
        }
        long expected = in.crc();
        long at = in.offset();
        long stored = in.readLittleEndian(8);
        if (stored != 0 && stored != expected) {
            throw new RdbFormatException(
                    "RDB CRC error: the file says " + Long.toHexString(stored) + ", the data gives "
                            + Long.toHexString(expected),
                    at);
        }
    }

    /** A key for a message: printable ASCII as is, other bytes escaped, long keys cut. */
    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length && i < 128; i++) {
            int b = key[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (key.length > 128) {
            sb.append("...");
        }
        return sb.toString();
    }
}
