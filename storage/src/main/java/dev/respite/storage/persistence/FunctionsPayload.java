package dev.respite.storage.persistence;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * FUNCTION DUMP's payload: each library's code after the FUNCTION2 opcode, as the RDB stores libraries,
 * then the DUMP footer (RDB version, CRC-64). Written with RDB version 10 so Redis 7.0 restores it too.
 */
public final class FunctionsPayload {
    private static final int FOOTER = 10;

    private FunctionsPayload() {}

    public static byte[] serialize(List<byte[]> libraryCodes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            RdbOutput out = new RdbOutput(bytes, true, 512);
            for (byte[] code : libraryCodes) {
                out.writeByte(RdbFormat.OPCODE_FUNCTION2);
                out.writeString(code);
            }
            out.writeLittleEndian(RdbFormat.WRITE_VERSION, 2);
            long crc = out.crc();
            out.writeLittleEndian(crc, 8);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The libraries' codes in an intact payload ({@link DumpPayload#isIntact}); throws
     * IllegalArgumentException with Redis's text when an entry is not a function library.
     */
    public static List<byte[]> deserialize(byte[] payload) {
        int length = payload.length - FOOTER;
        RdbInput in = new RdbInput(new ByteArrayInputStream(payload, 0, length), length);
        List<byte[]> codes = new ArrayList<>();
        long read = 0;
        try {
            while (read < length) {
                int type = in.readByte();
                if (type == RdbFormat.OPCODE_FUNCTION_PRE_GA) {
                    throw new IllegalArgumentException("Pre-GA function format not supported");
                }
                if (type != RdbFormat.OPCODE_FUNCTION2) {
                    throw new IllegalArgumentException("given type is not a function");
                }
                codes.add(in.readString());
                read = in.offset();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("can not read data type");
        }
        return codes;
    }
}
