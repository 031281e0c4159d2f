package dev.respite.storage.persistence;

import dev.respite.storage.types.EncodingLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The DUMP/RESTORE serialization: the RDB type byte and value encoding, then the RDB version as two
 * little-endian bytes and the CRC-64 of everything before it as eight little-endian bytes.
 */
public final class DumpPayload {
    private static final int FOOTER = 10;

    private DumpPayload() {}

    public static byte[] serialize(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            RdbOutput out = new RdbOutput(bytes, true, 512);
            out.writeByte(ValueEncoder.typeOf(value));
            new ValueEncoder(out).write(value);
            out.writeLittleEndian(RdbFormat.WRITE_VERSION, 2);
            long crc = out.crc();
            out.writeLittleEndian(crc, 8);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /** Whether the footer names a version Respite reads and the checksum matches (Redis's verifyDumpPayload). */
    public static boolean isIntact(byte[] payload) {
        return isIntact(payload, true);
    }

    /** As {@link #isIntact(byte[])}; without {@code verifyChecksum} only the footer's version is checked. */
    public static boolean isIntact(byte[] payload, boolean verifyChecksum) {
        if (payload.length < FOOTER) {
            return false;
        }
        int footer = payload.length - FOOTER;
        int version = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        if (version > RdbFormat.MAX_READ_VERSION) {
            return false;
        }
        if (!verifyChecksum) {
            return true;
        }
        long crc = Crc64.update(0, payload, 0, payload.length - 8);
        return crc == ZiplistReader.littleEndianSigned(payload, payload.length - 8, 8);
    }

    /**
     * Decodes the value of a payload whose footer {@link #isIntact} accepted. Any payload, however damaged, ends
     * in a value or in this exception: a decoder that trips over its bounds is reported the same way.
     *
     * @param deep the deep check of sanitize-dump-payload (see {@link ValueDecoder})
     * @throws RdbFormatException when the type is unsupported, the encoding is damaged or the collection is empty
     */
    public static Object deserialize(byte[] payload, EncodingLimits limits, boolean deep) throws RdbFormatException {
        int length = payload.length - FOOTER;
        RdbInput in = new RdbInput(new ByteArrayInputStream(payload, 0, length), length);
        try {
            int type = in.readByte();
            if (!ValueDecoder.isSupported(type)) {
                throw new RdbFormatException(
                        "Unsupported value type " + type + " (" + RdbFormat.typeName(type) + ")", 0);
            }
            ValueDecoder decoder = new ValueDecoder(in, limits);
            decoder.deepCheck(deep);
            Object value = decoder.read(type);
            if (value == null) {
                throw new RdbFormatException("Empty keys are not allowed", in.offset());
            }
            return value;
        } catch (RdbFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RdbFormatException("Undecodable value (" + e + ")", in.offset());
        }
    }
}
